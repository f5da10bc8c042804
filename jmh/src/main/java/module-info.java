/**
 * JMH benchmarks of Elman's kernels, training and streaming inference.
 */
module dev.elman.jmh {
    requires dev.elman.engine;
    requires jmh.core;
}
