package dev.elman.jmh.report;

import dev.elman.jmh.Flops;
import dev.elman.jmh.KernelBenchmark;
import dev.elman.jmh.OrtPeer;
import dev.elman.jmh.SpanBenchmark;
import dev.elman.jmh.TrainingBenchmark;

import java.util.Optional;

/**
 * What each benchmark method measures, as the report needs to know it: which table it belongs to,
 * whether a step is forward only or forward plus backward (for the FLOP count), the sequence
 * length, the peers kit's name for the same work unit, if there is one, and for the benchmarks of a
 * peer run in the JVM (ONNX Runtime) which peer it is.
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
    /**
     * {@code StreamGroupBenchmark.step}: a stream group's step, scored per stream-step (one step of
     * one stream); its {@code streams} parameter is read as the batch, and its FLOP per step are one
     * stream's ({@link #flopPerStep}).
     */
    STREAM_GROUP_STEP("StreamGroupBenchmark.step", "group step", false, 1, null),
    /** {@code KernelBenchmark.forward}: the peers' fwd unit, one span of 256 steps. */
    PEER_FORWARD("KernelBenchmark.forward", "fwd", false, KernelBenchmark.SEQUENCE, "fwd"),
    /** {@code KernelBenchmark.train}: the peers' train unit, 256 steps in windows. */
    PEER_TRAIN("KernelBenchmark.train", "train", true, KernelBenchmark.SEQUENCE, "train"),
    /** {@code OrtKernelBenchmark.forward}: ONNX Runtime on the peers' fwd unit, in the same JMH run. */
    ORT_FORWARD("OrtKernelBenchmark.forward", "fwd", false, KernelBenchmark.SEQUENCE, "fwd", OrtPeer.SYSTEM),
    /** {@code OrtStreamingBenchmark.step}: ONNX Runtime on the streaming step, B = 1, in the same JMH run. */
    ORT_STEP("OrtStreamingBenchmark.step", "step", false, 1, "step", OrtPeer.SYSTEM);

    private final String method;
    private final String label;
    private final boolean backward;
    private final int steps;
    private final String peerMode;
    private final String system;

    Workload(String method, String label, boolean backward, int steps, String peerMode) {
        this(method, label, backward, steps, peerMode, null);
    }

    Workload(String method, String label, boolean backward, int steps, String peerMode, String system) {
        this.method = method;
        this.label = label;
        this.backward = backward;
        this.steps = steps;
        this.peerMode = peerMode;
        this.system = system;
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
     * @return the peer this benchmark measures in the JVM, named as the peers kit names its systems
     *     ({@code onnxruntime-1.29.0}); empty for Elman's own benchmarks
     */
    public Optional<String> peerSystem() {
        return Optional.ofNullable(system);
    }

    /**
     * @return whether the benchmark has a {@code precision} parameter ({@code f32}, {@code bf16},
     *     {@code int8}: how the recurrent weights are stored): the forward-only benchmarks of Elman
     *     that reduced weights can run, {@code KernelBenchmark.forward} and the streaming steps;
     *     {@code KernelBenchmark.train} and the other passes with backward cannot
     */
    public boolean hasPrecision() {
        return this == PEER_FORWARD || this == STREAMING_STEP || this == STREAM_GROUP_STEP;
    }

    /** @return whether this is one of Elman's own benchmarks (its rows have {@code kernels}) */
    public boolean elman() {
        return system == null;
    }

    /**
     * The FLOP of one step by the peers' convention.
     *
     * @param batch B
     * @param inputSize I
     * @param hiddenSize H
     * @return {@code 2·B·H·(I+H)}, times 3 with backward; a stream group's step is scored per
     *     stream-step, so its B is 1 whatever the group's streams
     */
    public double flopPerStep(int batch, int inputSize, int hiddenSize) {
        int rows = this == STREAM_GROUP_STEP ? 1 : batch;
        return Flops.forwardStep(rows, inputSize, hiddenSize) * (backward ? Flops.FORWARD_BACKWARD_FACTOR : 1);
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
