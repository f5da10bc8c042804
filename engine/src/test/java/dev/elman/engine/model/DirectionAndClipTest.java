package dev.elman.engine.model;

import dev.elman.engine.testing.DoubleModel;
import dev.elman.engine.testing.KernelsUnderTest;
import dev.elman.engine.testing.RandomData;
import dev.elman.kernels.Activation;
import dev.elman.kernels.RecurrentKernels;
import dev.elman.testing.Activations;
import dev.elman.testing.Trials;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Models with a reverse-only direction, an activation per direction, a clip and activations with
 * parameters: they are compositions of single reference layers (and match the double oracle), a
 * reverse model is the forward model on the time-reversed sequences, and the whole-sequence rules
 * of reverse directions hold.
 */
class DirectionAndClipTest {

    static Stream<Arguments> cases() {
        return KernelsUnderTest.all().stream().flatMap(kernels -> Trials.seeds("direction-clip", 80)
                .mapToObj(seed -> Arguments.of(kernels.name(), seed)));
    }

    /**
     * Every field drawn, the direction among all three, each direction's φ of any kind but the
     * thresholded relu (whose jump makes closeness of two roundings ill-posed; the kernel tests
     * give it a tolerance of its own), clipped half the time.
     */
    static ModelConfig config(Random random) {
        ModelConfig base = RandomData.config(random, 3);
        Direction direction = Direction.values()[random.nextInt(3)];
        ModelConfig.Builder b = base.toBuilder().direction(direction)
                .activations(continuous(random), continuous(random)).clip(Activations.clip(random));
        if (direction != Direction.BIDIRECTIONAL) {
            b.merge(Merge.CONCAT);
        }
        return b.build();
    }

