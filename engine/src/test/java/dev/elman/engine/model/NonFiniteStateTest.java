package dev.elman.engine.model;

import dev.elman.engine.testing.KernelsUnderTest;
import dev.elman.engine.testing.RandomData;
import dev.elman.kernels.Activation;
import dev.elman.kernels.RecurrentKernels;
import dev.elman.testing.Trials;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The non-finite policy: finite inputs and weights can still leave float32's range (a relu model
 * fed 1e37, weights that make the state grow). A streaming step that would produce a non-finite
 * state or output throws {@link NonFiniteException} and leaves the session as it was; a whole
 * {@link Model#forward} or {@link Model#gradient} throws it rather than return NaN or infinities;
 * each names the quantity, how many values and where the first one is.
 */
class NonFiniteStateTest {

    /** The case: step(1e37) on a relu model used to leave the session at NaN forever. */
    @Test
    void aReluStepFedOneE37ThrowsAndKeepsTheStateItHad() {
        for (RecurrentKernels kernels : KernelsUnderTest.all()) {
            ModelConfig config = ModelConfig.builder().inputSize(1).hiddenSize(16).activation(Activation.RELU)
                    .outputSize(2).build();
            Model model = Model.create(config, Initialization.uniform(), 5, kernels);
            // Input weights of 100: 1e37 · 100 is past float's largest value (3.4e38).
            set(model, ParameterNames.inputWeights(0, false), 100f);
            model.loadParameters();
            StreamingSession session = model.newSession();
            for (int t = 0; t < 3; t++) {
                session.step(new float[] {0.5f});
            }
            StateSnapshot before = session.snapshot();
            float[] outputBefore = session.output().clone();
            NonFiniteException e = assertThrows(NonFiniteException.class, () -> session.step(new float[] {1e37f}),
                    kernels.name());
            assertEquals(16, e.count(), e.getMessage());
            assertEquals(Float.POSITIVE_INFINITY, e.firstValue());
            assertArrayEquals(new int[] {0}, e.firstPosition());
            assertTrue(e.getMessage().startsWith("StreamingSession step " + (before.steps() + 1)
                    + ": the new state of layer 0 has "), e.getMessage());
            assertTrue(e.getMessage().endsWith("; the session keeps its state from before this step"), e.getMessage());
            assertEquals(List.of("unit"), e.axes());
            assertUnchanged(session, before, outputBefore);

            // Not stuck: the next ordinary step computes from the kept (finite) state.
            float[] y = session.step(new float[] {0f}).clone();
            StreamingSession replay = model.newSession();
            replay.restore(before);
            assertArrayEquals(replay.step(new float[] {0f}), y, kernels.name() + ": the step after the refused one");
            for (float v : y) {
                assertTrue(Float.isFinite(v));
            }
        }
    }

    @Test
    void theStepIsRefusedWholeWhenALaterLayerOverflows() {
        // Layer 0 stays finite (≈ 1e30), layer 1 multiplies it by 1e10: the refused step must not
        // have kept layer 0's new state either.
        ModelConfig config = ModelConfig.builder().inputSize(1).hiddenSize(1).layers(2).activation(Activation.RELU)
                .bias(false).build();
        Model model = Model.create(config, Initialization.uniform(), 1, KernelsUnderTest.reference());
        set(model, ParameterNames.inputWeights(0, false), 1e30f);
        set(model, ParameterNames.recurrentWeights(0, false), 0f);
        set(model, ParameterNames.inputWeights(1, false), 1e10f);
        set(model, ParameterNames.recurrentWeights(1, false), 0f);
        model.loadParameters();
        StreamingSession session = model.newSession();
        session.step(new float[] {1e-20f});
        StateSnapshot before = session.snapshot();
        float[] outputBefore = session.output().clone();
        NonFiniteException e = assertThrows(NonFiniteException.class, () -> session.step(new float[] {1f}));
        assertEquals("StreamingSession step 2: the new state of layer 1 has 1 non-finite value (Infinity, at unit 0);"
                + " the session keeps its state from before this step", e.getMessage());
        assertEquals("the new state of layer 1", e.quantity());
        assertUnchanged(session, before, outputBefore);
    }

    @Test
    void aFiniteStateWhoseOutputOverflowsIsRefusedToo() {
        // tanh keeps the state in [-1, 1]; a head of 3e38 per unit pushes the output past float's range.
        ModelConfig config = ModelConfig.builder().inputSize(1).hiddenSize(2).outputSize(1).bias(false).build();
        Model model = Model.create(config, Initialization.uniform(), 1, KernelsUnderTest.reference());
        set(model, ParameterNames.inputWeights(0, false), 5f);
        set(model, ParameterNames.recurrentWeights(0, false), 0f);
        set(model, ParameterNames.HEAD_WEIGHTS, 3e38f);
        set(model, ParameterNames.HEAD_BIAS, 0f);
        model.loadParameters();
        StreamingSession session = model.newSession();
        StateSnapshot before = session.snapshot();
        NonFiniteException e = assertThrows(NonFiniteException.class, () -> session.step(new float[] {1f}));
        assertEquals("StreamingSession step 1: the output has 1 non-finite value (Infinity, at feature 0);"
                + " the session keeps its state from before this step", e.getMessage());
        assertUnchanged(session, before, new float[1]);
        // A non-finite input is still an argument mistake, refused before the step.
        assertThrows(IllegalArgumentException.class, () -> session.step(new float[] {Float.NaN}));
    }

    static Stream<Arguments> hugeInputs() {
        return KernelsUnderTest.all().stream().flatMap(kernels -> Trials.seeds("non-finite steps", 40)
                .mapToObj(seed -> Arguments.of(kernels.name(), seed)));
    }

    /**
     * Random relu and tanh models of 1–3 layers, with and without a head, fed inputs of up to
     * ±1e38 among ordinary ones: every step either returns finite values or throws and changes
     * nothing, and a session is never left holding a non-finite state.
     */
    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("hugeInputs")
    void everyStepIsFiniteOrRefusedWithoutATrace(String kernelsName, long seed) {
        RecurrentKernels kernels = CompositionTest.kernels(kernelsName);
        Random random = new Random(seed);
        int inputSize = 1 + random.nextInt(4);
        ModelConfig config = ModelConfig.builder().inputSize(inputSize).hiddenSize(1 + random.nextInt(20))
                .layers(1 + random.nextInt(3)).activation(random.nextBoolean() ? Activation.RELU : Activation.TANH)
                .outputSize(random.nextBoolean() ? 0 : 1 + random.nextInt(3)).build();
        Model model = Model.create(config, Initialization.uniform().withSpectralRadius(0.5 + 2 * random.nextDouble()),
                random.nextLong(), kernels);
        StreamingSession session = model.newSession();
        for (int t = 0; t < 30; t++) {
            float[] x = RandomData.uniform(random, inputSize, 1.0);
            if (random.nextInt(4) == 0) {
                x[random.nextInt(inputSize)] = (float) (Math.pow(10, 30 + 8 * random.nextDouble())
                        * (random.nextBoolean() ? 1 : -1));
            }
            StateSnapshot before = session.snapshot();
            float[] outputBefore = session.output().clone();
            try {
                float[] y = session.step(x);
                for (float v : y) {
                    assertTrue(Float.isFinite(v), config + " step " + t + ": output " + Arrays.toString(y));
                }
            } catch (NonFiniteException e) {
                assertUnchanged(session, before, outputBefore);
            }
            for (int l = 0; l < config.layers(); l++) {
                for (float v : session.hidden(l)) {
                    assertTrue(Float.isFinite(v), config + " step " + t + ": layer " + l + " state");
                }
            }
        }
    }

    @Test
    void forwardRefusesAnOverflowingOutputNamingCountAndPlace() {
        // h = relu(Wx·x): unit 0 has Wx = 1e30, so the input 1e9 at step 1 overflows it; the head sums both units.
        Model model = twoUnitRelu();
        float[] x = {1f, 1e9f, 1f};
        NonFiniteException e = assertThrows(NonFiniteException.class,
                () -> model.forward(new SequenceBatch(x, 3, 1, 1)));
        assertEquals("Model.forward: the output has 1 non-finite value (Infinity, at step 1, sequence 0, feature 0);"
                + " no result was returned", e.getMessage());
        assertEquals(List.of("step", "sequence", "feature"), e.axes());
        assertArrayEquals(new int[] {1, 0, 0}, e.firstPosition());
        assertEquals(1, e.count());

        // Two sequences, both overflowing at two steps: the count covers all, the first is the earliest row.
        float[] both = {1f, 1f, 1e9f, 1f, 1e9f, 1e9f};
        NonFiniteException e2 = assertThrows(NonFiniteException.class,
                () -> model.forward(new SequenceBatch(both, 3, 2, 1)));
        assertEquals(3, e2.count(), e2.getMessage());
        assertEquals("step 1, sequence 0, feature 0", e2.firstPositionText());

        // Finite inputs of ordinary size still give a result.
        model.forward(new SequenceBatch(new float[] {1f, 2f, 3f}, 3, 1, 1));
    }

    @Test
    void forwardRefusesAStateTheLayerAboveHidFromTheOutput() {
        // Layer 0 overflows to +inf; layer 1 (Wx = −1, relu) turns it into 0, so the output looks fine.
        ModelConfig config = ModelConfig.builder().inputSize(1).hiddenSize(1).layers(2).activation(Activation.RELU)
                .bias(false).outputSize(1).build();
        Model model = Model.create(config, Initialization.uniform(), 1, KernelsUnderTest.reference());
        set(model, ParameterNames.inputWeights(0, false), 1e30f);
        set(model, ParameterNames.recurrentWeights(0, false), 0f);
        set(model, ParameterNames.inputWeights(1, false), -1f);
        set(model, ParameterNames.recurrentWeights(1, false), 0f);
        set(model, ParameterNames.HEAD_WEIGHTS, 1f);
        set(model, ParameterNames.HEAD_BIAS, 0f);
        model.loadParameters();
        NonFiniteException e = assertThrows(NonFiniteException.class,
                () -> model.forward(new SequenceBatch(new float[] {1f, 1e9f}, 2, 1, 1)));
        assertEquals("Model.forward: the state of layer 0 has 1 non-finite value (Infinity, at step 1, sequence 0,"
                + " unit 0); no result was returned", e.getMessage());
    }

    @Test
    void gradientRefusesNonFiniteStatesAndGradients() {
        Model model = twoUnitRelu();
        float[] x = {1f, 1e9f, 1f};
        NonFiniteException forward = assertThrows(NonFiniteException.class,
                () -> model.gradient(new SequenceBatch(x, 3, 1, 1), null, new float[3], 2));
        assertEquals("Model.gradient: the output has 1 non-finite value (Infinity, at step 1, sequence 0, feature 0);"
                + " no result was returned", forward.getMessage());

        // A finite forward whose backward overflows: dL/dh = Wy·dy = 10 · 1e38.
        ModelConfig config = ModelConfig.builder().inputSize(1).hiddenSize(1).activation(Activation.RELU).bias(false)
                .outputSize(1).headBias(false).build();
        Model small = Model.create(config, Initialization.uniform(), 1, KernelsUnderTest.reference());
        set(small, ParameterNames.inputWeights(0, false), 1f);
        set(small, ParameterNames.recurrentWeights(0, false), 0f);
        set(small, ParameterNames.HEAD_WEIGHTS, 10f);
        small.loadParameters();
        NonFiniteException backward = assertThrows(NonFiniteException.class,
                () -> small.gradient(new SequenceBatch(new float[] {1f}, 1, 1, 1), null, new float[] {1e38f}, 1));
        assertTrue(backward.getMessage().startsWith("Model.gradient: the gradient of wx_l0 has 1 non-finite value"),
                backward.getMessage());

        // Non-finite arguments stay argument mistakes.
        assertThrows(IllegalArgumentException.class,
                () -> small.gradient(new SequenceBatch(new float[] {1f}, 1, 1, 1), null, new float[] {Float.NaN}, 1));
        assertThrows(IllegalArgumentException.class,
                () -> small.forward(new SequenceBatch(new float[] {1f}, 1, 1, 1), new float[] {Float.POSITIVE_INFINITY}));
    }

    /** I = 1, H = 2, relu, no bias: unit 0 has Wx = 1e30, unit 1 has Wx = 1, Wh = 0; head y = h0 + h1. */
    private static Model twoUnitRelu() {
        ModelConfig config = ModelConfig.builder().inputSize(1).hiddenSize(2).activation(Activation.RELU).bias(false)
                .outputSize(1).build();
        Model model = Model.create(config, Initialization.uniform(), 1, KernelsUnderTest.reference());
        float[] wx = model.parameters().get(ParameterNames.inputWeights(0, false)).data();
        wx[0] = 1e30f;
        wx[1] = 1f;
        set(model, ParameterNames.recurrentWeights(0, false), 0f);
        set(model, ParameterNames.HEAD_WEIGHTS, 1f);
        set(model, ParameterNames.HEAD_BIAS, 0f);
        model.loadParameters();
        return model;
    }

    private static void set(Model model, String name, float value) {
        Arrays.fill(model.parameters().get(name).data(), value);
    }

    private static void assertUnchanged(StreamingSession session, StateSnapshot before, float[] outputBefore) {
        StateSnapshot after = session.snapshot();
        assertArrayEquals(before.values(), after.values(), "the state is the one before the refused step");
        assertEquals(before.steps(), session.steps(), "the refused step is not counted");
        assertArrayEquals(outputBefore, session.output(), "the output is the one before the refused step");
    }
}
