package dev.elman.jmh;

import dev.elman.engine.KernelSelection;
import dev.elman.engine.model.Initialization;
import dev.elman.engine.model.Model;
import dev.elman.engine.model.ModelConfig;
import dev.elman.engine.model.StreamGroup;
import dev.elman.kernels.WeightPrecision;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Many streams through one model: {@link StreamGroup#step} of {@code streams} streams at once,
 * scored in microseconds per <em>stream-step</em> (one step of one stream), so that the rows for
 * different {@code streams} compare directly: at {@code streams = 1} the score is a lone stream's
 * step (the group's one-row step runs the kernels' path of a {@code StreamingSession} step, plus
 * the group's copies of the state in and out; {@link StreamingBenchmark} times the session
 * itself), and {@code streams = N} is N times as many stream-steps per second when its score is
 * N times smaller.
 *
 * <p>One invocation is {@value #STREAM_STEPS} stream-steps: {@code 256 / streams} group steps of
 * every stream of the group, listed in slot order, the states carried from step to step. The model
 * is the streaming benchmark's: one tanh layer, {@code I = H}, no head, so a stream-step is
 * {@code 2·H·(I+H)} FLOP. Each group step reads the next of {@value #INPUT_SETS} stored input
 * blocks {@code [streams][I]}, so consecutive steps do not see the same inputs. A step allocates
 * nothing ({@code -prof gc}: 0 B/op). {@code precision} stores the recurrent weights as
 * {@link StreamingBenchmark}'s does.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
@Threads(1)
@Fork(value = 1, jvmArgsPrepend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 1)
public class StreamGroupBenchmark {
    /** Stream-steps per invocation: a multiple of every {@link #streams} value. */
    public static final int STREAM_STEPS = 256;
    /** How many distinct input blocks the steps cycle through. */
    public static final int INPUT_SETS = 4;
    /** The seed of the model's initialisation (as {@link StreamingBenchmark}'s). */
    private static final long SEED = 42;
    private static final long INPUT_SEED = 11;

    /** The streams stepped together, all of the group; must divide {@value #STREAM_STEPS}. */
    @Param({"1", "8", "32", "256"})
    public int streams;

    /** H, and I = H. */
    @Param({"64", "256", "1024"})
    public int hidden;

    /** The threads the model computes with ({@link Model#setThreads}), this one included. */
    @Param({"1"})
    public int threads;

    /** {@code simd} or {@code reference} (or {@code auto}), as {@link KernelSelection#choose} takes them. */
    @Param({"simd"})
    public String kernels;

    /**
     * How the model's recurrent weights are stored for its steps: {@code f32}, {@code bf16} or
     * {@code int8} ({@link Model#withInferencePrecision}).
     */
    @Param({"f32", "bf16", "int8"})
    public String precision;

    private Model model;
    private StreamGroup group;
    private int[] listed;
    private float[][] inputs;
    private float[] outputs;
    private int next;

    /** Builds the model, a group of {@code streams} members and the inputs, and steps until the JIT has compiled the step. */
    @Setup(Level.Trial)
    public void setUp() {
        if (streams < 1 || STREAM_STEPS % streams != 0) {
            throw new IllegalArgumentException("streams must divide " + STREAM_STEPS + " (the stream-steps of one"
                    + " invocation), got " + streams);
        }
        ModelConfig config = ModelConfig.builder().inputSize(hidden).hiddenSize(hidden).build();
        model = StreamingBenchmark.model(config, SEED, kernels, threads, WeightPrecision.parse(precision));
        group = model.newStreamGroup(streams);
        listed = new int[streams];
        for (int s = 0; s < streams; s++) {
            listed[s] = group.join();
        }
        Random random = new Random(INPUT_SEED);
        inputs = new float[INPUT_SETS][];
        for (int k = 0; k < INPUT_SETS; k++) {
            inputs[k] = UniformFloats.draw(random, streams * hidden, 1.0);
        }
        outputs = new float[streams * hidden];
        next = 0;
        JitWarmup.untilAllocationFree("StreamGroupBenchmark.step streams=" + streams + " H=" + hidden + " " + kernels
                + " " + precision,
                this::step, 4, 256);
    }

    /** Stops the model's team of threads. */
    @TearDown(Level.Trial)
    public void tearDown() {
        model.close();
    }

    /**
     * {@value #STREAM_STEPS} stream-steps: {@code 256 / streams} steps of the whole group.
     *
     * @return the last step's outputs, for JMH to consume
     */
    @Benchmark
    @OperationsPerInvocation(STREAM_STEPS)
    public float[] step() {
        for (int i = STREAM_STEPS / streams; i > 0; i--) {
            group.step(listed, streams, inputs[next], outputs);
            next = (next + 1) % INPUT_SETS;
        }
        return outputs;
    }
}
