/**
 * JMH benchmarks of Elman's kernels, training and streaming inference.
 *
 * <p>Built into {@code jmh/target/benchmarks.jar} and run from it on the class path
 * ({@code java -jar jmh/target/benchmarks.jar}); this descriptor is what the sources compile
 * against.
 */
module dev.elman.jmh {
    requires dev.elman.engine;
    requires dev.elman.cli;
    requires dev.elman.simd;
    requires jmh.core;
    // JitWarmup reads per-thread allocation (com.sun.management.ThreadMXBean).
    requires jdk.management;

    // JMH's generated harness and its runner reach the benchmark classes reflectively.
    opens dev.elman.jmh;
}
