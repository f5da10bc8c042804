package dev.elman.jmh;

import dev.elman.engine.KernelSelection;
import dev.elman.engine.model.Initialization;
import dev.elman.engine.model.Model;
import dev.elman.engine.model.ModelConfig;
import dev.elman.engine.model.SequenceBatch;
import dev.elman.engine.training.GradientClipping;
import dev.elman.engine.training.SequenceSource;
import dev.elman.engine.training.Sgd;
import dev.elman.engine.training.Trainer;
import dev.elman.engine.training.TrainingBatch;
import dev.elman.engine.training.TrainingConfig;
import dev.elman.engine.training.TrainingSummary;
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
 * Training throughput through the engine: a {@link Trainer} running chunked truncated BPTT
 * ({@code k1 = k2 = window}) over whole sequences of {@value #STEPS} steps.
 *
 * <p>The model is one tanh layer with {@code I = H} and no head, trained on the mean squared error
 * of every state against fixed random targets by plain SGD (learning rate 10⁻³, gradients clipped
 * to norm 1, so thousands of updates stay finite). An operation is one batch of B sequences of
 * {@value #STEPS} steps: {@code STEPS / window} updates, each a forward window, the loss, the
 * backward window, the gradient norm and clipping, the SGD step and the kernels' reload of the
 * weights. Scores are <b>microseconds per step</b> (per timestep of all B sequences); GFLOP/s counts
 * {@link Flops#FORWARD_BACKWARD_FACTOR 3}× the forward {@code 2·B·H·(I+H)} per step, so the
 * optimizer, loss and input checks are overhead the rate pays for.
 *
 * <p>After the first batch the engine allocates nothing per update; one operation allocates only
 * the {@link TrainingSummary} it returns (about 60 bytes per {@value #STEPS} steps, so
 * {@code -prof gc} shows ~0.1 B/op). The reference kernels are accepted within
 * {@link ReferenceBudget}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
@Threads(1)
@Fork(value = 1, jvmArgsPrepend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 1)
public class TrainingBenchmark {
    /** T, the length of every sequence. */
    public static final int STEPS = 512;

    /** H, and I = H. */
    @Param({"32", "64", "128", "256", "512", "1024"})
    public int hidden;

    /** k1 = k2, the truncation window; must divide {@value #STEPS}. */
    @Param({"16", "32", "64", "128", "256", "512"})
    public int window;

    /** B. */
    @Param({"32"})
    public int batch;

    /** The threads the model computes with ({@link Model#setThreads}), this one included. */
    @Param({"1", "2"})
    public int threads;

    /** {@code simd} or {@code reference} (or {@code auto}), as {@link KernelSelection#choose} takes them. */
    @Param({"simd"})
    public String kernels;

    private Model model;
    private Trainer trainer;
    private SequenceSource source;

    /** Builds the model, the trainer and the batch, and trains until the JIT has compiled the path ({@link JitWarmup}). */
    @Setup(Level.Trial)
    public void setUp() {
        if (window < 1 || STEPS % window != 0) {
            throw new IllegalArgumentException("window must divide " + STEPS + ", got " + window);
        }
        double flop = STEPS * Flops.forwardStep(batch, hidden, hidden) * Flops.FORWARD_BACKWARD_FACTOR;
        ReferenceBudget.check(kernels, flop, "TrainingBenchmark.train at B = " + batch + ", H = " + hidden);
        ModelConfig config = ModelConfig.builder().inputSize(hidden).hiddenSize(hidden).build();
        model = Model.create(config, Initialization.uniform(), 42, KernelSelection.choose(kernels).kernels());
        model.setThreads(threads);
        TrainingConfig training = TrainingConfig.builder().optimizer(new Sgd(1e-3))
                .clipping(GradientClipping.globalNorm(1.0)).chunked(window).build();
        trainer = new Trainer(model, training);
        Random random = new Random(7);
        float[] inputs = UniformFloats.draw(random, STEPS * batch * hidden, 1.0);
        float[] targets = UniformFloats.draw(random, STEPS * batch * hidden, 0.5);
        TrainingBatch sequences = TrainingBatch.withTargets(new SequenceBatch(inputs, STEPS, batch, hidden), targets);
        source = () -> sequences;
        // One summary (about 60 bytes) per operation is all a compiled operation allocates.
        JitWarmup.untilAllocationFree("TrainingBenchmark.train B=" + batch + " H=" + hidden + " window=" + window + " "
                + kernels, this::train, 1, 256);
    }

    /** Stops the model's team of threads. */
    @TearDown(Level.Trial)
    public void tearDown() {
        model.close();
    }

    /**
     * Trains on one batch of whole sequences.
     *
     * @return the summary, for JMH to consume
     */
    @Benchmark
    @OperationsPerInvocation(STEPS)
    public TrainingSummary train() {
        return trainer.train(source, 1, null);
    }
}
