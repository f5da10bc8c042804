package dev.elman.jmh.report;

import dev.elman.kernels.WeightPrecision;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.util.Statistics;

/**
 * Turns JMH's results into {@link Measurement}s. Every Elman benchmark scores microseconds per
 * step ({@code @OperationsPerInvocation} makes one operation one step), names its sizes with the
 * parameters {@code hidden}, {@code batch}, {@code window}, {@code kernels} and {@code threads}, and
 * has {@code I = H}; a benchmark without {@code batch} runs B = 1, one without {@code window} has
 * none, one without {@code threads} ran on one thread, one without {@code precision} (every benchmark
 * but the forward and streaming ones, and any result written before they had it) on float32
 * weights. The benchmarks of a peer run in the JVM
 * (ONNX Runtime) have no {@code kernels}: their rows carry the peer's name there
 * ({@link Workload#peerSystem()}).
 */
public final class MeasurementReader {
    /** The GC profiler's allocation per operation. */
    static final String ALLOCATION_METRIC = "gc.alloc.rate.norm";

    private MeasurementReader() {
    }

    /**
     * @param result one configuration's result
     * @return it as a measurement
     * @throws IllegalArgumentException when the benchmark is unknown to the report, its unit is not µs per
     *     step or a parameter is malformed
     */
    public static Measurement read(RunResult result) {
        BenchmarkParams params = result.getParams();
        Workload workload = Workload.of(params.getBenchmark());
        Result<?> primary = result.getPrimaryResult();
        if (!"us/op".equals(primary.getScoreUnit())) {
            throw new IllegalArgumentException(params.getBenchmark() + ": expected a score in us/op (µs per step), got "
                    + primary.getScoreUnit());
        }
        int hidden = intParam(params, "hidden", -1);
        // A stream group's streams are its batch (its score is per stream-step: see Workload.flopPerStep).
        int batch = intParam(params, "batch", intParam(params, "streams", 1));
        int threads = intParam(params, "threads", 1);
        // The peers' fwd unit runs the whole sequence as one span: its window is T, as the kit writes K = T.
        boolean wholeSequence = workload.peerMode().filter("fwd"::equals).isPresent();
        int window = wholeSequence ? workload.steps() : intParam(params, "window", 0);
        // A peer's benchmark has no kernels: its row names the peer instead.
        String kernels = workload.peerSystem().orElse(params.getParam("kernels"));
        if (hidden < 1 || kernels == null) {
            throw new IllegalArgumentException(params.getBenchmark() + ": expected the parameters hidden and kernels");
        }
        WeightPrecision precision = precision(params);
        Statistics statistics = primary.getStatistics();
        double time;
        double p99 = Double.NaN;
        double p999 = Double.NaN;
        double error = Double.NaN;
        if (params.getMode() == Mode.SampleTime) {
            time = statistics.getPercentile(50);
            p99 = statistics.getPercentile(99);
            p999 = statistics.getPercentile(99.9);
        } else {
            time = primary.getScore();
            error = primary.getScoreError();
        }
        Result<?> allocation = result.getSecondaryResults().get(ALLOCATION_METRIC);
        double bytes = allocation == null ? Double.NaN : allocation.getScore();
        return new Measurement(workload, kernels, precision, threads, batch, hidden, hidden, window, time, error, p99,
                p999, bytes);
    }

    /** @return the {@code precision} parameter, f32 when there is none */
    static WeightPrecision precision(BenchmarkParams params) {
        String value = params.getParam("precision");
        if (value == null) {
            return WeightPrecision.F32;
        }
        try {
            return WeightPrecision.parse(value.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(params.getBenchmark() + ": parameter " + e.getMessage(), e);
        }
    }

    private static int intParam(BenchmarkParams params, String name, int absent) {
        String value = params.getParam(name);
        if (value == null) {
            return absent;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(params.getBenchmark() + ": parameter " + name + " = '" + value
                    + "' is not a whole number");
        }
    }
}
