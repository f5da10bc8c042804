package dev.elman.jmh.report;

/**
 * The machine's practical compute peak at one thread count: OpenBLAS {@code sgemm} on square
 * {@code n × n} float32 matrices, as the peers kit's {@code openblas_sgemm_peak} measures it and
 * {@code jmh/run-peers.sh} writes it, one CSV line
 * {@code sgemm,<threads>,<n>,<median GFLOP/s>,<best GFLOP/s>,<reps>}.
 *
 * @param threads the threads OpenBLAS ran on
 * @param size n
 * @param medianGigaflopsPerSecond the median over the timed calls
 * @param bestGigaflopsPerSecond the fastest call
 * @param reps the timed calls
 */
public record SgemmRate(int threads, int size, double medianGigaflopsPerSecond, double bestGigaflopsPerSecond, long reps) {
    /** The first field of every sgemm line, which tells it from a line of an RNN work unit. */
    public static final String TAG = "sgemm";

    /** The columns of an sgemm line, for messages. */
    public static final String HEADER = TAG + ",threads,n,median_gflops,best_gflops,reps";
}
