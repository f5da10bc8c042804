package dev.elman.jmh.report;

import dev.elman.jmh.Flops;
import dev.elman.jmh.ReferenceBudget;
import dev.elman.kernels.WeightPrecision;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The Markdown tables of a sweep: kernels over spans, training through the engine, streaming
 * latency, and the peers' work units with the peers' results side by side. Every row gives the
 * time and, beside it, GFLOP/s by the peers' convention ({@link Flops}), and the threads it ran
 * on; in the peers' table each Elman row stands beside the peers' rows of the same B, H, mode and
 * thread count: the peers run in the same JMH run (ONNX Runtime) and those of the peers kit's CSV
 * files (PyTorch, oneDNN), with Elman's speed-up over the former. Rows of reduced-precision weights
 * (bf16, int8) stand beside the float32 row of the same cell, with their speed-up over it; a table
 * without such rows has no precision column.
 */
public final class MarkdownReport {
    private static final Comparator<Measurement> ORDER = Comparator.comparing(Measurement::workload)
            .thenComparing(Measurement::kernels, Comparator.reverseOrder())
            .thenComparingInt(Measurement::batch)
            .thenComparingInt(Measurement::hidden)
            .thenComparingInt(Measurement::window)
            .thenComparingInt(Measurement::threads)
            .thenComparing(Measurement::precision);

    private final List<String> facts;
    private final List<Measurement> measurements;
    private final List<PeerRow> peers;
    private final List<SgemmRate> sgemm;

    /**
     * @param facts lines for the head of the report (when, machine, command, notes), each one bullet
     * @param measurements the measured rows, any order
     * @param peers the peers' rows to set beside the work units they share, possibly none
     */
    public MarkdownReport(List<String> facts, List<Measurement> measurements, List<PeerRow> peers) {
        this(facts, measurements, new PeerResults(peers, List.of()));
    }

    /**
     * @param facts lines for the head of the report (when, machine, command, notes), each one bullet
     * @param measurements the measured rows, any order
     * @param peers the peers' rows to set beside the work units they share, and the machine's sgemm
     *     rates to measure every rate against, either possibly empty
     */
    public MarkdownReport(List<String> facts, List<Measurement> measurements, PeerResults peers) {
        this.facts = List.copyOf(facts);
        this.measurements = measurements.stream().sorted(ORDER).toList();
        this.peers = peers.rows();
        this.sgemm = peers.sgemm();
    }

    /** @return the whole report */
    public String render() {
        StringBuilder out = new StringBuilder("# Elman benchmarks\n\n");
        for (String fact : facts) {
            out.append("- ").append(fact).append('\n');
        }
        out.append("- Convention: one layer, tanh, float32, I = H; `threads` is the team every pass is shared with, the")
                .append(" benchmark's own thread included (JMH runs each benchmark on one). Times are µs per step (one timestep of")
                .append(" all B sequences). GFLOP/s = 2·B·H·(I+H) FLOP per forward step, 3× that for forward+backward")
                .append(" and training, over the time. ± is half JMH's 99.9% confidence interval over the measurement")
                .append(" iterations. B/step is heap allocation per step from JMH's GC profiler; ")
                .append(ReportNumbers.UNCOMPILED).append(" marks rows allocating 1 KiB or more per step, which measured")
                .append(" vector code the JIT had not compiled (or could not): their times are not the kernels' speed.");
        if (measurements.stream().anyMatch(Measurement::reduced)) {
            out.append(" `precision` bf16 or int8: the recurrent weights Wx, Wh stored in bfloat16 or int8 (one scale per")
                    .append(" row), for inference; states, bias and sums stay float32, and GFLOP/s count the same FLOP as")
                    .append(" float32. A speed-up over f32 is the float32 row's time over the row's (above 1: faster).");
        }
        out.append('\n');
        spans(out);
        training(out);
        streaming(out);
        streamGroups(out);
        peerUnits(out);
        return out.toString();
    }

