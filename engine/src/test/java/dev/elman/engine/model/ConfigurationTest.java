package dev.elman.engine.model;

import dev.elman.kernels.Activation;
import dev.elman.reference.ReferenceKernels;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Model configurations, parameter names and shapes, and how bad values are refused. */
class ConfigurationTest {
    private static final ReferenceKernels REFERENCE = new ReferenceKernels();

    @Test
    void derivedSizesFollowTheConfiguration() {
        ModelConfig concat = ModelConfig.builder().inputSize(3).hiddenSize(4).layers(2).bidirectional(true)
                .outputSize(5).build();
        assertEquals(2, concat.directions());
        assertEquals(8, concat.featureSize());
        assertEquals(3, concat.layerInputSize(0));
        assertEquals(8, concat.layerInputSize(1));
        assertEquals(5, concat.outputWidth());
        // per layer and direction Wx + Wh + b, then the head
        assertEquals(2 * (4 * 3 + 16 + 4) + 2 * (4 * 8 + 16 + 4) + 5 * 8 + 5, concat.parameterCount());

        ModelConfig sum = concat.toBuilder().merge(Merge.SUM).outputSize(0).build();
        assertEquals(4, sum.featureSize());
        assertEquals(4, sum.layerInputSize(1));
        assertEquals(4, sum.outputWidth());
        assertNotEquals(concat, sum);
        assertEquals(sum, sum.toBuilder().build());
        assertEquals(sum.hashCode(), sum.toBuilder().build().hashCode());
        assertEquals("ModelConfig[inputSize=3, hiddenSize=4, layers=2, bidirectional=true, merge=sum, activation=tanh,"
                + " bias=true, no head]", sum.toString());
    }

    @Test
    void badConfigurationsAreRefusedNamingTheField() {
        assertMessage("inputSize must be at least 1, got 0", () -> ModelConfig.builder().inputSize(0));
        assertMessage("hiddenSize must be at least 1, got -3", () -> ModelConfig.builder().hiddenSize(-3));
        assertMessage("layers must be at least 1, got 0", () -> ModelConfig.builder().layers(0));
        assertMessage("outputSize must be at least 1 (or 0 for no head), got -1", () -> ModelConfig.builder().outputSize(-1));
        assertMessage("activation must not be null: expected tanh, relu or identity",
                () -> ModelConfig.builder().activation(null));
        assertMessage("inputSize was not set: expected at least 1", () -> ModelConfig.builder().hiddenSize(2).build());
        assertMessage("hiddenSize was not set: expected at least 1", () -> ModelConfig.builder().inputSize(2).build());
        assertMessage("merge sum combines two directions: it needs bidirectional(true)",
                () -> ModelConfig.builder().inputSize(1).hiddenSize(1).merge(Merge.SUM).build());
        assertMessage("hiddenSize × hiddenSize (Wh) = 4294967296 elements, more than a Java array holds (2147483639)",
                () -> ModelConfig.builder().inputSize(1).hiddenSize(65_536).build());
        assertMessage("unknown merge 'mean': expected one of concat, sum", () -> Merge.parse("mean"));
        assertEquals(Merge.SUM, Merge.parse(" Sum"));
        assertEquals(Initialization.Scheme.ORTHOGONAL, Initialization.Scheme.parse("orthogonal"));
        assertMessage("unknown initialization 'he': expected one of uniform, xavier, orthogonal, identity",
                () -> Initialization.Scheme.parse("he"));
        assertMessage("spectral radius must be positive and finite, got 0.0",
                () -> Initialization.uniform().withSpectralRadius(0));
    }

    @Test
    void parametersHaveStableNamesAndShapes() {
        ModelConfig config = ModelConfig.builder().inputSize(3).hiddenSize(4).layers(2).bidirectional(true)
                .outputSize(2).build();
        Parameters p = Parameters.zeros(config);
        assertEquals(List.of("wx_l0", "wh_l0", "b_l0", "wx_l0_reverse", "wh_l0_reverse", "b_l0_reverse",
                "wx_l1", "wh_l1", "b_l1", "wx_l1_reverse", "wh_l1_reverse", "b_l1_reverse", "wy", "by"), p.names());
        assertArrayEquals(new int[] {4, 3}, p.get("wx_l0_reverse").shape());
        assertArrayEquals(new int[] {4, 8}, p.get(ParameterNames.inputWeights(1, false)).shape());
        assertArrayEquals(new int[] {4, 4}, p.get(ParameterNames.recurrentWeights(1, true)).shape());
        assertArrayEquals(new int[] {4}, p.get(ParameterNames.bias(0, false)).shape());
        assertArrayEquals(new int[] {2, 8}, p.get(ParameterNames.HEAD_WEIGHTS).shape());
        assertArrayEquals(new int[] {2}, p.get(ParameterNames.HEAD_BIAS).shape());
        assertEquals(config.parameterCount(), p.valueCount());
        assertMessage("no parameter named 'weight_ih_l0'; this model has [wx_l0, wh_l0, b_l0, wx_l0_reverse, wh_l0_reverse,"
                + " b_l0_reverse, wx_l1, wh_l1, b_l1, wx_l1_reverse, wh_l1_reverse, b_l1_reverse, wy, by]",
                () -> p.get("weight_ih_l0"));

        ModelConfig plain = ModelConfig.builder().inputSize(3).hiddenSize(4).bias(false).build();
        assertEquals(List.of("wx_l0", "wh_l0"), Parameters.zeros(plain).names());
        ModelGradients gradients = new ModelGradients(config);
        assertEquals(p.names(), gradients.parameters().names());
        p.requireSameShapes(gradients.parameters(), "gradients");
        assertMessage("source: expected tensors [wx_l0, wh_l0, b_l0, wx_l0_reverse, wh_l0_reverse, b_l0_reverse, wx_l1,"
                + " wh_l1, b_l1, wx_l1_reverse, wh_l1_reverse, b_l1_reverse, wy, by], got [wx_l0, wh_l0]",
                () -> p.copyFrom(Parameters.zeros(plain)));
    }

