package dev.elman.jmh;

import dev.elman.kernels.RecurrentWeights;
import dev.elman.kernels.WeightPrecision;
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
 * One recurrent layer at the kernel interface, on the work units of the peers kit
 * ({@code ../shared/peers}): float32 activations and sums, tanh, {@code threads} threads (as the
 * peers' thread count), {@code I = H}, a sequence of {@value #SEQUENCE} steps for a batch of B
 * sequences, {@code h0 = 0}.
 *
 * <ul>
 *   <li>{@link #forward}: the whole sequence in one forward span, with the recurrent weights stored
 *       in {@code precision} ({@code f32}, {@code bf16} or {@code int8}; see {@link Precision}).</li>
 *   <li>{@link #train}: the sequence in {@code T/window} chunks; each chunk runs forward from the
 *       previous chunk's last state (carried, detached: no gradient flows back across chunks), then
 *       backward from {@code L = Σ h_t} (every {@code dL/dh_t = 1}), accumulating {@code dWx},
 *       {@code dWh}, {@code db} and writing {@code dx}, as the peers do.</li>
 * </ul>
 * Scores are <b>microseconds per timestep</b> ({@code @OperationsPerInvocation(T)}). The peers'
 * FLOP convention turns them into GFLOP/s: a forward step is {@code 2·B·H·(I+H)} FLOP, a training
 * step three times that, so {@code GFLOP/s = 2·B·H·(I+H)·(1 or 3) / (µs per step · 1000)}.
 *
 * <p>Everything is allocated in {@link #setUp} (the layer, its inputs and buffers over the whole
 * sequence, as {@link RecurrentLayerState} builds them for the kernel benchmarks; a workspace for
 * the sequence and one for a window); the measured methods only call the kernels, which allocate
 * nothing (check with {@code -prof gc}: what remains is JMH's own few kilobytes per
 * iteration, divided over the iteration's operations). Parameters: {@code hidden} (H = I),
 * {@code batch}, {@code window} (must divide {@value #SEQUENCE}), {@code threads}, {@code kernels}
 * ({@code simd} or {@code reference}) and, for {@link #forward} only, {@code precision}. For example:
 * <pre>
 *   ./mvnw -B -q package -pl jmh -am -DskipTests
 *   java -jar jmh/target/benchmarks.jar KernelBenchmark -p kernels=simd -p batch=1 -prof gc
 *   java -jar jmh/target/benchmarks.jar KernelBenchmark.forward -p batch=1 -p precision=f32,int8
 * </pre>
 * The reference at B = 32 and H = 1024 takes tens of seconds per operation; leave it out or give
 * it few iterations.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
@Threads(1)
@Fork(value = 1, jvmArgsPrepend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class KernelBenchmark extends RecurrentLayerState {
    /** T, the length of every sequence (the peers' T). */
    public static final int SEQUENCE = 256;

    /** H, and I = H. */
    @Param({"64", "128", "256", "512", "1024"})
    public int hidden;

    /** B. */
    @Param({"1", "32"})
    public int batch;

    /** The truncation window of {@link #train}, in steps. */
    @Param({"64"})
    public int window;

    /** The threads each pass shares its work with, this one included (the team's workers are the engine's). */
    @Param({"1", "2"})
    public int threads;

    /** Which implementation: {@code simd} or {@code reference}. */
    @Param({"simd", "reference"})
    public String kernels;

    private Workspace sequenceWorkspace;
    private Workspace windowWorkspace;
    /** The layer's weights in the precision {@link #forward} measures; null in a trial of {@link #train}. */
    private RecurrentWeights forwardWeights;

    /**
     * The {@code precision} parameter, on a state of its own that only {@link #forward} takes, so
     * that JMH sweeps it for {@code forward} alone: {@link #train} runs backward passes, which
     * reduced weights do not have. The weights themselves are loaded in {@link #setUp}, which reads
     * this parameter's value from the trial's {@link BenchmarkParams}: a state that built them
     * would need this benchmark's layer, and JMH gives a state depending on the benchmark class an
     * instance of its own (a second layer and team).
     */
    @State(Scope.Thread)
    public static class Precision {
        /** How {@code Wx} and {@code Wh} are stored: {@code f32}, {@code bf16} or {@code int8} ({@link WeightPrecision}). */
        @Param({"f32", "bf16", "int8"})
        public String precision;
    }

    /**
     * Builds the layer, its inputs and every buffer, for {@link #forward} its weights in the trial's
     * {@code precision} (rounded as they load), outside the measurement, then runs the measured
     * method until the JIT has compiled it ({@link JitWarmup}).
     *
     * @param params which method this trial measures, and its parameters
     * @throws IllegalArgumentException when {@code window} does not divide the sequence or
     *     {@code precision} is none of f32, bf16, int8
     */
    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        if (window < 1 || SEQUENCE % window != 0) {
            throw new IllegalArgumentException("window must divide the sequence length " + SEQUENCE + ", got " + window);
        }
        buildLayer(kernels, hidden, batch, SEQUENCE, window);
        openTeam(threads);
        int inputSize = hidden;
        sequenceWorkspace = implementation.newWorkspace(inputSize, hidden, SEQUENCE, batch, team);
        windowWorkspace = implementation.newWorkspace(inputSize, hidden, window, batch, team);
        String trial = params.getBenchmark() + " B=" + batch + " H=" + hidden + " " + kernels;
        if (params.getBenchmark().endsWith(".train")) {
            forwardWeights = null;
            JitWarmup.untilAllocationFree(trial, this::train, 1, 256);
        } else {
            String precision = params.getParam("precision");
            WeightPrecision stored = WeightPrecision.parse(precision);
            forwardWeights = stored == WeightPrecision.F32 ? weights : newWeights(stored);
            JitWarmup.untilAllocationFree(trial + " " + precision, this::forwardPass, 1, 256);
        }
    }

    /**
     * The forward pass over the whole sequence, on the weights in the trial's precision.
     *
     * @param precision the trial's precision (its weights were loaded in {@link #setUp}); taken so
     *     that this method, and only this one, has the parameter
     * @return the outputs, for JMH to consume
     */
    @Benchmark
    @OperationsPerInvocation(SEQUENCE)
    public float[] forward(Precision precision) {
        return forwardPass();
    }

    private float[] forwardPass() {
        implementation.forward(forwardWeights, sequenceWorkspace, SEQUENCE, batch, false, x, 0, null, h, 0, null);
        return h;
    }

    /**
     * Truncated BPTT over the sequence: per window, forward from the carried state, then backward.
     *
     * @return the input gradients, for JMH to consume
     */
    @Benchmark
    @OperationsPerInvocation(SEQUENCE)
    public float[] train() {
        int inputSize = hidden;
        int stateCount = batch * hidden;
        for (int chunk = 0; chunk < SEQUENCE / window; chunk++) {
            int xAt = chunk * window * batch * inputSize;
            int hAt = chunk * window * stateCount;
            float[] h0 = chunk == 0 ? null : carried;
            implementation.forward(weights, windowWorkspace, window, batch, false, x, xAt, h0, h, hAt, null);
            implementation.backward(weights, windowWorkspace, window, batch, false, x, xAt, h0, h, hAt, null,
                    ones, 0, null, gradients, dx, xAt, null);
            System.arraycopy(h, hAt + (window - 1) * stateCount, carried, 0, stateCount);
        }
        return dx;
    }
}