    private void spans(StringBuilder out) {
        List<Measurement> rows = select(m -> m.workload() == Workload.SPAN_FORWARD
                || m.workload() == Workload.SPAN_FORWARD_BACKWARD);
        if (rows.isEmpty()) {
            return;
        }
        out.append("\n## Kernels over spans (SpanBenchmark)\n\n")
                .append(String.format(Locale.ROOT, "Each operation is %d steps in spans of `window` steps, state carried"
                        + " between spans; forward+backward is one truncated-BPTT window per span, without the optimizer."
                        + " The reference runs only where an operation costs at most %.0e FLOP.%n%n",
                        Workload.SPAN_FORWARD.steps(), ReferenceBudget.MAX_FLOP_PER_OPERATION))
                .append("| pass | kernels | B | H | window | threads | µs/step | GFLOP/s | B/step |\n")
                .append("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Measurement m : rows) {
            row(out, m.workload().label(), m.kernels(), m.batch(), m.hidden(), m.window(), m.threads(),
                    ReportNumbers.withError(m.microsPerStep(), m.errorMicros()),
                    ReportNumbers.format(m.gigaflopsPerSecond()), ReportNumbers.bytes(m.bytesPerStep()));
        }
    }

    private void training(StringBuilder out) {
        List<Measurement> rows = select(m -> m.workload() == Workload.TRAINING);
        if (rows.isEmpty()) {
            return;
        }
        out.append("\n## Training through the engine (TrainingBenchmark)\n\n")
                .append(String.format(Locale.ROOT, "Trainer, chunked truncated BPTT (k1 = k2 = window) over sequences of"
                        + " T = %d steps, mean squared error at every step, SGD with clipping; one operation is one batch.%n%n",
                        Workload.TRAINING.steps()))
                .append("| kernels | B | H | window | threads | µs/step | GFLOP/s | ms/sequence | B/step |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Measurement m : rows) {
            row(out, m.kernels(), m.batch(), m.hidden(), m.window(), m.threads(),
                    ReportNumbers.withError(m.microsPerStep(), m.errorMicros()),
                    ReportNumbers.format(m.gigaflopsPerSecond()), ReportNumbers.format(m.millisPerSequence()),
                    ReportNumbers.bytes(m.bytesPerStep()));
        }
    }

    private void streaming(StringBuilder out) {
        List<Measurement> rows = select(m -> m.workload() == Workload.STREAMING_STEP);
        if (rows.isEmpty()) {
            return;
        }
        boolean precisions = rows.stream().anyMatch(Measurement::reduced);
        out.append("\n## Streaming step latency (StreamingBenchmark)\n\n")
                .append("One `StreamingSession.step` of one stream (B = 1), state carried; single steps timed (SampleTime).")
                .append(precisions ? " The speed-up over f32 is of the median.\n\n" : "\n\n")
                .append(precisions ? "| kernels | precision | H | threads |" : "| kernels | H | threads |")
                .append(" p50 µs | p99 µs | p99.9 µs | GFLOP/s at p50 |").append(precisions ? " speed-up over f32 |" : "")
                .append(" B/step |\n")
                .append(precisions ? "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n" : "|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Measurement m : rows) {
            List<Object> cells = new ArrayList<>(List.of(m.kernels()));
            if (precisions) {
                cells.add(m.precision().label());
            }
            cells.addAll(List.of(m.hidden(), m.threads(), ReportNumbers.format(m.microsPerStep()),
                    ReportNumbers.format(m.p99Micros()), ReportNumbers.format(m.p999Micros()),
                    ReportNumbers.format(m.gigaflopsPerSecond())));
            if (precisions) {
                cells.add(speedUpOverF32(m, rows));
            }
            cells.add(ReportNumbers.bytes(m.bytesPerStep()));
            row(out, cells.toArray());
        }
    }

    private void streamGroups(StringBuilder out) {
        List<Measurement> rows = select(m -> m.workload() == Workload.STREAM_GROUP_STEP);
        if (rows.isEmpty()) {
            return;
        }
        boolean precisions = rows.stream().anyMatch(Measurement::reduced);
        out.append("\n## Stream groups (StreamGroupBenchmark)\n\n")
                .append("`StreamGroup.step` of all the group's streams at once, state carried; µs per stream-step (one step")
                .append(" of one stream, AverageTime), so a row N times faster than the 1-stream row serves N times the")
                .append(" stream-steps per second. GFLOP/s count one stream-step, 2·H·(I+H).\n\n")
                .append(precisions ? "| kernels | precision |" : "| kernels |").append(" streams | H | threads |")
                .append(" µs/stream-step | GFLOP/s |").append(precisions ? " speed-up over f32 |" : "").append(" B/step |\n")
                .append(precisions ? "|---|---|---:|---:|---:|---:|---:|---:|---:|\n" : "|---|---:|---:|---:|---:|---:|---:|\n");
        for (Measurement m : rows) {
            List<Object> cells = new ArrayList<>(List.of(m.kernels()));
            if (precisions) {
                cells.add(m.precision().label());
            }
            cells.addAll(List.of(m.batch(), m.hidden(), m.threads(),
                    ReportNumbers.withError(m.microsPerStep(), m.errorMicros()),
                    ReportNumbers.format(m.gigaflopsPerSecond())));
            if (precisions) {
                cells.add(speedUpOverF32(m, rows));
            }
            cells.add(ReportNumbers.bytes(m.bytesPerStep()));
            row(out, cells.toArray());
        }
    }

