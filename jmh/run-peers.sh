#!/usr/bin/env bash
# Runs the peers kit (../shared/peers: PyTorch and oneDNN) on the work units of Elman's
# KernelBenchmark and StreamingBenchmark, on this machine, at 1 and 2 threads, and writes their CSV
# output for `./rnn bench --peers`:
#   T = 256, window K = 64, I = H, B in {1, 32}, H in {32 ... 1024}: fwd and train;
#   B = 1, H in {64, 256, 1024}: step (streaming latency).
# Each row carries its thread count, so the report sets every Elman row beside the peers at the
# same thread count.
#
# usage: jmh/run-peers.sh [--quick] [--threads LIST] OUT_DIR
#   --quick          H in {64, 256, 1024} only
#   --threads LIST   comma-separated thread counts (default 1,2)
# The programs are found through ONEDNN_BENCH (the built onednn_rnn_bench) and TORCH_BENCH
# (torch_rnn_bench.py, run by PYTHON, default /usr/bin/python3); by default in ../shared/peers.
# Writes OUT_DIR/onednn.csv and OUT_DIR/torch.csv (each replaced only when its run completes); the
# first comment line of each records the date, the OpenBLAS variables and the load average.
# Then OUT_DIR/sgemm.csv: OpenBLAS sgemm's rate at 1 and 2 threads (the kit's openblas_sgemm_peak,
# found through SGEMM_BENCH), the machine's practical peak that the report sets every rate against;
# skipped with a note when the program is absent. Pass all three files to `./rnn bench --peers`.
#
# PyTorch's GEMMs run on OpenBLAS, which honours OPENBLAS_CORETYPE: forcing an AVX2 core
# (e.g. Haswell) on an AVX-512 machine halves its peak. For a fair comparison unset it:
#   env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE jmh/run-peers.sh OUT_DIR
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

quick=false
threads_list=1,2
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=true; shift ;;
    --threads)
      if [ $# -lt 2 ] || ! [[ "$2" =~ ^[1-9][0-9]*(,[1-9][0-9]*)*$ ]]; then
        echo "run-peers: --threads needs a comma-separated list of positive integers, e.g. 1,2" >&2
        exit 2
      fi
      threads_list=$2; shift 2 ;;
    *) break ;;
  esac
done
if [ $# -ne 1 ] || [[ "$1" == -* ]]; then
  echo "usage: jmh/run-peers.sh [--quick] [--threads LIST] OUT_DIR" >&2
  exit 2
fi
IFS=, read -r -a thread_counts <<< "$threads_list"
out=$1
onednn=${ONEDNN_BENCH:-$root/../shared/peers/onednn_rnn_bench}
torch=${TORCH_BENCH:-$root/../shared/peers/torch_rnn_bench.py}
sgemm=${SGEMM_BENCH:-$root/../shared/peers/openblas_sgemm_peak}
python=${PYTHON:-/usr/bin/python3}
if [ ! -x "$onednn" ]; then
  echo "run-peers: no oneDNN benchmark at $onednn (build it as ../shared/peers/README.md says, or set ONEDNN_BENCH)" >&2
  exit 2
fi
if [ ! -f "$torch" ]; then
  echo "run-peers: no torch_rnn_bench.py at $torch (set TORCH_BENCH)" >&2
  exit 2
fi
if [ -n "${OPENBLAS_CORETYPE:-}" ]; then
  echo "run-peers: note: OPENBLAS_CORETYPE=$OPENBLAS_CORETYPE is set; PyTorch's GEMMs will use that core's kernels" >&2
fi
hidden=(32 64 128 256 512 1024)
$quick && hidden=(64 256 1024)
mkdir -p "$out"

run_system() {  # name, then the command that runs one configuration
  local name=$1; shift
  local file="$out/$name.csv" partial="$out/.$name.csv.partial"
  echo "# run-peers $(date -u '+%Y-%m-%d %H:%M UTC'): OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE-unset}" \
    "OPENBLAS_L2_SIZE=${OPENBLAS_L2_SIZE-unset}, load average $(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')" > "$partial"
  for threads in "${thread_counts[@]}"; do
    for b in 1 32; do
      for h in "${hidden[@]}"; do
        modes=fwd,train
        if [ "$b" = 1 ] && { [ "$h" = 64 ] || [ "$h" = 256 ] || [ "$h" = 1024 ]; }; then modes=fwd,train,step; fi
        echo "run-peers: $name threads=$threads B=$b H=$h $modes" >&2
        # oneDNN's OpenMP and PyTorch's intra-op pool both take the count from --threads.
        OMP_NUM_THREADS=$threads "$@" --hidden "$h" --batch "$b" --seq 256 --window 64 --threads "$threads" \
          --mode "$modes" >> "$partial"
      done
    done
  done
  mv "$partial" "$file"
  echo "run-peers: wrote $file" >&2
}

run_system onednn "$onednn"
run_system torch "$python" "$torch"

# The sgemm peak program measures 1 and 2 threads itself; its lines "threads,n,median,best,reps"
# become "sgemm,threads,n,median,best,reps" so that the bench report can tell them from RNN rows.
if [ -x "$sgemm" ]; then
  partial="$out/.sgemm.csv.partial"
  echo "run-peers: sgemm peak" >&2
  { echo "# run-peers $(date -u '+%Y-%m-%d %H:%M UTC'): sgemm, load average $(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')"
    "$sgemm" | awk -F, '/^#/ { print; next } NF == 5 { print "sgemm," $0 }'
  } > "$partial"
  mv "$partial" "$out/sgemm.csv"
  echo "run-peers: wrote $out/sgemm.csv" >&2
else
  echo "run-peers: no sgemm peak program at $sgemm (build ../shared/peers/openblas_sgemm_peak.c, or set SGEMM_BENCH): no sgemm.csv" >&2
fi
