package dev.elman.cli;

import dev.elman.engine.model.Model;
import dev.elman.engine.model.StreamingSession;

import java.util.Arrays;

/**
 * The latency of one streaming step ({@link StreamingSession#step}) of a model: each step timed
 * with {@link System#nanoTime()} after a warm-up, fed a real input sequence over and over (the
 * session reset at each sequence's end, so the state stays in its usual range). A quick reading
 * for the demo, including the timer's own cost (tens of nanoseconds); the benchmarks in
 * {@code jmh/} are the measurement to quote.
 *
 * @param medianMicros the median step, µs
 * @param p99Micros the 99th percentile, µs
 * @param samples the steps timed
 */
record StreamingLatency(double medianMicros, double p99Micros, int samples) {

    /**
     * @param model a unidirectional model
     * @param inputs one sequence, {@code [T][I]}
     * @param steps T
     * @param warmUp steps run untimed first, for the JIT
     * @param samples steps timed
     * @return the latency
     */
    static StreamingLatency measure(Model model, float[] inputs, int steps, int warmUp, int samples) {
        int inputSize = model.config().inputSize();
        StreamingSession session = model.newSession();
        int t = 0;
        for (int i = 0; i < warmUp; i++) {
            session.step(inputs, t * inputSize);
            if (++t == steps) {
                t = 0;
                session.reset();
            }
        }
        long[] nanos = new long[samples];
        for (int i = 0; i < samples; i++) {
            long start = System.nanoTime();
            session.step(inputs, t * inputSize);
            nanos[i] = System.nanoTime() - start;
            if (++t == steps) {
                t = 0;
                session.reset();
            }
        }
        Arrays.sort(nanos);
        return new StreamingLatency(nanos[samples / 2] / 1e3, nanos[Math.min(samples - 1, (int) Math.ceil(samples * 0.99) - 1)] / 1e3,
                samples);
    }
}