    @Test
    void parameterWritesReachTheKernelsAtLoadAndNonFiniteValuesAreRefused() {
        ModelConfig config = ModelConfig.builder().inputSize(1).hiddenSize(1).activation(Activation.IDENTITY)
                .bias(false).build();
        Model model = Model.create(config, Initialization.uniform(), 1, REFERENCE);
        model.parameters().get("wx_l0").data()[0] = 2f;
        model.parameters().get("wh_l0").data()[0] = 0.5f;
        SequenceBatch ones = new SequenceBatch(new float[] {1, 1}, 2, 1, 1);
        float before = model.forward(ones).output()[0];
        assertNotEquals(2f, before, "not loaded yet: the kernels still compute with the old values");
        model.loadParameters();
        assertArrayEquals(new float[] {2f, 3f}, model.forward(ones).output());

        model.parameters().get("wh_l0").data()[0] = Float.NaN;
        assertMessage("parameter wh_l0[0] is NaN: every value must be finite", model::loadParameters);
        model.parameters().get("wh_l0").data()[0] = 0.5f;

        Model copy = model.copy();
        copy.parameters().get("wx_l0").data()[0] = 7f;
        copy.loadParameters();
        assertArrayEquals(new float[] {2f, 3f}, model.forward(ones).output(), "a copy is independent");
        assertArrayEquals(new float[] {7f, 10.5f}, copy.forward(ones).output());
        Model fromValues = Model.withParameters(copy.parameters(), REFERENCE);
        assertArrayEquals(new float[] {7f, 10.5f}, fromValues.forward(ones).output());
    }

    @Test
    void badShapesAndMisuseGetClearExceptions() {
        ModelConfig config = ModelConfig.builder().inputSize(2).hiddenSize(3).layers(2).outputSize(1).build();
        Model model = Model.create(config, Initialization.uniform(), 1, REFERENCE);
        assertMessage("inputs: expected length 12 (steps × batch × inputSize = 3 × 2 × 2), got 11",
                () -> new SequenceBatch(new float[11], 3, 2, 2));
        assertMessage("inputs[t=1, b=0, j=1] is Infinity: inputs must be finite",
                () -> new SequenceBatch(new float[] {0, 0, 0, Float.POSITIVE_INFINITY}, 2, 1, 2));
        assertMessage("lengths[1] = 4 is outside 0 … 3 (steps)", () -> new SequenceBatch(new float[12], 3, 2, 2,
                new int[] {1, 4}));
        assertMessage("batch: inputSize 1 does not match the model's 2",
                () -> model.forward(new SequenceBatch(new float[3], 3, 1, 1)));
        SequenceBatch batch = new SequenceBatch(new float[12], 3, 2, 2);
        assertMessage("initialStates: expected length 12 (layers × directions × batch × hiddenSize = 2 × 1 × 2 × 3), got 6",
                () -> model.forward(batch, new float[6]));
        assertMessage("outputGradient: expected length 6 (steps × batch × width = 3 × 2 × 1), got 5",
                () -> model.gradient(batch, null, new float[5], 3));
        assertMessage("window must be at least 1, got 0", () -> model.gradient(batch, null, new float[6], 0));
        assertMessage("layer must be in 0 … 1, got 2", () -> model.spectralRadius(2, false));
        assertMessage("reverse: this model is unidirectional", () -> model.recurrentWeights(0, true));

        ModelConfig bi = config.toBuilder().bidirectional(true).build();
        Model biModel = Model.create(bi, Initialization.uniform(), 1, REFERENCE);
        assertMessage("window 2 is shorter than the sequence (3 steps): a bidirectional model's reverse direction needs"
                + " the whole sequence, so it has no truncated gradient", () -> biModel.gradient(batch, null, new float[6], 2));

        StackRunner runner = model.newRunner(4, 2);
        IllegalStateException notReset = assertThrows(IllegalStateException.class,
                () -> runner.advance(1, new float[4], 0, null));
        assertEquals("call reset(batch, initialStates) first", notReset.getMessage());
        assertMessage("batch must be in 1 … 2 (this runner's maxBatch), got 3", () -> runner.reset(3, null));
        runner.reset(2, null);
        assertMessage("steps must be in 1 … 4 (this runner's capacity), got 5", () -> runner.advance(5, new float[20], 0, null));
        assertMessage("x: expected 8 floats from offset 2 (steps × batch × inputSize = 2 × 2 × 2), got length 8",
                () -> runner.advance(2, new float[8], 2, null));
        IllegalStateException empty = assertThrows(IllegalStateException.class,
                () -> runner.backward(1, new ModelGradients(config), false, false));
        assertEquals("the window is empty: advance before backward", empty.getMessage());
        runner.advance(2, new float[8], 0, new int[] {2, 1});
        assertMessage("lengths[1] = 1, but sequence 1 ended in an earlier span (padding is only allowed at the end of a"
                + " sequence)", () -> runner.advance(1, new float[4], 0, new int[] {1, 1}));
        assertMessage("lossSteps must be in 1 … 2 (the window), got 3",
                () -> runner.backward(3, new ModelGradients(config), false, false));
        assertMessage("gradients: expected accumulators for " + config + ", got " + bi,
                () -> runner.backward(1, new ModelGradients(bi), false, false));
        assertTrue(runner.windowSteps() == 2);
    }

    private static void assertMessage(String expected, Runnable action) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action::run);
        assertEquals(expected, e.getMessage());
    }
}
