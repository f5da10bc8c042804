package dev.elman.jmh;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * Runs a benchmark's operation until the JIT has compiled it, judged by allocation: Vector API code
 * allocates on every vector operation until C2 compiles it with its intrinsics, and allocates
 * nothing afterwards (the kernels and the engine's step paths allocate nothing of their own). So
 * the operation is repeated in rounds until {@value #CLEAN_ROUNDS} rounds in a row (or half a second
 * of them) stay within a small allowance, or until a time cap. Scalar code (the reference kernels)
 * allocates nothing from the start and passes after half a second.
 *
 * <p>Why not only JMH's warm-up iterations: compiling the kernels takes C2 seconds of CPU (more on
 * a busy machine), and until then a step runs a hundred to a thousand times slower; a fixed
 * warm-up time either wastes most sweeps' time or, on a loaded machine, measures the interpreter.
 * JMH's warm-up iterations still run after this, for everything else to settle.
 *
 * <p>The outcome is printed (JMH keeps it in its log); reaching the cap is reported as such, and
 * the measurement then shows the allocation in {@code -prof gc}'s B/op.
 */
public final class JitWarmup {
    /** Consecutive clean rounds that end the warm-up. */
    static final int CLEAN_ROUNDS = 3;
    /** A clean streak this long ends the warm-up too (operations of a second or more). */
    private static final long CLEAN_NANOS = 500_000_000L;
    /** The longest warm-up; system property {@value #CAP_PROPERTY} (seconds) changes it. */
    private static final double DEFAULT_CAP_SECONDS = 20;
    /** The system property of the cap, in seconds; 0 skips this warm-up. */
    public static final String CAP_PROPERTY = "elman.bench.jitWarmupSeconds";

    private JitWarmup() {
    }

    /**
     * Repeats an operation until it stops allocating.
     *
     * @param what names the configuration, for the printed line
     * @param operation one benchmark operation
     * @param operationsPerRound operations per measured round (more for very short operations)
     * @param allowedBytesPerRound what a round may allocate and still count as compiled (e.g. an
     *     operation's own result object)
     * @return whether the operation became allocation-free before the cap
     */
    public static boolean untilAllocationFree(String what, Runnable operation, int operationsPerRound,
                                              long allowedBytesPerRound) {
        double capSeconds = Double.parseDouble(System.getProperty(CAP_PROPERTY, String.valueOf(DEFAULT_CAP_SECONDS)));
        if (capSeconds <= 0) {
            return false;
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long start = System.nanoTime();
        long cap = (long) (capSeconds * 1e9);
        long operations = 0;
        int clean = 0;
        long cleanSince = 0;
        long lastBytes = 0;
        while (true) {
            long roundStart = System.nanoTime();
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < operationsPerRound; i++) {
                operation.run();
            }
            operations += operationsPerRound;
            lastBytes = threads.getCurrentThreadAllocatedBytes() - before;
            long now = System.nanoTime();
            if (lastBytes <= allowedBytesPerRound) {
                if (clean++ == 0) {
                    cleanSince = roundStart;
                }
                if (clean >= CLEAN_ROUNDS || now - cleanSince >= CLEAN_NANOS) {
                    System.out.printf(Locale.ROOT, "# JIT warm-up of %s: allocation-free after %d operations, %.1f s%n",
                            what, operations, (now - start) / 1e9);
                    return true;
                }
            } else {
                clean = 0;
            }
            if (now - start >= cap) {
                System.out.printf(Locale.ROOT, "# JIT warm-up of %s: still allocating %d bytes per %d operations after %.1f s"
                        + " (%d operations); measuring anyway%n", what, lastBytes, operationsPerRound, (now - start) / 1e9,
                        operations);
                return false;
            }
        }
    }
}
