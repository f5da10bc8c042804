package dev.elman.jmh.report;

import dev.elman.jmh.ReferenceBudget;
import dev.elman.jmh.SpanBenchmark;
import dev.elman.kernels.WeightPrecision;
import org.openjdk.jmh.runner.options.TimeValue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Which configurations a sweep runs, and how long it measures each.
 *
 * <p>Until C2 has compiled the Vector API code it runs a hundred to a thousand times slower (every
 * vector operation allocates), and compiling the kernels takes seconds of CPU, more on a busy
 * machine: a fixed second of warm-up measured the interpreter. So every benchmark's setup first runs
 * its operation until it stops allocating ({@link dev.elman.jmh.JitWarmup}), and JMH's warm-up
 * iterations then only let the rest settle.
 *
 * <ul>
 *   <li>{@link #full()}: the grid. Spans: H ∈ {32 … 1024}, window ∈ {16 … 512}, B ∈ {1, 32},
 *       SIMD everywhere and the reference within {@link ReferenceBudget}; training: the same H and
 *       windows at B = 32 (SIMD); streaming: H ∈ {64, 256, 1024}, both kernels; stream groups:
 *       streams ∈ {1, 8, 32, 256} at the same H (SIMD, in the quick sweep too); the peers' units:
 *       H ∈ {32 … 1024}, B ∈ {1, 32}, window 64 (SIMD); ONNX Runtime on the same fwd cells and
 *       streaming sizes; reduced-precision weights (bf16, int8) on the fwd unit at B = 1,
 *       H ∈ {64, 256, 512, 1024}, and on the streaming step (SIMD): 28 configurations. 682
 *       configurations in all at 1 and 2 threads.</li>
 *   <li>{@link #quick()}: every benchmark on a coarser grid (H ∈ {64, 256, 1024}, windows
 *       {16, 64}; the reference at H ≤ 256, window 64) with shorter measurement (README gives the time it takes here), and
 *       ONNX Runtime's 18 configurations (fwd at 3 H × 2 B, the step at 3 H, each at 1 and 2
 *       threads) about a minute more (not yet timed here); the reduced precisions on the fwd unit
 *       at B = 1, H ∈ {256, 1024} and on the streaming step at every H: 20 configurations (of 184
 *       at 1 and 2 threads), about a minute more.</li>
 *   <li>{@link #smoke()}: every benchmark once at its smallest sizes (Elman's with both kernels,
 *       and the SIMD kernels on reduced weights where a benchmark has a {@code precision}),
 *       in-process, a few milliseconds each: for the build's test, so that none can rot.</li>
 * </ul>
 * Every configuration of the full and quick sweeps runs at each of the thread counts asked for
 * ({@link #DEFAULT_THREADS}: 1 and 2, as the peers kit runs), so that each row stands beside the
 * peers' row at the same count; the smoke sweep runs 1 and 2 threads too.
 *
 * <p>Reduced-precision weights ({@link WeightPrecision}) exist for inference only, so only the
 * benchmarks with a {@code precision} parameter ({@link Workload#hasPrecision()}) run them, and of
 * those the cells a reduced precision is for: one sequence (B = 1) of the fwd unit and the
 * streaming step, where reading the weights bounds a step, on the SIMD kernels (the reference's
 * reduced weights are the tests' oracle, not a speed). Every group of such a benchmark names its
 * {@code precision} values, f32 included, so that JMH never falls back on the annotation's.
 *
 * @param name what the report calls this sweep
 * @param timing how long each configuration is measured
 * @param groups the JMH runs, in order
 */
public record SweepPlan(String name, Timing timing, List<RunGroup> groups) {
    private static final List<Integer> ALL_HIDDEN = List.of(32, 64, 128, 256, 512, 1024);
    private static final List<Integer> ALL_WINDOWS = List.of(16, 32, 64, 128, 256, 512);
    private static final List<Integer> QUICK_HIDDEN = List.of(64, 256, 1024);
    private static final List<Integer> QUICK_WINDOWS = List.of(16, 64);
    /** The quick sweep's reference: small sizes (its budget cuts the rest), so each line has several points. */
    private static final List<Integer> QUICK_REFERENCE_HIDDEN = List.of(32, 64, 128, 256);
    private static final List<Integer> STREAMING_HIDDEN = List.of(64, 256, 1024);
    /** The fwd unit's hidden sizes (at B = 1) that reduced precisions run at, where the grid has them. */
    private static final List<Integer> REDUCED_FORWARD_HIDDEN = List.of(64, 256, 512, 1024);
    /**
     * The quick sweep's: the sizes whose weights leave the core's L2 cache in float32 (256: 512 KiB of
     * Wx and Wh; 1024: 8 MiB), which is where the fewer bytes can pay, keeping the quick sweep's
     * reduced cells at 20.
     */
    private static final List<Integer> QUICK_REDUCED_FORWARD_HIDDEN = List.of(256, 1024);
    /** The streams of a stream group's step: 1 (a lone stream) up to well past one block of 32. */
    private static final List<Integer> GROUP_STREAMS = List.of(1, 8, 32, 256);
    private static final List<Integer> BATCHES = List.of(1, 32);
    /** The window of the peers' work units (the kit's default, and what the SIMD issue's targets use). */
    private static final int PEER_WINDOW = 64;
    /** The thread counts a sweep measures unless told otherwise. */
    public static final List<Integer> DEFAULT_THREADS = List.of(1, 2);
    /** The precisions a sweep measures unless told otherwise: every one. */
    public static final List<WeightPrecision> DEFAULT_PRECISIONS = List.of(WeightPrecision.values());

    /**
     * @throws IllegalArgumentException when there is no group
     */
    public SweepPlan {
        groups = List.copyOf(groups);
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("a sweep needs at least one run group");
        }
    }

    /**
     * @return the whole grid at {@link #DEFAULT_THREADS}: per configuration one fork, the JIT
     *     warm-up, 2 warm-up iterations of 1 s and 4 measured iterations of 0.5 s
     */
    public static SweepPlan full() {
        return full(DEFAULT_THREADS);
    }

    /**
     * @param threads the thread counts to run every configuration at, each from 1 up, not empty
     * @return the whole grid at those thread counts, timed as {@link #full()}
     * @throws IllegalArgumentException when the list is empty or holds a count below 1
     */
    public static SweepPlan full(List<Integer> threads) {
        return full(threads, DEFAULT_PRECISIONS);
    }

    /**
     * @param threads the thread counts to run every configuration at, each from 1 up, not empty
     * @param precisions the precisions of the cells that have one, f32 among them, each once
     * @return the whole grid at those thread counts and precisions, timed as {@link #full()}
     * @throws IllegalArgumentException when a list is empty, holds a thread count below 1, a
     *     precision twice or no f32
     */
    public static SweepPlan full(List<Integer> threads, List<WeightPrecision> precisions) {
        Timing timing = new Timing(1, 2, TimeValue.seconds(1), 4, TimeValue.milliseconds(500), true);
        return new SweepPlan("full", timing, grid(ALL_HIDDEN, ALL_WINDOWS, ALL_HIDDEN, ALL_WINDOWS,
                REDUCED_FORWARD_HIDDEN, threads, precisions));
    }

    /**
     * @return the coarse grid at {@link #DEFAULT_THREADS}: per configuration one fork, the JIT
     *     warm-up, one warm-up iteration of 0.5 s and 2 measured iterations of 0.5 s
     */
    public static SweepPlan quick() {
        return quick(DEFAULT_THREADS);
    }

    /**
     * @param threads the thread counts to run every configuration at, each from 1 up, not empty
     * @return the coarse grid at those thread counts, timed as {@link #quick()}
     * @throws IllegalArgumentException when the list is empty or holds a count below 1
     */
    public static SweepPlan quick(List<Integer> threads) {
        return quick(threads, DEFAULT_PRECISIONS);
    }

    /**
     * @param threads the thread counts to run every configuration at, each from 1 up, not empty
     * @param precisions the precisions of the cells that have one, f32 among them, each once
     * @return the coarse grid at those thread counts and precisions, timed as {@link #quick()}
     * @throws IllegalArgumentException when a list is empty, holds a thread count below 1, a
     *     precision twice or no f32
     */
    public static SweepPlan quick(List<Integer> threads, List<WeightPrecision> precisions) {
        Timing timing = new Timing(1, 1, TimeValue.milliseconds(500), 2, TimeValue.milliseconds(500), true);
        return new SweepPlan("quick", timing, grid(QUICK_HIDDEN, QUICK_WINDOWS, QUICK_REFERENCE_HIDDEN,
                List.of(PEER_WINDOW), QUICK_REDUCED_FORWARD_HIDDEN, threads, precisions));
    }

    /**
     * @return every benchmark once at its smallest sizes, Elman's with both kernels (in f32 where it
     *     has a precision, and then on the SIMD kernels in every reduced precision too), all at 1
     *     and 2 threads, in-process, one 5 ms iteration
     */
    public static SweepPlan smoke() {
        Timing timing = new Timing(0, 0, TimeValue.milliseconds(5), 1, TimeValue.milliseconds(5), false);
        List<RunGroup> groups = new ArrayList<>();
        List<String> both = List.of("simd", "reference");
        for (Workload workload : Workload.values()) {
            if (!workload.elman()) {
                continue;
            }
            Map<String, List<String>> params = new LinkedHashMap<>();
            params.put("hidden", List.of("32"));
            if (workload == Workload.STREAM_GROUP_STEP) {
                params.put("streams", List.of("8"));
            } else if (workload != Workload.STREAMING_STEP) {
                params.put("window", List.of("16"));
                params.put("batch", List.of("1"));
            }
            params.put("kernels", both);
            params.put("threads", strings(DEFAULT_THREADS));
            if (workload.hasPrecision()) {
                params.put("precision", List.of(WeightPrecision.F32.label()));
                groups.add(new RunGroup(workload, params));
                Map<String, List<String>> reduced = new LinkedHashMap<>(params);
                reduced.put("kernels", List.of("simd"));
                reduced.put("precision", labels(reducedOf(DEFAULT_PRECISIONS)));
                groups.add(new RunGroup(workload, reduced));
            } else {
                groups.add(new RunGroup(workload, params));
            }
        }
        List<String> threads = strings(DEFAULT_THREADS);
        groups.add(ortForward(List.of("32"), List.of("1"), threads));
        groups.add(ortStep(List.of("32"), threads));
        return new SweepPlan("smoke", timing, groups);
    }

    /**
     * This plan cut to the benchmark methods whose name matches {@code methods} (found anywhere in
     * {@code Class.method}, e.g. {@code StreamingBenchmark.step} or {@code Kernel}).
     *
     * @param methods the pattern
     * @return the plan with only those groups, of the same name and timing
     * @throws IllegalArgumentException when no group's method matches, listing the methods there are
     */
    public SweepPlan only(Pattern methods) {
        List<RunGroup> kept = groups.stream().filter(g -> methods.matcher(g.workload().method()).find()).toList();
        if (kept.isEmpty()) {
            throw new IllegalArgumentException("no benchmark of the " + name + " sweep matches '" + methods.pattern()
                    + "'; they are " + String.join(", ", groups.stream().map(g -> g.workload().method()).distinct()
                    .toList()));
        }
        return new SweepPlan(name, timing, kept);
    }

    /** @return the configurations of all groups */
    public int configurations() {
        return groups.stream().mapToInt(RunGroup::configurations).sum();
    }

    private static List<RunGroup> grid(List<Integer> hidden, List<Integer> windows, List<Integer> referenceHidden,
                                       List<Integer> referenceWindows, List<Integer> reducedForwardHidden,
                                       List<Integer> threadCounts, List<WeightPrecision> precisions) {
        if (threadCounts.isEmpty() || threadCounts.stream().anyMatch(t -> t < 1)) {
            throw new IllegalArgumentException("a sweep needs thread counts of at least 1, got " + threadCounts);
        }
        checkPrecisions(precisions);
        List<String> threads = strings(threadCounts);
        List<String> f32 = List.of(WeightPrecision.F32.label());
        List<String> reduced = labels(reducedOf(precisions));
        List<RunGroup> groups = new ArrayList<>();
        for (Workload span : List.of(Workload.SPAN_FORWARD, Workload.SPAN_FORWARD_BACKWARD)) {
            groups.add(group(span, hidden, windows, BATCHES, "simd", threads));
        }
        // The reference: per pass and batch, the hidden sizes whose operation fits the budget.
        for (Workload span : List.of(Workload.SPAN_FORWARD, Workload.SPAN_FORWARD_BACKWARD)) {
            for (int batch : BATCHES) {
                List<Integer> affordable = referenceHidden.stream().filter(h -> ReferenceBudget.allows(
                        SpanBenchmark.STEPS * span.flopPerStep(batch, h, h))).toList();
                if (!affordable.isEmpty()) {
                    groups.add(group(span, affordable, referenceWindows, List.of(batch), ReferenceBudget.REFERENCE,
                            threads));
                }
            }
        }
        groups.add(group(Workload.TRAINING, hidden, windows, List.of(32), "simd", threads));
        Map<String, List<String>> streaming = new LinkedHashMap<>();
        streaming.put("hidden", strings(STREAMING_HIDDEN));
        streaming.put("kernels", List.of("simd", "reference"));
        streaming.put("threads", threads);
        streaming.put("precision", f32);
        groups.add(new RunGroup(Workload.STREAMING_STEP, streaming));
        if (!reduced.isEmpty()) {
            Map<String, List<String>> reducedStreaming = new LinkedHashMap<>(streaming);
            reducedStreaming.put("kernels", List.of("simd"));
            reducedStreaming.put("precision", reduced);
            groups.add(new RunGroup(Workload.STREAMING_STEP, reducedStreaming));
        }
        Map<String, List<String>> streamGroups = new LinkedHashMap<>();
        streamGroups.put("streams", strings(GROUP_STREAMS));
        streamGroups.put("hidden", strings(STREAMING_HIDDEN));
        streamGroups.put("kernels", List.of("simd"));
        streamGroups.put("threads", threads);
        streamGroups.put("precision", f32);
        groups.add(new RunGroup(Workload.STREAM_GROUP_STEP, streamGroups));
        RunGroup forward = group(Workload.PEER_FORWARD, hidden, List.of(PEER_WINDOW), BATCHES, "simd", threads);
        groups.add(withPrecision(forward, f32));
        List<Integer> reducedHidden = reducedForwardHidden.stream().filter(hidden::contains).toList();
        if (!reduced.isEmpty() && !reducedHidden.isEmpty()) {
            RunGroup one = group(Workload.PEER_FORWARD, reducedHidden, List.of(PEER_WINDOW), List.of(1), "simd", threads);
            groups.add(withPrecision(one, reduced));
        }
        groups.add(group(Workload.PEER_TRAIN, hidden, List.of(PEER_WINDOW), BATCHES, "simd", threads));
        // ONNX Runtime in the same run, on the cells Elman measures: fwd beside KernelBenchmark.forward,
        // the step beside StreamingBenchmark (ORT does not train: no train unit).
        groups.add(ortForward(strings(hidden), strings(BATCHES), threads));
        groups.add(ortStep(strings(STREAMING_HIDDEN), threads));
        return groups;
    }

    private static RunGroup ortForward(List<String> hidden, List<String> batches, List<String> threads) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        params.put("hidden", hidden);
        params.put("batch", batches);
        params.put("threads", threads);
        return new RunGroup(Workload.ORT_FORWARD, params);
    }

    private static RunGroup ortStep(List<String> hidden, List<String> threads) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        params.put("hidden", hidden);
        params.put("threads", threads);
        return new RunGroup(Workload.ORT_STEP, params);
    }

    private static RunGroup group(Workload workload, List<Integer> hidden, List<Integer> windows, List<Integer> batches,
                                  String kernels, List<String> threads) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        params.put("hidden", strings(hidden));
        params.put("window", strings(windows));
        params.put("batch", strings(batches));
        params.put("kernels", List.of(kernels));
        params.put("threads", threads);
        return new RunGroup(workload, params);
    }

    /**
     * @throws IllegalArgumentException when the list is empty, names a precision twice or lacks f32
     *     (the float32 rows are what every other benchmark measures and what the reduced ones are set against)
     */
    private static void checkPrecisions(List<WeightPrecision> precisions) {
        if (precisions.isEmpty() || precisions.stream().anyMatch(Objects::isNull) || precisions.stream().distinct().count() != precisions.size()
                || !precisions.contains(WeightPrecision.F32)) {
            throw new IllegalArgumentException("a sweep needs distinct precisions, f32 among them, got "
                    + precisions.stream().map(p -> p == null ? "null" : p.label()).toList());
        }
    }

    private static List<WeightPrecision> reducedOf(List<WeightPrecision> precisions) {
        return precisions.stream().filter(p -> p != WeightPrecision.F32).toList();
    }

    private static RunGroup withPrecision(RunGroup group, List<String> precisions) {
        Map<String, List<String>> params = new LinkedHashMap<>(group.params());
        params.put("precision", precisions);
        return new RunGroup(group.workload(), params);
    }

    private static List<String> labels(List<WeightPrecision> precisions) {
        return precisions.stream().map(WeightPrecision::label).toList();
    }

    private static List<String> strings(List<Integer> values) {
        return values.stream().map(String::valueOf).toList();
    }
}