    /**
     * @return for a reduced-precision row, the float32 row's time over its own, the float32 row
     *     being the one of the same workload, kernels, sizes and threads; {@link ReportNumbers#ABSENT}
     *     for a float32 row or when there is no float32 row to compare with
     */
    private static String speedUpOverF32(Measurement m, List<Measurement> rows) {
        if (!m.reduced()) {
            return ReportNumbers.ABSENT;
        }
        return rows.stream().filter(f -> !f.reduced() && f.workload() == m.workload() && f.kernels().equals(m.kernels())
                        && f.batch() == m.batch() && f.hidden() == m.hidden() && f.input() == m.input()
                        && f.window() == m.window() && f.threads() == m.threads())
                .findFirst().map(f -> ReportNumbers.format(f.microsPerStep() / m.microsPerStep()) + "×")
                .orElse(ReportNumbers.ABSENT);
    }

    private void peerUnits(StringBuilder out) {
        List<Measurement> rows = select(m -> m.workload().peerMode().isPresent());
        if (rows.isEmpty()) {
            return;
        }
        // Elman's columns: per kernels (SIMD first), float32 then the reduced precisions measured.
        Set<ElmanColumn> elmanColumns = new TreeSet<>(Comparator.comparing(ElmanColumn::kernels, Comparator.reverseOrder())
                .thenComparing(ElmanColumn::precision));
        // The peers run in the same JMH run (ONNX Runtime): a column each, after Elman's.
        Set<String> jvmPeerColumns = new LinkedHashSet<>();
        for (Measurement m : rows) {
            if (m.workload().elman()) {
                elmanColumns.add(new ElmanColumn(m.kernels(), m.precision()));
            } else {
                jvmPeerColumns.add(m.kernels());
            }
        }
        // A peer's column is its system; the thread count is the line's, as it is Elman's.
        Set<String> peerColumns = new LinkedHashSet<>();
        for (PeerRow p : peers) {
            peerColumns.add(p.system());
        }
        // One line per work unit and thread count Elman measured: by B, then H, then fwd, train, step.
        Map<UnitKey, Map<String, Cell>> table = new TreeMap<>(Comparator.comparingInt(UnitKey::batch)
                .thenComparingInt(UnitKey::hidden).thenComparingInt(UnitKey::input)
                .thenComparingInt(k -> List.of("fwd", "train", "step").indexOf(k.mode())).thenComparingInt(UnitKey::window)
                .thenComparingInt(UnitKey::threads));
        for (Measurement m : rows) {
            UnitKey key = UnitKey.of(m);
            table.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(column(m), Cell.of(m));
        }
        for (UnitKey key : table.keySet()) {
            for (String label : peerColumns) {
                List<PeerRow> matching = peers.stream().filter(p -> p.system().equals(label) && key.matches(p)).toList();
                if (!matching.isEmpty()) {
                    table.get(key).put(label, Cell.of(key, matching));
                }
            }
        }
        List<String> columns = new ArrayList<>();
        elmanColumns.forEach(c -> columns.add(c.name()));
        columns.addAll(jvmPeerColumns);
        columns.addAll(peerColumns);
        Map<Integer, Double> peak = sgemmPeak();
        // The share of sgemm is float32's: a reduced row does the same FLOP on fewer bytes, not more arithmetic.
        List<String> shareColumns = peak.isEmpty() ? List.of() : elmanColumns.stream().filter(c -> !c.reduced())
                .map(ElmanColumn::name).toList();
        // The target, Elman faster than ONNX Runtime at the same thread count, as a ratio per cell.
        List<RatioColumn> ratioColumns = new ArrayList<>();
        ElmanColumn simd = new ElmanColumn("simd", WeightPrecision.F32);
        if (elmanColumns.contains(simd)) {
            jvmPeerColumns.forEach(peer -> ratioColumns.add(new RatioColumn(simd.name() + " vs " + peer, simd.name(), peer)));
        }
        // A reduced precision's gain: the float32 column's time over its own, on the same kernels.
        for (ElmanColumn column : elmanColumns) {
            ElmanColumn f32 = new ElmanColumn(column.kernels(), WeightPrecision.F32);
            if (column.reduced() && elmanColumns.contains(f32)) {
                ratioColumns.add(new RatioColumn(column.name() + " vs f32", column.name(), f32.name()));
            }
        }

        out.append("\n## The peers' work units, side by side\n\n")
                .append(String.format(Locale.ROOT, "Elman's KernelBenchmark (T = %d) and StreamingBenchmark against the"
                        + " peers kit's rows for the same B, H, I, T, K, mode and number of threads. Cells: µs per step /"
                        + " GFLOP/s; step rows: median / p99 µs.", Workload.PEER_FORWARD.steps()))
                .append(peers.isEmpty() ? " No peers file was given (`--peers FILE...`)."
                        : " Several peer rows for one cell (repeated passes) give their median.");
        for (String peer : jvmPeerColumns) {
            out.append(' ').append(peer).append(" ran in the same JMH run (OrtKernelBenchmark, OrtStreamingBenchmark) on")
                    .append(" the same layer, weights and inputs, with as many intra-op threads as the line's threads; it")
                    .append(" does not train, so it has no train cells. \"Elman simd vs ").append(peer).append("\" is ")
                    .append(peer).append("'s time over Elman's (the median for step): above 1, Elman is faster.");
        }
        List<String> reduced = elmanColumns.stream().filter(ElmanColumn::reduced).map(ElmanColumn::name).toList();
        if (!reduced.isEmpty()) {
            out.append(' ').append(String.join(", ", reduced)).append(": the same units with the recurrent weights")
                    .append(" stored in that precision (B = 1 only: a step of one sequence is bound by reading them);")
                    .append(" their GFLOP/s count the same FLOP as f32. \"… vs f32\" is the f32 column's time over")
                    .append(" theirs (the median for step): above 1, the reduced weights are faster.");
        }
        if (peak.isEmpty()) {
            out.append(" No sgemm rate was given (`jmh/run-peers.sh` writes it to sgemm.csv).\n\n");
        } else {
            out.append(" \"% of sgemm\" is Elman's GFLOP/s against OpenBLAS sgemm on the same number of threads (");
            List<String> rates = new ArrayList<>();
            peak.forEach((threads, rate) -> rates.add(threads + (threads == 1 ? " thread: " : " threads: ")
                    + ReportNumbers.format(rate) + " GFLOP/s"));
            out.append(String.join(", ", rates)).append("; the median call at the largest n measured), the machine's")
                    .append(" practical peak.\n\n");
        }
        out.append("| B | H | mode | threads |");
        columns.forEach(c -> out.append(' ').append(c).append(" |"));
        shareColumns.forEach(c -> out.append(' ').append(c).append(" % of sgemm |"));
        ratioColumns.forEach(c -> out.append(' ').append(c.header()).append(" |"));
        out.append("\n|---:|---:|---|---:|");
        columns.forEach(c -> out.append("---:|"));
        shareColumns.forEach(c -> out.append("---:|"));
        ratioColumns.forEach(c -> out.append("---:|"));
        out.append('\n');
        for (Map.Entry<UnitKey, Map<String, Cell>> line : table.entrySet()) {
            UnitKey key = line.getKey();
            out.append("| ").append(key.batch).append(" | ").append(key.hidden).append(" | ").append(key.modeLabel())
                    .append(" | ").append(key.threads).append(" |");
            for (String column : columns) {
                Cell cell = line.getValue().get(column);
                out.append(' ').append(cell == null ? ReportNumbers.ABSENT : cell.text()).append(" |");
            }
            for (String column : shareColumns) {
                Cell cell = line.getValue().get(column);
                Double rate = peak.get(key.threads);
                boolean shown = cell != null && rate != null && !key.mode.equals("step");
                out.append(' ').append(shown ? ReportNumbers.format(100 * cell.second() / rate) + " %" : ReportNumbers.ABSENT)
                        .append(" |");
            }
            for (RatioColumn ratio : ratioColumns) {
                Cell faster = line.getValue().get(ratio.measured());
                Cell baseline = line.getValue().get(ratio.baseline());
                out.append(' ').append(faster == null || baseline == null ? ReportNumbers.ABSENT
                        : ReportNumbers.format(baseline.micros() / faster.micros()) + "×").append(" |");
            }
            out.append('\n');
        }
    }

