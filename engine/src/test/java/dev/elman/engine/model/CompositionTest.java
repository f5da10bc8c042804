package dev.elman.engine.model;

import dev.elman.engine.testing.DoubleModel;
import dev.elman.engine.testing.KernelsUnderTest;
import dev.elman.engine.testing.RandomData;
import dev.elman.kernels.HeadWeights;
import dev.elman.kernels.RecurrentKernels;
import dev.elman.kernels.RecurrentWeights;
import dev.elman.kernels.Workspace;
import dev.elman.reference.ReferenceKernels;
import dev.elman.testing.Trials;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A stacked, bidirectional model with a head is the composition of single-layer, single-direction
 * reference passes: the model (on every kernels under test) equals that composition, built here
 * call by call from {@link ReferenceKernels}, and both equal the double-precision oracle.
 */
class CompositionTest {
    /**
     * The oracle runs in double; the composition rounds each layer's states to float32 on the way
     * out (relative 6e-8) and feeds them to the next layer and the head. With |h| ≤ 1 (tanh) or of
     * order 1 (relu, identity, weights ≤ 1/√n), 3 layers and rows of at most 10 terms, the
     * difference is below ~1e-6·(1 + |y|); 1e-5 leaves a margin of 10.
     */
    private static final double ORACLE_TOLERANCE = 1e-5;

    static Stream<Arguments> cases() {
        return KernelsUnderTest.all().stream().flatMap(kernels -> Trials.seeds("composition", 150)
                .mapToObj(seed -> Arguments.of(kernels.name(), seed)));
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("cases")
    void stackedAndBidirectionalModelsAreCompositionsOfReferenceLayers(String kernelsName, long seed) {
        RecurrentKernels kernels = kernels(kernelsName);
        Random random = new Random(seed);
        ModelConfig config = RandomData.config(random, 3);
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
        float[][] composed = compose(config, model.parameters(), x, steps, batch, lengths, h0);
        double tolerance = KernelsUnderTest.tolerance(kernels);
        assertClose(composed[0], actual.output(), tolerance, name + ": output");
        assertClose(composed[1], actual.finalStates(), tolerance, name + ": final states");

        DoubleModel.Result oracle = new DoubleModel(config, model.parameters())
                .forward(DoubleModel.widen(x), steps, batch, lengths, DoubleModel.widen(h0));
        assertClose(oracle.output(), composed[0], ORACLE_TOLERANCE, name + ": composition against the oracle");
        assertClose(oracle.finalStates(), composed[1], ORACLE_TOLERANCE, name + ": final states against the oracle");
    }

    /** The network built call by call from reference single-layer passes: {output, final states}. */
    static float[][] compose(ModelConfig config, Parameters parameters, float[] x, int steps, int batch,
                             int[] lengths, float[] h0) {
        ReferenceKernels reference = new ReferenceKernels();
        int hs = config.hiddenSize();
        int directions = config.directions();
        int stateCount = batch * hs;
        float[] input = x;
        float[] finals = new float[config.layers() * directions * stateCount];
        for (int l = 0; l < config.layers(); l++) {
            int in = config.layerInputSize(l);
            float[][] h = new float[directions][steps * stateCount];
            for (int d = 0; d < directions; d++) {
                // Parameters are named by direction index; a reverse model's one direction walks backward.
                boolean second = d == 1;
                boolean reverse = config.direction().walksBackward(d);
                RecurrentWeights w = reference.newRecurrentWeights(in, hs, config.directionActivation(d), config.clip(),
                        config.bias());
                w.load(parameters.get(ParameterNames.inputWeights(l, second)).data(),
                        parameters.get(ParameterNames.recurrentWeights(l, second)).data(),
                        config.bias() ? parameters.get(ParameterNames.bias(l, second)).data() : null);
                Workspace ws = reference.newWorkspace(in, hs, steps, batch);
                int k = l * directions + d;
                float[] initial = h0 == null ? null : Arrays.copyOfRange(h0, k * stateCount, (k + 1) * stateCount);
                reference.forward(w, ws, steps, batch, reverse, input, 0, initial, h[d], 0, lengths);
                int finalStep = reverse ? 0 : steps - 1;
                System.arraycopy(h[d], finalStep * stateCount, finals, k * stateCount, stateCount);
            }
            int width = config.featureSize();
            float[] features = new float[steps * batch * width];
            for (int r = 0; r < steps * batch; r++) {
                for (int i = 0; i < hs; i++) {
                    if (directions == 1) {
                        features[r * width + i] = h[0][r * hs + i];
                    } else if (config.merge() == Merge.CONCAT) {
                        features[r * width + i] = h[0][r * hs + i];
                        features[r * width + hs + i] = h[1][r * hs + i];
                    } else {
                        features[r * width + i] = h[0][r * hs + i] + h[1][r * hs + i];
                    }
                }
            }
            input = features;
        }
        float[] output = input;
        if (config.hasHead()) {
            HeadWeights head = reference.newHeadWeights(config.featureSize(), config.outputSize(), config.headBias());
            head.load(parameters.get(ParameterNames.HEAD_WEIGHTS).data(),
                    config.headBias() ? parameters.get(ParameterNames.HEAD_BIAS).data() : null);
            output = new float[steps * batch * config.outputSize()];
            reference.headForward(head, steps * batch, input, 0, output, 0);
        }
        int w = config.outputWidth();
        if (lengths != null) {
            for (int t = 0; t < steps; t++) {
                for (int b = 0; b < batch; b++) {
                    if (t >= lengths[b]) {
                        Arrays.fill(output, (t * batch + b) * w, (t * batch + b + 1) * w, 0f);
                    }
                }
            }
        }
        return new float[][] {output, finals};
    }

    static RecurrentKernels kernels(String name) {
        return KernelsUnderTest.all().stream().filter(k -> k.name().equals(name)).findFirst().orElseThrow();
    }

    static void assertClose(float[] expected, float[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(expected[i] - actual[i]) <= tolerance * (1 + Math.abs(expected[i])))) {
                fail(what + ": element " + i + " expected " + expected[i] + ", got " + actual[i]
                        + " (tolerance " + tolerance + " relative to 1 + |expected|)");
            }
        }
    }

    static void assertClose(double[] expected, float[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(expected[i] - actual[i]) <= tolerance * (1 + Math.abs(expected[i])))) {
                fail(what + ": element " + i + " expected " + expected[i] + ", got " + actual[i]
                        + " (tolerance " + tolerance + " relative to 1 + |expected|)");
            }
        }
    }
}
