package dev.elman.jmh.report;

import dev.elman.jmh.Flops;
import dev.elman.jmh.KernelBenchmark;
import dev.elman.jmh.SpanBenchmark;
import dev.elman.jmh.TrainingBenchmark;

import java.util.Optional;

/**
 * What each benchmark method measures, as the report needs to know it: which table it belongs to,
 * whether a step is forward only or forward plus backward (for the FLOP count), the sequence
 * length, and the peers kit's name for the same work unit, if there is one.
 */
public enum Workload {
    /** {@code SpanBenchmark.forward}: forward over spans of {@code window} steps. */
    SPAN_FORWARD("SpanBenchmark.forward", "forward", false, SpanBenchmark.STEPS, null),
    /** {@code SpanBenchmark.forwardBackward}: forward then backward over each span. */
    SPAN_FORWARD_BACKWARD("SpanBenchmark.forwardBackward", "forward+backward", true, SpanBenchmark.STEPS, null),
    /** {@code TrainingBenchmark.train}: truncated-BPTT training through the engine's Trainer. */
    TRAINING("TrainingBenchmark.train", "training", true, TrainingBenchmark.STEPS, null),
    /** {@code StreamingBenchmark.step}: one streaming step, B = 1. */
    STREAMING_STEP("StreamingBenchmark.step", "step", false, 1, "step"),
    /** {@code KernelBenchmark.forward}: the peers' fwd unit, one span of 256 steps. */
    PEER_FORWARD("KernelBenchmark.forward", "fwd", false, KernelBenchmark.SEQUENCE, "fwd"),
    /** {@code KernelBenchmark.train}: the peers' train unit, 256 steps in windows. */
    PEER_TRAIN("KernelBenchmark.train", "train", true, KernelBenchmark.SEQUENCE, "train");

    private final String method;
    private final String label;
    private final boolean backward;
    private final int steps;
    private final String peerMode;

    Workload(String method, String label, boolean backward, int steps, String peerMode) {
        this.method = method;
        this.label = label;
        this.backward = backward;
        this.steps = steps;
        this.peerMode = peerMode;
    }

    /** @return the benchmark method, {@code Class.method} without the package */
    public String method() {
        return method;
    }

    /** @return a short name for tables and legends */
    public String label() {
        return label;
    }

    /** @return whether a step is forward plus backward (counted {@link Flops#FORWARD_BACKWARD_FACTOR}×) */
    public boolean backward() {
        return backward;
    }

    /** @return T, the steps of one sequence in this benchmark (1 for the streaming step) */
    public int steps() {
        return steps;
    }

    /** @return the peers kit's mode for the same work ({@code fwd}, {@code train}, {@code step}), if any */
    public Optional<String> peerMode() {
        return Optional.ofNullable(peerMode);
    }

    /**
     * The FLOP of one step by the peers' convention.
     *
     * @param batch B
     * @param inputSize I
     * @param hiddenSize H
     * @return {@code 2·B·H·(I+H)}, times 3 with backward
     */
    public double flopPerStep(int batch, int inputSize, int hiddenSize) {
        return Flops.forwardStep(batch, inputSize, hiddenSize) * (backward ? Flops.FORWARD_BACKWARD_FACTOR : 1);
    }

    /**
     * The workload of a benchmark.
     *
     * @param benchmark JMH's benchmark name, with or without the package
     *     ({@code dev.elman.jmh.SpanBenchmark.forward})
     * @return its workload
     * @throws IllegalArgumentException when the report does not know that benchmark
     */
    public static Workload of(String benchmark) {
        for (Workload workload : values()) {
            if (benchmark.equals(workload.method) || benchmark.endsWith("." + workload.method)) {
                return workload;
            }
        }
        throw new IllegalArgumentException("benchmark '" + benchmark + "' is unknown to the report: give it a Workload"
                + " (its FLOP count and table)");
    }
}
