package dev.elman.engine.model;

import dev.elman.engine.io.Tensor;
import dev.elman.engine.testing.KernelsUnderTest;
import dev.elman.engine.testing.RandomData;
import dev.elman.engine.training.Sgd;
import dev.elman.engine.training.Trainer;
import dev.elman.engine.training.TrainingConfig;
import dev.elman.kernels.Activation;
import dev.elman.kernels.RecurrentKernels;
import dev.elman.kernels.WeightPrecision;
import dev.elman.testing.Trials;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A model made by {@link Model#withInferencePrecision} is, on every kernel, exactly the float32
 * model whose {@code Wx} and {@code Wh} were replaced by {@link WeightPrecision#round} of them and
 * nothing else: its forward equals that model's bit for bit, its sessions and stream groups agree
 * with its forward as a float32 model's do, it refuses every gradient and training, keeps the
 * float32 values as its parameters and re-rounds them at every {@link Model#loadParameters()}.
 */
class InferencePrecisionTest {
    private static final List<WeightPrecision> REDUCED = List.of(WeightPrecision.BF16, WeightPrecision.INT8);
    /** Sizes at 1 and around the vector widths (8 and 16 floats), so the packed panels' edges are hit. */
    private static final int[] HIDDEN = {1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 64, 65};
    private static final int[] INPUT = {1, 2, 5, 8, 16, 17};
    /**
     * StreamingSessionTest's bound, for the same reason and the same shapes (H ≤ 8, ≤ 3 layers, ≤ 16
     * steps, uniform initialisation): a session rounds its state to float32 after every step where the
     * reference's whole-sequence forward carries it in double. Rounding the weights moves ‖Wh‖ by at
     * most 2⁻⁸ (bf16) or half a step of 1/127 of a row's maximum (int8), which leaves the argument as it is.
     */
    private static final double STEP_TOLERANCE = 1e-4;

    static Stream<Arguments> cases(String property, int tries) {
        return KernelsUnderTest.all().stream().flatMap(kernels -> REDUCED.stream().flatMap(precision ->
                Trials.seeds(property + "-" + precision.label(), Trials.tries(tries))
                        .mapToObj(seed -> Arguments.of(kernels.name(), precision, seed))));
    }

    static Stream<Arguments> forwardCases() {
        return cases("precision-forward", 25);
    }

    @ParameterizedTest(name = "{0} {1} seed {2}")
    @MethodSource("forwardCases")
    void theForwardIsTheF32ForwardOnTheRoundedWeightsBitForBit(String kernelsName, WeightPrecision precision, long seed) {
        Random random = new Random(seed);
        ModelConfig config = draw(random, true);
        try (Model f32 = Model.create(config, Initialization.uniform(), random.nextLong(), CompositionTest.kernels(kernelsName));
             Model reduced = f32.withInferencePrecision(precision);
             Model rounded = roundedCopy(f32, precision)) {
            assertSame(precision, reduced.inferencePrecision());
            assertSame(WeightPrecision.F32, rounded.inferencePrecision());
            int steps = 1 + random.nextInt(12);
            int batch = 1 + random.nextInt(9);
            SequenceBatch inputs = new SequenceBatch(RandomData.uniform(random, steps * batch * config.inputSize(), 1.0),
                    steps, batch, config.inputSize(), random.nextBoolean() ? RandomData.lengths(random, steps, batch) : null);
            float[] initialStates = random.nextBoolean() ? null
                    : RandomData.uniform(random, config.layers() * config.directions() * batch * config.hiddenSize(), 0.5);
            String name = config + " " + precision.label() + " T=" + steps + " B=" + batch;
            assertSameForward(rounded.forward(inputs, initialStates), reduced.forward(inputs, initialStates), name);
        }
    }

    static Stream<Arguments> streamingCases() {
        return cases("precision-streaming", 12);
    }

    @ParameterizedTest(name = "{0} {1} seed {2}")
    @MethodSource("streamingCases")
    void sessionsFollowTheForwardAndGroupsTheSessions(String kernelsName, WeightPrecision precision, long seed) {
        Random random = new Random(seed);
        ModelConfig config = smallUnidirectional(random);
        try (Model f32 = Model.create(config, Initialization.uniform(), random.nextLong(), CompositionTest.kernels(kernelsName));
             Model reduced = f32.withInferencePrecision(precision)) {
            int steps = 1 + random.nextInt(16);
            float[] x = RandomData.uniform(random, steps * config.inputSize(), 1.0);
            ForwardResult whole = reduced.forward(new SequenceBatch(x, steps, 1, config.inputSize()));
            StreamingSession session = reduced.newSession();
            int w = config.outputWidth();
            float[] outputs = new float[steps * w];
            for (int t = 0; t < steps; t++) {
                System.arraycopy(session.step(x, t * config.inputSize()), 0, outputs, t * w, w);
            }
            String name = config + " " + precision.label() + " T=" + steps;
            CompositionTest.assertClose(whole.output(), outputs, STEP_TOLERANCE, name + ": session outputs");
            for (int l = 0; l < config.layers(); l++) {
                float[] expected = new float[config.hiddenSize()];
                System.arraycopy(whole.finalStates(), l * config.hiddenSize(), expected, 0, config.hiddenSize());
                CompositionTest.assertClose(expected, session.hidden(l), STEP_TOLERANCE, name + ": session state, layer " + l);
            }

            // The group checks itself against one session per stream after every operation, bit for bit.
            int capacity = 1 + random.nextInt(40);
            GroupSchedule schedule = new GroupSchedule(reduced.newStreamGroup(capacity), random.nextLong(), true);
            schedule.run(24);
            assertTrue(schedule.stepsRun() > 0, name + ": the schedule stepped");
        }
    }

    static Stream<Arguments> kernelsAndPrecisions() {
        return KernelsUnderTest.all().stream().flatMap(kernels -> REDUCED.stream()
                .map(precision -> Arguments.of(kernels.name(), precision)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("kernelsAndPrecisions")
    void gradientsAndTrainingAreRefusedNamingThePrecision(String kernelsName, WeightPrecision precision) {
        ModelConfig config = ModelConfig.builder().inputSize(3).hiddenSize(5).layers(2).outputSize(2).build();
        try (Model f32 = Model.create(config, Initialization.uniform(), 4, CompositionTest.kernels(kernelsName));
             Model reduced = f32.withInferencePrecision(precision)) {
            int steps = 4;
            int batch = 2;
            SequenceBatch inputs = new SequenceBatch(RandomData.uniform(new Random(1), steps * batch * 3, 1.0), steps, batch, 3);
            float[] outputGradient = new float[steps * batch * config.outputWidth()];
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> reduced.gradient(inputs, null, outputGradient, Integer.MAX_VALUE));
            assertTrue(e.getMessage().contains(precision.label()), e.getMessage());

            StackRunner runner = reduced.newRunner(steps, batch);
            runner.reset(batch, null);
            runner.advance(steps, inputs.inputs(), 0, null);
            e = assertThrows(IllegalStateException.class,
                    () -> runner.backward(steps, new ModelGradients(config), true, false));
            assertTrue(e.getMessage().contains(precision.label()), e.getMessage());

            TrainingConfig training = TrainingConfig.builder().optimizer(new Sgd(1e-2, 0)).build();
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> new Trainer(reduced, training));
            assertTrue(refused.getMessage().contains(precision.label()), refused.getMessage());
        }
    }

    @Test
    void aNullPrecisionIsRefused() {
        ModelConfig config = ModelConfig.builder().inputSize(2).hiddenSize(3).build();
        try (Model model = Model.create(config, Initialization.uniform(), 1, KernelsUnderTest.reference())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.withInferencePrecision(null));
            assertTrue(e.getMessage().contains("precision"), e.getMessage());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernelNames")
    void aWeightBeyondBfloat16IsRefusedNamingTheTensorAndIndexAndNothingIsPublished(String kernelsName) {
        ModelConfig config = ModelConfig.builder().inputSize(4).hiddenSize(5).layers(2).bidirectional(true)
                .outputSize(2).build();
        RecurrentKernels kernels = CompositionTest.kernels(kernelsName);
        try (Model f32 = Model.create(config, Initialization.uniform(), 9, kernels)) {
            String tensor = ParameterNames.inputWeights(1, true);
            f32.parameters().get(tensor).data()[12] = 3.4e38f;
            f32.loadParameters();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> f32.withInferencePrecision(WeightPrecision.BF16));
            assertTrue(e.getMessage().startsWith(tensor + "[12] = 3.4E38 rounds beyond bfloat16's largest value"),
                    e.getMessage());
            // int8 scales each row by its own maximum: any finite weight can be stored.
            f32.withInferencePrecision(WeightPrecision.INT8).close();
        }

        try (Model f32 = Model.create(config, Initialization.uniform(), 9, kernels);
             Model reduced = f32.withInferencePrecision(WeightPrecision.BF16)) {
            SequenceBatch inputs = new SequenceBatch(RandomData.uniform(new Random(2), 3 * 4, 1.0), 3, 1, 4);
            ForwardResult before = reduced.forward(inputs);
            long version = reduced.parameterVersion();
            String tensor = ParameterNames.recurrentWeights(0, false);
            reduced.parameters().get(tensor).data()[7] = -3.4e38f;
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, reduced::loadParameters);
            assertTrue(e.getMessage().startsWith(tensor + "[7] = -3.4E38 rounds beyond"), e.getMessage());
            assertEquals(version, reduced.parameterVersion(), "a refused load publishes nothing");
            assertSameForward(before, reduced.forward(inputs), "after the refused load");
        }
    }

    static Stream<String> kernelNames() {
        return KernelsUnderTest.all().stream().map(RecurrentKernels::name);
    }

    static Stream<Arguments> parameterCases() {
        return cases("precision-parameters", 4);
    }

    @ParameterizedTest(name = "{0} {1} seed {2}")
    @MethodSource("parameterCases")
    void copiesKeepThePrecisionParametersStayF32AndLoadingRoundsAgain(String kernelsName, WeightPrecision precision,
                                                                      long seed) {
        Random random = new Random(seed);
        ModelConfig config = draw(random, true);
        RecurrentKernels kernels = CompositionTest.kernels(kernelsName);
        try (Model f32 = Model.create(config, Initialization.uniform(), random.nextLong(), kernels);
             Model reduced = f32.withInferencePrecision(precision);
             Model copy = reduced.copy();
             Model moved = reduced.copy(KernelsUnderTest.reference())) {
            String name = config + " " + precision.label();
            assertSame(precision, copy.inferencePrecision(), name + ": copy()");
            assertSame(precision, moved.inferencePrecision(), name + ": copy(kernels)");
            assertNotSame(f32.parameters(), reduced.parameters(), name + ": an independent copy");
            for (int p = 0; p < f32.parameters().count(); p++) {
                assertArrayEquals(f32.parameters().get(p).data(), reduced.parameters().get(p).data(),
                        name + ": " + f32.parameters().names().get(p) + " keeps its f32 values");
            }

            int steps = 1 + random.nextInt(6);
            int batch = 1 + random.nextInt(4);
            SequenceBatch inputs = new SequenceBatch(RandomData.uniform(random, steps * batch * config.inputSize(), 1.0),
                    steps, batch, config.inputSize());
            ForwardResult before = reduced.forward(inputs);
            assertSameForward(before, copy.forward(inputs), name + ": copy()");

            // A change of the f32 parameters, then a load: the next forward is that of the changed
            // weights rounded, on the reduced model and its f32 counterpart alike.
            float[] changed = RandomData.uniform(random, config.hiddenSize() * config.hiddenSize(), 1.0);
            String tensor = ParameterNames.recurrentWeights(config.layers() - 1, false);
            System.arraycopy(changed, 0, reduced.parameters().get(tensor).data(), 0, changed.length);
            System.arraycopy(changed, 0, f32.parameters().get(tensor).data(), 0, changed.length);
            reduced.loadParameters();
            f32.loadParameters();
            assertArrayEquals(changed, reduced.parameters().get(tensor).data(), name + ": the load leaves the f32 values");
            ForwardResult after = reduced.forward(inputs);
            try (Model rounded = roundedCopy(f32, precision)) {
                assertSameForward(rounded.forward(inputs), after, name + ": after loadParameters");
            }
        }
    }

    /**
     * An f32 model on the same kernels whose {@code Wx} and {@code Wh} are {@code precision}'s
     * rounding of {@code model}'s, every other tensor unchanged.
     */
    private static Model roundedCopy(Model model, WeightPrecision precision) {
        ModelConfig config = model.config();
        Model rounded = model.copy();
        for (int l = 0; l < config.layers(); l++) {
            for (int d = 0; d < config.directions(); d++) {
                boolean reverse = d == 1;
                round(rounded.parameters().get(ParameterNames.inputWeights(l, reverse)), precision);
                round(rounded.parameters().get(ParameterNames.recurrentWeights(l, reverse)), precision);
            }
        }
        rounded.loadParameters();
        return rounded;
    }

    /** Rounds a {@code [rows, cols]} weight matrix in place. */
    private static void round(Tensor matrix, WeightPrecision precision) {
        float[] data = matrix.data();
        precision.round(data, matrix.dim(0), matrix.dim(1), data);
    }

    private static void assertSameForward(ForwardResult expected, ForwardResult actual, String name) {
        assertArrayEquals(expected.output(), actual.output(), name + ": outputs, bit for bit");
        assertArrayEquals(expected.finalStates(), actual.finalStates(), name + ": final states, bit for bit");
    }

    /** 1–3 layers, tanh or relu, with or without biases, head and (when allowed) a reverse direction. */
    private static ModelConfig draw(Random random, boolean bidirectional) {
        ModelConfig.Builder b = ModelConfig.builder()
                .inputSize(INPUT[random.nextInt(INPUT.length)])
                .hiddenSize(HIDDEN[random.nextInt(HIDDEN.length)])
                .layers(1 + random.nextInt(3))
                .activation(random.nextBoolean() ? Activation.TANH : Activation.RELU)
                .bias(random.nextBoolean());
        if (bidirectional && random.nextBoolean()) {
            b.bidirectional(true).merge(random.nextBoolean() ? Merge.CONCAT : Merge.SUM);
        }
        if (random.nextBoolean()) {
            b.outputSize(1 + random.nextInt(17)).headBias(random.nextBoolean());
        }
        return b.build();
    }

    /** The shapes StreamingSessionTest's tolerance is derived for: I ≤ 5, H ≤ 8, ≤ 3 layers. */
    private static ModelConfig smallUnidirectional(Random random) {
        ModelConfig.Builder b = ModelConfig.builder()
                .inputSize(1 + random.nextInt(5))
                .hiddenSize(1 + random.nextInt(8))
                .layers(1 + random.nextInt(3))
                .activation(random.nextBoolean() ? Activation.TANH : Activation.RELU)
                .bias(random.nextBoolean());
        if (random.nextBoolean()) {
            b.outputSize(1 + random.nextInt(4)).headBias(random.nextBoolean());
        }
        return b.build();
    }
}
