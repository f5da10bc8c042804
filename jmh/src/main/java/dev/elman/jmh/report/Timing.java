package dev.elman.jmh.report;

import org.openjdk.jmh.runner.options.TimeValue;

/**
 * How long JMH measures each configuration of a sweep. An iteration runs whole operations until its
 * time is up, so an operation longer than the iteration time (the reference at its budget, or
 * training at H = 1024) makes the iteration exactly one operation.
 *
 * @param forks JVMs per configuration; 0 runs in the calling JVM (for the smoke test only: no
 *     isolation, no JVM flags of the benchmark)
 * @param warmupIterations iterations before measuring
 * @param warmupTime each warm-up iteration's time
 * @param measurementIterations measured iterations
 * @param measurementTime each measured iteration's time
 * @param profileAllocation whether to run JMH's GC profiler ({@code -prof gc}) for bytes per operation
 */
public record Timing(int forks, int warmupIterations, TimeValue warmupTime, int measurementIterations,
                     TimeValue measurementTime, boolean profileAllocation) {
    /**
     * @throws IllegalArgumentException when a count is negative or no iteration is measured
     */
    public Timing {
        if (forks < 0 || warmupIterations < 0 || measurementIterations < 1 || warmupTime == null || measurementTime == null) {
            throw new IllegalArgumentException("expected forks ≥ 0, warm-up iterations ≥ 0, measured iterations ≥ 1 and"
                    + " both times, got " + forks + ", " + warmupIterations + ", " + measurementIterations);
        }
    }

    /** @return a short description, e.g. {@code 1 fork, 2 × 500 ms warm-up, 4 × 500 ms measured} */
    public String describe() {
        return (forks == 0 ? "in-process" : forks + (forks == 1 ? " fork" : " forks")) + ", " + warmupIterations + " × "
                + warmupTime + " warm-up, " + measurementIterations + " × " + measurementTime + " measured"
                + (profileAllocation ? ", GC profiler" : "");
    }
}
