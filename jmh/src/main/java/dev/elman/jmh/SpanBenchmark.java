package dev.elman.jmh;

import dev.elman.engine.KernelSelection;
import dev.elman.kernels.Workspace;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

import java.util.concurrent.TimeUnit;

/**
 * The kernels over spans of {@code window} steps: the sweep over hidden size, truncation window,
 * batch and implementation.
 *
 * <p>One layer, tanh, {@code I = H}, every pass shared with a team of {@code threads} threads. An operation is {@value #STEPS} steps of B
 * sequences, run as {@code STEPS / window} consecutive spans, each starting from the state the
 * previous one ended in (the first from zeros):
 * <ul>
 *   <li>{@link #forward}: each span forward;</li>
 *   <li>{@link #forwardBackward}: each span forward, then backward from {@code dL/dh_t = 1} at every
 *       step (the peers' {@code L = Σ h_t}), accumulating {@code dWx, dWh, db} and writing
 *       {@code dx}: one truncated-BPTT window, without the optimizer.</li>
 * </ul>
 * Every span reuses the same window-sized buffers, as a truncated-BPTT trainer reuses its window
 * (the engine's full path, data streaming from a whole sequence, is {@link TrainingBenchmark}).
 * Scores are <b>microseconds per step</b>; with {@link Flops} a forward step is
 * {@code 2·B·H·(I+H)} FLOP and a forward-plus-backward step three times that.
 *
 * <p>The layer, its inputs and buffers (one span's worth) are the kernel benchmarks' shared
 * {@link RecurrentLayerState}. The reference kernels run only within {@link ReferenceBudget}:
 * beyond it their setup refuses (the {@code ./rnn bench} runner schedules only the configurations
 * within it). Nothing allocates in the measured methods; the setup runs the operation until the
 * JIT has compiled it ({@link JitWarmup}). Example:
 * <pre>
 *   java -jar jmh/target/benchmarks.jar SpanBenchmark -p kernels=simd -p batch=32 -p window=64 -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
@Threads(1)
@Fork(value = 1, jvmArgsPrepend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 1)
public class SpanBenchmark extends RecurrentLayerState {
    /** Steps per measured operation: a multiple of every window swept. */
    public static final int STEPS = 512;

    /** H, and I = H. */
    @Param({"32", "64", "128", "256", "512", "1024"})
    public int hidden;

    /** The span length, in steps; must divide {@value #STEPS}. */
    @Param({"16", "32", "64", "128", "256", "512"})
    public int window;

    /** B. */
    @Param({"1", "32"})
    public int batch;

    /** The threads each pass shares its work with, this one included (the team's workers are the engine's). */
    @Param({"1", "2"})
    public int threads;

    /** {@code simd} or {@code reference} (or {@code auto}), as {@link KernelSelection#choose} takes them. */
    @Param({"simd", "reference"})
    public String kernels;

    private Workspace workspace;

    /**
     * Builds the layer and every buffer, outside the measurement.
     *
     * @param params which benchmark method this trial measures (its cost decides the reference budget)
     */
    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        if (window < 1 || STEPS % window != 0) {
            throw new IllegalArgumentException("window must divide " + STEPS + ", got " + window);
        }
        int inputSize = hidden;
        boolean backward = params.getBenchmark().endsWith(".forwardBackward");
        double flop = STEPS * Flops.forwardStep(batch, inputSize, hidden) * (backward ? Flops.FORWARD_BACKWARD_FACTOR : 1);
        ReferenceBudget.check(kernels, flop, params.getBenchmark() + " at B = " + batch + ", H = " + hidden);
        buildLayer(kernels, hidden, batch, window, window);
        openTeam(threads);
        workspace = implementation.newWorkspace(inputSize, hidden, window, batch, team);
        JitWarmup.untilAllocationFree(describe(params), backward ? this::forwardBackward : this::forward, 1, 256);
    }

    private String describe(BenchmarkParams params) {
        return params.getBenchmark() + " B=" + batch + " H=" + hidden + " window=" + window + " " + kernels;
    }

    /** Starts every iteration's gradient sums from zero, so they stay of the size one update sees. */
    @Setup(Level.Iteration)
    public void zeroGradients() {
        gradients.zero();
    }

    /**
     * {@value #STEPS} steps forward, span by span.
     *
     * @return the last span's states, for JMH to consume
     */
    @Benchmark
    @OperationsPerInvocation(STEPS)
    public float[] forward() {
        int stateCount = batch * hidden;
        for (int span = 0; span < STEPS / window; span++) {
            implementation.forward(weights, workspace, window, batch, false, x, 0, span == 0 ? null : carried, h, 0, null);
            System.arraycopy(h, (window - 1) * stateCount, carried, 0, stateCount);
        }
        return h;
    }

    /**
     * {@value #STEPS} steps forward and backward, span by span.
     *
     * @return the last span's input gradients, for JMH to consume
     */
    @Benchmark
    @OperationsPerInvocation(STEPS)
    public float[] forwardBackward() {
        int stateCount = batch * hidden;
        for (int span = 0; span < STEPS / window; span++) {
            float[] h0 = span == 0 ? null : carried;
            implementation.forward(weights, workspace, window, batch, false, x, 0, h0, h, 0, null);
            implementation.backward(weights, workspace, window, batch, false, x, 0, h0, h, 0, null,
                    ones, 0, null, gradients, dx, 0, null);
            System.arraycopy(h, (window - 1) * stateCount, carried, 0, stateCount);
        }
        return dx;
    }
}