    /**
     * @return per thread count, the median sgemm rate at the largest n measured with it (several
     *     lines for that n, from repeated runs, give their median), in thread order
     */
    private Map<Integer, Double> sgemmPeak() {
        Map<Integer, Double> peak = new TreeMap<>();
        Map<Integer, Integer> largest = new TreeMap<>();
        for (SgemmRate rate : sgemm) {
            largest.merge(rate.threads(), rate.size(), Math::max);
        }
        largest.forEach((threads, size) -> peak.put(threads, median(sgemm.stream()
                .filter(r -> r.threads() == threads && r.size() == size)
                .mapToDouble(SgemmRate::medianGigaflopsPerSecond).toArray())));
        return peak;
    }

    /**
     * @return the peers' table's column of a row: {@code Elman simd} (float32), {@code Elman simd int8},
     *     or the peer run in the JVM
     */
    private static String column(Measurement m) {
        return m.workload().elman() ? new ElmanColumn(m.kernels(), m.precision()).name() : m.kernels();
    }

    /** A column of Elman's in the peers' table: one implementation with its weights in one precision. */
    private record ElmanColumn(String kernels, WeightPrecision precision) {
        boolean reduced() {
            return precision != WeightPrecision.F32;
        }

        /** @return {@code Elman simd} for float32 (the table's name of old), {@code Elman simd bf16} otherwise */
        String name() {
            return "Elman " + kernels + (reduced() ? " " + precision.label() : "");
        }
    }

