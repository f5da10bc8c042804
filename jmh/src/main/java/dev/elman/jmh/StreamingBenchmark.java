package dev.elman.jmh;

import dev.elman.engine.KernelSelection;
import dev.elman.engine.model.Initialization;
import dev.elman.engine.model.Model;
import dev.elman.engine.model.ModelConfig;
import dev.elman.engine.model.StreamingSession;
import dev.elman.kernels.WeightPrecision;
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
 * microseconds. A step allocates nothing ({@code -prof gc}: 0 B/op). {@code precision} stores the
 * recurrent weights in float32, bfloat16 or int8 ({@link Model#withInferencePrecision}): the same
 * seeded model, rounded; the state, the bias and every sum stay float32.
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

    /**
     * How the model's recurrent weights are stored for its steps: {@code f32}, {@code bf16} or
     * {@code int8} ({@link Model#withInferencePrecision}).
     */
    @Param({"f32", "bf16", "int8"})
    public String precision;

    private Model model;
    private StreamingSession session;
    private float[] inputs;
    private int next;

    /** Builds the model, its session and the inputs, and steps until the JIT has compiled the step ({@link JitWarmup}). */
    @Setup(Level.Trial)
    public void setUp() {
        ModelConfig config = ModelConfig.builder().inputSize(hidden).hiddenSize(hidden).build();
        model = model(config, SEED, kernels, threads, WeightPrecision.parse(precision));
        session = model.newSession();
        inputs = inputs(hidden);
        next = 0;
        JitWarmup.untilAllocationFree("StreamingBenchmark.step H=" + hidden + " " + kernels + " " + precision, this::step,
                100, 256);
    }

    /**
     * The benchmarks' model in a precision: created in float32 (the seeded initialisation is the same
     * for every precision), then copied into the reduced precision, if any, and the float32 original
     * closed.
     *
     * @param config the model's shape
     * @param seed the initialisation's seed
     * @param kernels as {@link KernelSelection#choose} takes them
     * @param threads the threads its passes share work with
     * @param precision how its recurrent weights are stored
     * @return the model; the caller closes it
     * @throws IllegalArgumentException when an argument is out of range
     */
    static Model model(ModelConfig config, long seed, String kernels, int threads, WeightPrecision precision) {
        Model created = Model.create(config, Initialization.uniform(), seed, KernelSelection.choose(kernels).kernels());
        created.setThreads(threads);
        if (precision == WeightPrecision.F32) {
            return created;
        }
        try (created) {
            return created.withInferencePrecision(precision);
        }
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
