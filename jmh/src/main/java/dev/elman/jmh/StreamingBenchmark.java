package dev.elman.jmh;

import dev.elman.engine.KernelSelection;
import dev.elman.engine.model.Initialization;
import dev.elman.engine.model.Model;
import dev.elman.engine.model.ModelConfig;
import dev.elman.engine.model.StreamingSession;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Streaming inference latency: one {@link StreamingSession#step} of a single stream (B = 1), the
 * state carried from step to step, as a low-latency user calls it.
 *
 * <p>The model is one tanh layer with {@code I = H} and no head (the peers' step work unit: a
 * forward step of {@code 2·H·(I+H)} FLOP). Each step reads the next of
 * {@value #INPUTS} stored input vectors, so consecutive steps do not see the same input. JMH's
 * SampleTime mode times individual steps: the report gives the median, p99 and p99.9 in
 * microseconds. A step allocates nothing ({@code -prof gc}: 0 B/op).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
@Threads(1)
@Fork(value = 1, jvmArgsPrepend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 1)
public class StreamingBenchmark {
    /** How many distinct input vectors the steps cycle through. */
    public static final int INPUTS = 16;
    /** The seed of the model's initialisation (ONNX Runtime's {@link OrtStreamingBenchmark} builds the same model). */
    public static final long SEED = 42;
    /** The seed of the inputs. */
    private static final long INPUT_SEED = 11;

    /** H, and I = H. */
    @Param({"64", "256", "1024"})
    public int hidden;

    /** The threads the model computes with ({@link Model#setThreads}), this one included. */
    @Param({"1", "2"})
    public int threads;

    /** {@code simd} or {@code reference} (or {@code auto}), as {@link KernelSelection#choose} takes them. */
    @Param({"simd", "reference"})
    public String kernels;

    private Model model;
    private StreamingSession session;
    private float[] inputs;
    private int next;

    /** Builds the model, its session and the inputs, and steps until the JIT has compiled the step ({@link JitWarmup}). */
    @Setup(Level.Trial)
    public void setUp() {
        ModelConfig config = ModelConfig.builder().inputSize(hidden).hiddenSize(hidden).build();
        model = Model.create(config, Initialization.uniform(), SEED, KernelSelection.choose(kernels).kernels());
        model.setThreads(threads);
        session = model.newSession();
        inputs = inputs(hidden);
        next = 0;
        JitWarmup.untilAllocationFree("StreamingBenchmark.step H=" + hidden + " " + kernels, this::step, 100, 256);
    }

    /**
     * @param hidden I = H
     * @return the {@value #INPUTS} input vectors the steps cycle through, one after the other,
     *     uniform in ±1
     */
    static float[] inputs(int hidden) {
        return UniformFloats.draw(new Random(INPUT_SEED), INPUTS * hidden, 1.0);
    }

    /** Stops the model's team of threads. */
    @TearDown(Level.Trial)
    public void tearDown() {
        model.close();
    }

    /**
     * One step of the stream.
     *
     * @return the step's output, for JMH to consume
     */
    @Benchmark
    public float[] step() {
        float[] y = session.step(inputs, next * hidden);
        next = (next + 1) % INPUTS;
        return y;
    }
}