    /**
     * A column of ratios: the baseline column's time over the measured column's, so above 1 the
     * measured column is faster.
     *
     * @param header the column's heading
     * @param measured the column whose speed-up it shows
     * @param baseline the column it is set against
     */
    private record RatioColumn(String header, String measured, String baseline) {
    }

    private List<Measurement> select(Predicate<Measurement> which) {
        return measurements.stream().filter(which).toList();
    }

    private static void row(StringBuilder out, Object... cells) {
        out.append('|');
        for (Object cell : cells) {
            out.append(' ').append(cell).append(" |");
        }
        out.append('\n');
    }

    /** A work unit of the peers kit at a thread count: the CSV's B, H, I, T, K, mode and threads. */
    private record UnitKey(int batch, int hidden, int input, int steps, int window, String mode, int threads) {
        static UnitKey of(Measurement m) {
            String mode = m.workload().peerMode().orElseThrow();
            // The streaming step is the kit's step unit: T = K = 1.
            return mode.equals("step") ? new UnitKey(m.batch(), m.hidden(), m.input(), 1, 1, mode, m.threads())
                    : new UnitKey(m.batch(), m.hidden(), m.input(), m.workload().steps(), m.window(), mode, m.threads());
        }

        boolean matches(PeerRow p) {
            return p.batch() == batch && p.hidden() == hidden && p.input() == input && p.steps() == steps
                    && p.window() == window && p.mode().equals(mode) && p.threads() == threads;
        }

        String modeLabel() {
            return mode.equals("train") ? "train K=" + window : mode;
        }
    }

    /** One cell: µs per step and GFLOP/s, or for the streaming step the median and p99 µs. */
    private record Cell(double micros, double second) {
        static Cell of(Measurement m) {
            return m.workload().peerMode().orElseThrow().equals("step") ? new Cell(m.microsPerStep(), m.p99Micros())
                    : new Cell(m.microsPerStep(), m.gigaflopsPerSecond());
        }

        /** The median over repeated rows; the rate is recomputed from the median time, by the same convention. */
        static Cell of(UnitKey key, List<PeerRow> rows) {
            double micros = median(rows.stream().mapToDouble(PeerRow::microsPerStep).toArray());
            if (key.mode.equals("step")) {
                return new Cell(micros, median(rows.stream().mapToDouble(PeerRow::p99MicrosPerStep).toArray()));
            }
            return new Cell(micros, Flops.gigaflopsPerSecond(rows.getFirst().flopPerStep(), micros));
        }

        String text() {
            return ReportNumbers.format(micros) + " / " + ReportNumbers.format(second);
        }
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