    private static Activation continuous(Random random) {
        while (true) {
            Activation a = Activations.random(random);
            if (a.kind() != Activation.Kind.THRESHOLDED_RELU) {
                return a;
            }
        }
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("cases")
    void modelsAreCompositionsOfReferenceLayers(String kernelsName, long seed) {
        RecurrentKernels kernels = CompositionTest.kernels(kernelsName);
        Random random = new Random(seed);
        ModelConfig config = config(random);
        int steps = 1 + random.nextInt(8);
        int batch = 1 + random.nextInt(3);
        int[] lengths = random.nextBoolean() ? RandomData.lengths(random, steps, batch) : null;
        Model model = Model.create(config, Initialization.uniform(), random.nextLong(), kernels);
        float[] x = RandomData.uniform(random, steps * batch * config.inputSize(), 1.0);
        float[] h0 = random.nextBoolean()
                ? RandomData.uniform(random, config.layers() * config.directions() * batch * config.hiddenSize(), 0.5)
                : null;
        String name = config + " T=" + steps + " B=" + batch + " lengths=" + Arrays.toString(lengths);

        ForwardResult actual = model.forward(new SequenceBatch(x, steps, batch, config.inputSize(), lengths), h0);
        float[][] composed = CompositionTest.compose(config, model.parameters(), x, steps, batch, lengths, h0);
        double tolerance = KernelsUnderTest.tolerance(kernels);
        CompositionTest.assertClose(composed[0], actual.output(), tolerance, name + ": output");
        CompositionTest.assertClose(composed[1], actual.finalStates(), tolerance, name + ": final states");

        DoubleModel.Result oracle = new DoubleModel(config, model.parameters())
                .forward(DoubleModel.widen(x), steps, batch, lengths, DoubleModel.widen(h0));
        // As CompositionTest's bound (1e-5), scaled by the largest slope a drawn φ has (|α| ≤ 2).
        CompositionTest.assertClose(oracle.output(), composed[0], 4e-5, name + ": against the oracle");
        CompositionTest.assertClose(oracle.finalStates(), composed[1], 4e-5, name + ": final states, oracle");
    }

    /**
     * A reverse model is the forward model with the same parameters run on each sequence's real
     * steps reversed, its outputs and input gradients reversed back; its parameter gradients are
     * the same sums taken in the other order.
     */
    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("cases")
    void aReverseModelIsTheForwardModelOnReversedSequences(String kernelsName, long seed) {
        RecurrentKernels kernels = CompositionTest.kernels(kernelsName);
        Random random = new Random(seed);
        ModelConfig forwardConfig = config(random).toBuilder().direction(Direction.FORWARD).merge(Merge.CONCAT).build();
        ModelConfig reverseConfig = forwardConfig.toBuilder().direction(Direction.REVERSE)
                .activations(Activation.TANH, forwardConfig.activation()).build();
        int steps = 1 + random.nextInt(8);
        int batch = 1 + random.nextInt(3);
        int[] lengths = random.nextBoolean() ? RandomData.lengths(random, steps, batch) : null;
        Model forward = Model.create(forwardConfig, Initialization.uniform(), random.nextLong(), kernels);
        Model reversed = Model.withParameters(copyInto(reverseConfig, forward.parameters()), kernels);
        int inputSize = forwardConfig.inputSize();
        int width = forwardConfig.outputWidth();
        float[] x = RandomData.uniform(random, steps * batch * inputSize, 1.0);
        float[] dy = RandomData.uniform(random, steps * batch * width, 1.0);
        String name = reverseConfig + " T=" + steps + " B=" + batch + " lengths=" + Arrays.toString(lengths);

        ForwardResult r = reversed.forward(new SequenceBatch(x, steps, batch, inputSize, lengths));
        ForwardResult f = forward.forward(new SequenceBatch(flip(x, steps, batch, inputSize, lengths), steps, batch,
                inputSize, lengths));
        // The same arithmetic per step, except where a product's rows fall into other register tiles.
        double tolerance = KernelsUnderTest.tolerance(kernels);
        CompositionTest.assertClose(flip(f.output(), steps, batch, width, lengths), r.output(), tolerance,
                name + ": output");
        CompositionTest.assertClose(f.finalStates(), r.finalStates(), tolerance, name + ": final states");

        GradientResult gr = reversed.gradient(new SequenceBatch(x, steps, batch, inputSize, lengths), null, dy,
                Integer.MAX_VALUE);
        GradientResult gf = forward.gradient(new SequenceBatch(flip(x, steps, batch, inputSize, lengths), steps, batch,
                inputSize, lengths), null, flip(dy, steps, batch, width, lengths), Integer.MAX_VALUE);
        // Sums over the steps in the other order: a few float roundings of the gradients' scale apart.
        double sumTolerance = Math.max(tolerance, 1e-5);
        for (String parameter : forward.parameters().names()) {
            CompositionTest.assertClose(gf.parameters().parameters().get(parameter).data(),
                    gr.parameters().parameters().get(parameter).data(), sumTolerance, name + ": d" + parameter);
        }
        CompositionTest.assertClose(flip(gf.input(), steps, batch, inputSize, lengths), gr.input(), sumTolerance,
                name + ": dx");
        CompositionTest.assertClose(gf.initialState(), gr.initialState(), sumTolerance, name + ": dh0");
        forward.close();
        reversed.close();
    }

    @Test
    void aBidirectionalLayerUsesEachDirectionsActivation() {
        for (RecurrentKernels kernels : KernelsUnderTest.all()) {
            ModelConfig config = ModelConfig.builder().inputSize(2).hiddenSize(3).bidirectional(true)
                    .activations(Activation.RELU, Activation.scaledTanh(2, 0.5f)).build();
            Model model = Model.create(config, Initialization.uniform(), 7, kernels);
            assertEquals(Activation.RELU, model.recurrentWeights(0, false).activation());
            assertEquals(Activation.scaledTanh(2, 0.5f), model.recurrentWeights(0, true).activation());
            float[] x = RandomData.uniform(new Random(3), 4 * 2, 1.0);
            float[] out = model.forward(new SequenceBatch(x, 4, 1, 2)).output();
            for (int t = 0; t < 4; t++) {
                for (int i = 0; i < 3; i++) {
                    assertTrue(out[t * 6 + i] >= 0, "relu forward half");
                    assertTrue(Math.abs(out[t * 6 + 3 + i]) <= 2, "scaled tanh reverse half");
                }
            }
            model.close();
        }
    }

    @Test
    void aClippedIdentityLayerStaysInsideTheBound() {
        for (RecurrentKernels kernels : KernelsUnderTest.all()) {
            ModelConfig config = ModelConfig.builder().inputSize(2).hiddenSize(4).activation(Activation.IDENTITY)
                    .clip(0.25f).build();
            Model model = Model.create(config, Initialization.uniform(), 11, kernels);
            assertEquals(0.25f, model.recurrentWeights(0, false).clip());
            float[] x = RandomData.uniform(new Random(5), 6 * 3 * 2, 3.0);
            float[] out = model.forward(new SequenceBatch(x, 6, 3, 2)).output();
            int atBound = 0;
            for (float v : out) {
                assertTrue(Math.abs(v) <= 0.25f, "clipped: " + v);
                atBound += Math.abs(v) == 0.25f ? 1 : 0;
            }
            assertTrue(atBound > 0, "inputs of ±3 reach the bound");
            model.close();
        }
    }

    @Test
    void reverseModelsNeedWholeSequences() {
        ModelConfig config = ModelConfig.builder().inputSize(1).hiddenSize(2).direction(Direction.REVERSE).build();
        Model model = Model.create(config, Initialization.uniform(), 1, KernelsUnderTest.reference());
        IllegalArgumentException session = assertThrows(IllegalArgumentException.class, model::newSession);
        assertTrue(session.getMessage().contains("a reverse one reads the sequence from its end"), session.getMessage());
        SequenceBatch batch = new SequenceBatch(new float[4], 4, 1, 1);
        IllegalArgumentException window = assertThrows(IllegalArgumentException.class,
                () -> model.gradient(batch, null, new float[8], 2));
        assertTrue(window.getMessage().contains("a reverse model's reverse direction needs the whole sequence"),
                window.getMessage());
        StackRunner runner = model.newRunner(4, 1);
        runner.reset(1, null);
        runner.advance(2, new float[2], 0, null);
        IllegalStateException second = assertThrows(IllegalStateException.class,
                () -> runner.advance(2, new float[2], 0, null));
        assertTrue(second.getMessage().contains("a reverse model reads its whole sequence in one advance"),
                second.getMessage());
    }

    /** The reverse model's parameters: the forward model's, under the same names (direction 0). */
    private static Parameters copyInto(ModelConfig config, Parameters values) {
        Parameters target = Parameters.zeros(config);
        for (String name : target.names()) {
            float[] source = values.get(name).data();
            System.arraycopy(source, 0, target.get(name).data(), 0, source.length);
        }
        return target;
    }

    /** Reverses each sequence's first {@code lengths[b]} steps of a {@code [T][B][W]} array; padding stays. */
    private static float[] flip(float[] a, int steps, int batch, int width, int[] lengths) {
        float[] out = a.clone();
        for (int b = 0; b < batch; b++) {
            int length = lengths == null ? steps : lengths[b];
            for (int t = 0; t < length; t++) {
                System.arraycopy(a, (t * batch + b) * width, out, ((length - 1 - t) * batch + b) * width, width);
            }
        }
        return out;
    }

    @Test
    void flipIsAnInvolution() {
        float[] a = RandomData.uniform(new Random(1), 5 * 2 * 3, 1);
        int[] lengths = {3, 5};
        assertArrayEquals(a, flip(flip(a, 5, 2, 3, lengths), 5, 2, 3, lengths));
    }
}
