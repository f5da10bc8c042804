package dev.elman.engine.testing;

import java.lang.management.ManagementFactory;

/**
 * Measures the bytes the current thread allocates while running some work. Allocation on a hot
 * path repeats every time it runs; one-off events (a JIT deoptimisation materialising an object it
 * had scalar-replaced, a class initialised late) do not. So the work is measured in several rounds
 * and the smallest count is reported: anything allocated per step shows in every round.
 */
public final class Allocation {
    private Allocation() {
    }

    public static long leastBytes(int rounds, Runnable work) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long least = Long.MAX_VALUE;
        for (int r = 0; r < rounds; r++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            work.run();
            least = Math.min(least, threads.getCurrentThreadAllocatedBytes() - before);
        }
        return least;
    }
}
