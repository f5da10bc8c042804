package dev.elman.jmh.report;

import dev.elman.jmh.Flops;
import dev.elman.kernels.WeightPrecision;

/**
 * One measured configuration, in the units of the report: time per step (a step advances all B
 * sequences by one timestep), its GFLOP/s, and what the GC profiler saw. A row of reduced-precision
 * weights counts the same FLOP per step as float32 (the work is the same; only the bytes of the
 * weights differ), so its GFLOP/s compare directly.
 *
 * @param workload what was measured
 * @param kernels {@code simd} or {@code reference}; for a peer's benchmark run in the JVM, the peer
 *     ({@link Workload#peerSystem()}, e.g. {@code onnxruntime-1.29.0})
 * @param precision how the recurrent weights were stored (the benchmark's {@code precision}
 *     parameter; {@link WeightPrecision#F32} for a benchmark without one, and for every peer)
 * @param threads the threads the benchmark computed with (its {@code threads} parameter)
 * @param batch B
 * @param hidden H
 * @param input I
 * @param window the span or truncation window in steps; 0 where the benchmark has none
 * @param microsPerStep the time of one step: the mean (AverageTime) or the median (SampleTime)
 * @param errorMicros the half-width of JMH's 99.9% confidence interval of the mean; NaN when
 *     there were too few iterations for one
 * @param p99Micros the 99th percentile of single-step times (SampleTime only, else NaN)
 * @param p999Micros the 99.9th percentile (SampleTime only, else NaN)
 * @param bytesPerStep heap bytes allocated per step by the GC profiler's count; NaN when not profiled
 *     (a peer's rows count its Java API's own objects per run: no sign of uncompiled code there)
 */
public record Measurement(Workload workload, String kernels, WeightPrecision precision, int threads, int batch,
                          int hidden, int input, int window, double microsPerStep, double errorMicros, double p99Micros,
                          double p999Micros, double bytesPerStep) {
    /**
     * Heap bytes per step above which a row did not measure compiled code. The compiled kernels and
     * step paths allocate nothing; what the GC profiler still counts is JMH's own bookkeeping spread
     * over the iteration's steps (up to a few hundred bytes per step for steps of milliseconds).
     * Vector API code the JIT has not compiled allocates kilobytes per step.
     */
    public static final double UNCOMPILED_BYTES_PER_STEP = 1024;

    /**
     * @throws IllegalArgumentException when a size is below 1, the window negative or the time not positive
     */
    public Measurement {
        if (workload == null || kernels == null || precision == null) {
            throw new IllegalArgumentException("workload, kernels and precision must not be null");
        }
        if (threads < 1 || batch < 1 || hidden < 1 || input < 1 || window < 0) {
            throw new IllegalArgumentException("expected threads, B, H, I ≥ 1 and window ≥ 0, got threads = " + threads
                    + ", B = " + batch + ", H = " + hidden + ", I = " + input + ", window = " + window);
        }
        if (!(microsPerStep > 0) || Double.isInfinite(microsPerStep)) {
            throw new IllegalArgumentException(workload.method() + ": microsPerStep must be positive and finite, got "
                    + microsPerStep);
        }
    }

    /**
     * A measurement of float32 weights, as every benchmark without a {@code precision} parameter
     * measures (see the canonical constructor for the components).
     *
     * @throws IllegalArgumentException when a size is below 1, the window negative or the time not positive
     */
    public Measurement(Workload workload, String kernels, int threads, int batch, int hidden, int input, int window,
                       double microsPerStep, double errorMicros, double p99Micros, double p999Micros,
                       double bytesPerStep) {
        this(workload, kernels, WeightPrecision.F32, threads, batch, hidden, input, window, microsPerStep, errorMicros,
                p99Micros, p999Micros, bytesPerStep);
    }

    /** @return whether the recurrent weights were stored in bfloat16 or int8 rather than float32 */
    public boolean reduced() {
        return precision != WeightPrecision.F32;
    }

    /** @return the FLOP of one step by the peers' convention */
    public double flopPerStep() {
        return workload.flopPerStep(batch, input, hidden);
    }

    /** @return the rate of {@link #microsPerStep()} */
    public double gigaflopsPerSecond() {
        return Flops.gigaflopsPerSecond(flopPerStep(), microsPerStep);
    }

    /** @return the time of one whole sequence of the workload's T steps, in milliseconds */
    public double millisPerSequence() {
        return microsPerStep * workload.steps() / 1e3;
    }

    /**
     * @return whether the row allocated like code the JIT had not compiled (or could not compile)
     *     with the Vector API's intrinsics: its time is then not the kernels' speed
     */
    public boolean allocatesLikeUncompiledCode() {
        return workload.elman() && bytesPerStep >= UNCOMPILED_BYTES_PER_STEP;
    }

    /** @return whether single-step percentiles were measured */
    public boolean hasPercentiles() {
        return !Double.isNaN(p99Micros);
    }
}
