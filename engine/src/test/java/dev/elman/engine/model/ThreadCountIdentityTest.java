package dev.elman.engine.model;

import dev.elman.engine.testing.KernelsUnderTest;
import dev.elman.engine.testing.RandomData;
import dev.elman.engine.training.GradientClipping;
import dev.elman.engine.training.Sgd;
import dev.elman.engine.training.Trainer;
import dev.elman.engine.training.TrainingBatch;
import dev.elman.engine.training.TrainingConfig;
import dev.elman.kernels.RecurrentKernels;
import dev.elman.testing.Activations;
import dev.elman.testing.Trials;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Results do not depend on the thread count: for 1, 2, 3 and 4 threads, {@link Model#forward}
 * (outputs, final states), {@link Model#gradient} (every parameter gradient, the input and
 * initial-state gradients), truncated-BPTT training ({@code k1 < k2}, the lag probe on) and
 * streaming sessions give the one-thread result bit for bit, on both kernels and random shapes:
 * stacks of 1–3 layers, bidirectional or not, with and without a head, padded variable lengths,
 * B up to 40 and H up to 300 with the vector-width edges 64, 65, 128, 129 and 256.
 *
 * <p>The kernels decide by size whether a pass is split over the team (and how), so the shapes
 * range over both sides of their thresholds: large B at small H (batch split) and large H at small
 * B (row split). Sizes are bounded by a work budget per case so that the whole class takes seconds
 * on two cores, the reference kernels included.
 */
class ThreadCountIdentityTest {
    private static final int[] THREADS = {1, 2, 3, 4};
    /** Hidden sizes at the edges of the vector widths (16 floats at 512 bits) and of the tiles. */
    private static final int[] HIDDEN_EDGES = {1, 64, 65, 128, 129, 256};
    /** The most multiply-adds of one forward pass over a case: T·B·H·(I+H)·L·D. */
    private static final long WORK_BUDGET = 8_000_000L;

    static Stream<Arguments> cases(String property) {
        return KernelsUnderTest.all().stream().flatMap(kernels -> Trials.seeds(property, Trials.tries(40))
                .mapToObj(seed -> Arguments.of(kernels.name(), seed)));
    }

    static Stream<Arguments> forwardCases() {
        return cases("threads-forward-gradient");
    }

    static Stream<Arguments> trainingCases() {
        return cases("threads-training");
    }

    static Stream<Arguments> streamingCases() {
        return cases("threads-streaming");
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("forwardCases")
    void forwardAndGradientAreThoseOfOneThread(String kernelsName, long seed) {
        Random random = new Random(seed);
        Shape shape = Shape.draw(random, true);
        ModelConfig config = shape.config();
        int b = shape.batch();
        int t = shape.steps();
        int cells = config.layers() * config.directions();
        SequenceBatch batch = new SequenceBatch(RandomData.uniform(random, t * b * config.inputSize(), 1.0), t, b,
                config.inputSize(), shape.lengths());
        float[] initial = random.nextBoolean() ? RandomData.uniform(random, cells * b * config.hiddenSize(), 0.5) : null;
        float[] dy = RandomData.uniform(random, t * b * config.outputWidth(), 1.0);
        int window = config.bidirectional() || random.nextBoolean() ? Integer.MAX_VALUE : 1 + random.nextInt(t);
        String name = shape + (initial != null ? " h0" : "") + " window=" + (window == Integer.MAX_VALUE ? "T" : window);

        try (Model model = Model.create(config, Initialization.uniform(), random.nextLong(), kernels(kernelsName))) {
            List<float[]> expected = null;
            for (int threads : THREADS) {
                model.setThreads(threads);
                assertEquals(threads, model.threads());
                ForwardResult forward = model.forward(batch, initial);
                GradientResult gradient = model.gradient(batch, initial, dy, window);
                List<float[]> results = new ArrayList<>(List.of(forward.output(), forward.finalStates(),
                        gradient.input(), gradient.initialState()));
                Parameters grads = gradient.parameters().parameters();
                for (int p = 0; p < grads.count(); p++) {
                    results.add(grads.get(p).data());
                }
                if (expected == null) {
                    expected = results;
                } else {
                    List<String> names = new ArrayList<>(List.of("output", "final states", "dL/dx", "dL/dh0"));
                    grads.names().forEach(n -> names.add("d" + n));
                    for (int k = 0; k < results.size(); k++) {
                        assertSameBits(expected.get(k), results.get(k), name + ", " + threads + " threads: " + names.get(k));
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("trainingCases")
    void truncatedTrainingIsThatOfOneThread(String kernelsName, long seed) {
        Random random = new Random(seed);
        Shape shape = Shape.draw(random, false);
        ModelConfig config = shape.config();
        int k1 = 1 + random.nextInt(3);
        int k2 = k1 + 1 + random.nextInt(3);
        int t = shape.steps();
        int b = shape.batch();
        SequenceBatch inputs = new SequenceBatch(RandomData.uniform(random, t * b * config.inputSize(), 1.0), t, b,
                config.inputSize(), shape.lengths());
        TrainingBatch batch = TrainingBatch.withTargets(inputs, RandomData.uniform(random, t * b * config.outputWidth(), 0.5));
        TrainingConfig training = TrainingConfig.builder().optimizer(new Sgd(1e-2, 0.5))
                .clipping(GradientClipping.globalNorm(1.0)).truncation(k1, k2).lagProbeInterval(2).build();
        long modelSeed = random.nextLong();
        String name = shape + " k1=" + k1 + " k2=" + k2;

        Parameters expected = null;
        for (int threads : THREADS) {
            try (Model model = Model.create(config, Initialization.uniform(), modelSeed, kernels(kernelsName))) {
                model.setThreads(threads);
                Trainer trainer = new Trainer(model, training);
                for (int i = 0; i < 3; i++) {
                    trainer.train(batch);
                }
                Parameters trained = model.parameters().copy();
                if (expected == null) {
                    expected = trained;
                } else {
                    for (int p = 0; p < expected.count(); p++) {
                        assertSameBits(expected.get(p).data(), trained.get(p).data(),
                                name + ", " + threads + " threads: " + expected.names().get(p) + " after 3 batches");
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("streamingCases")
    void streamingStepsAreThoseOfOneThread(String kernelsName, long seed) {
        Random random = new Random(seed);
        Shape shape = Shape.draw(random, false);
        ModelConfig config = shape.config();
        int steps = 1 + random.nextInt(12);
        float[] x = RandomData.uniform(random, steps * config.inputSize(), 1.0);
        String name = shape.config() + " steps=" + steps;

        try (Model model = Model.create(config, Initialization.uniform(), random.nextLong(), kernels(kernelsName))) {
            float[] expected = null;
            for (int threads : THREADS) {
                model.setThreads(threads);
                StreamingSession session = model.newSession();
                int width = config.outputWidth();
                float[] outputs = new float[steps * width + config.layers() * config.hiddenSize()];
                for (int s = 0; s < steps; s++) {
                    System.arraycopy(session.step(x, s * config.inputSize()), 0, outputs, s * width, width);
                }
                for (int l = 0; l < config.layers(); l++) {
                    System.arraycopy(session.hidden(l), 0, outputs, steps * width + l * config.hiddenSize(),
                            config.hiddenSize());
                }
                if (expected == null) {
                    expected = outputs;
                } else {
                    assertSameBits(expected, outputs, name + ", " + threads + " threads: outputs and states");
                }
            }
        }
    }

    static RecurrentKernels kernels(String name) {
        return KernelsUnderTest.all().stream().filter(k -> k.name().equals(name)).findFirst().orElseThrow();
    }

    /** Every float the same bit pattern: -0.0 is not 0.0 here, and NaNs must match too. */
    static void assertSameBits(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                fail(what + ": element " + i + " is " + actual[i] + ", one thread gave " + expected[i]);
            }
        }
    }

    /** One random case: the model's shape, T, B and the padded lengths. */
    private record Shape(ModelConfig config, int steps, int batch, int[] lengths) {
        static Shape draw(Random random, boolean mayBeBidirectional) {
            int hidden = random.nextInt(3) == 0 ? HIDDEN_EDGES[random.nextInt(HIDDEN_EDGES.length)]
                    : 1 + random.nextInt(300);
            int input = 1 + random.nextInt(random.nextBoolean() ? 8 : 80);
            int layers = 1 + random.nextInt(3);
            boolean bidirectional = mayBeBidirectional && random.nextBoolean();
            ModelConfig.Builder builder = ModelConfig.builder().inputSize(input).hiddenSize(hidden).layers(layers)
                    .bidirectional(bidirectional).activation(Activations.CLASSIC.get(random.nextInt(3)))
                    .bias(random.nextBoolean());
            if (bidirectional) {
                builder.merge(random.nextBoolean() ? Merge.CONCAT : Merge.SUM);
            }
            if (random.nextBoolean()) {
                builder.outputSize(1 + random.nextInt(6)).headBias(random.nextBoolean());
            }
            ModelConfig config = builder.build();
            int steps = 1 + random.nextInt(8);
            int batch = 1 + random.nextInt(40);
            long perStepAndSequence = (long) hidden * (input + hidden) * layers * config.directions();
            while (batch > 1 && steps * batch * perStepAndSequence > WORK_BUDGET) {
                batch = Math.max(1, batch / 2);
            }
            while (steps > 1 && steps * batch * perStepAndSequence > WORK_BUDGET) {
                steps--;
            }
            int[] lengths = batch > 1 && random.nextBoolean() ? RandomData.lengths(random, steps, batch) : null;
            return new Shape(config, steps, batch, lengths);
        }

        @Override
        public String toString() {
            return config + " T=" + steps + " B=" + batch + (lengths == null ? "" : " lengths=" + Arrays.toString(lengths));
        }
    }
}
