package dev.elman.engine.model;

import dev.elman.engine.testing.KernelsUnderTest;
import dev.elman.engine.testing.RandomData;
import dev.elman.kernels.RecurrentKernels;
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
 * A batch of sequences of different lengths gives, for every sequence, what running it alone gives:
 * outputs (zero at padding), final states, and — for {@link Model#gradient} — input and initial
 * state gradients, with parameter gradients the sum of the separate runs'.
 */
class VariableLengthTest {
    /**
     * Parameter gradients of the batch are one float rounding of a double sum over all sequences;
     * summing the separate runs' float gradients adds one more rounding per sequence: relative 6e-8
     * each, B ≤ 4, so 1e-6 of the tensor's largest gradient is 4× the worst case.
     */
    private static final double SUM_TOLERANCE = 1e-6;

    static Stream<Arguments> cases() {
        return KernelsUnderTest.all().stream().flatMap(kernels -> Trials.seeds("lengths", 100)
                .mapToObj(seed -> Arguments.of(kernels.name(), seed)));
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("cases")
    void eachSequenceOfABatchIsWhatItIsAlone(String kernelsName, long seed) {
        RecurrentKernels kernels = CompositionTest.kernels(kernelsName);
        Random random = new Random(seed);
        ModelConfig config = RandomData.config(random, 2);
        int steps = 2 + random.nextInt(7);
        int batch = 2 + random.nextInt(3);
        int[] lengths = RandomData.lengths(random, steps, batch);
        Model model = Model.create(config, Initialization.uniform(), random.nextLong(), kernels);
        int in = config.inputSize();
        int w = config.outputWidth();
        int hs = config.hiddenSize();
        int ld = config.layers() * config.directions();
        float[] x = RandomData.uniform(random, steps * batch * in, 1.0);
        float[] g = RandomData.uniform(random, steps * batch * w, 1.0);
        String name = config + " T=" + steps + " lengths=" + Arrays.toString(lengths);
        double tolerance = KernelsUnderTest.tolerance(kernels);

        SequenceBatch all = new SequenceBatch(x, steps, batch, in, lengths);
        ForwardResult together = model.forward(all);
        GradientResult gradTogether = model.gradient(all, null, g, Integer.MAX_VALUE);
        Parameters summed = Parameters.zeros(config);

        for (int b = 0; b < batch; b++) {
            int length = lengths[b];
            float[] xb = new float[length * in];
            float[] gb = new float[length * w];
            for (int t = 0; t < length; t++) {
                System.arraycopy(x, (t * batch + b) * in, xb, t * in, in);
                System.arraycopy(g, (t * batch + b) * w, gb, t * w, w);
            }
            SequenceBatch alone = new SequenceBatch(xb, length, 1, in);
            ForwardResult single = model.forward(alone);
            GradientResult gradSingle = model.gradient(alone, null, gb, Integer.MAX_VALUE);
            for (int t = 0; t < steps; t++) {
                for (int j = 0; j < w; j++) {
                    float expected = t < length ? single.output(t, 0, j) : 0f;
                    close(expected, together.output(t, b, j), tolerance, name + ": output t=" + t + " b=" + b);
                }
                for (int j = 0; j < in; j++) {
                    float expected = t < length ? gradSingle.input()[t * in + j] : 0f;
                    close(expected, gradTogether.input()[(t * batch + b) * in + j], tolerance,
                            name + ": dx t=" + t + " b=" + b);
                }
            }
            for (int k = 0; k < ld; k++) {
                for (int i = 0; i < hs; i++) {
                    close(single.finalState(k, 0, i), together.finalState(k, b, i), tolerance,
                            name + ": final state " + k + " b=" + b);
                    close(gradSingle.initialState()[k * hs + i], gradTogether.initialState()[(k * batch + b) * hs + i],
                            tolerance, name + ": dh0 " + k + " b=" + b);
                }
            }
            Parameters part = gradSingle.parameters().parameters();
            for (int p = 0; p < part.count(); p++) {
                float[] target = summed.get(p).data();
                float[] source = part.get(p).data();
                for (int i = 0; i < target.length; i++) {
                    target[i] += source[i];
                }
            }
        }
        Parameters batchGradients = gradTogether.parameters().parameters();
        for (int p = 0; p < summed.count(); p++) {
            float[] expected = summed.get(p).data();
            float[] actual = batchGradients.get(p).data();
            double scale = 1;
            for (float v : expected) {
                scale = Math.max(scale, Math.abs(v));
            }
            assertEquals(expected.length, actual.length);
            for (int i = 0; i < expected.length; i++) {
                if (!(Math.abs(expected[i] - actual[i]) <= Math.max(SUM_TOLERANCE, tolerance) * scale)) {
                    fail(name + ": d" + summed.names().get(p) + "[" + i + "] summed alone " + expected[i]
                            + ", batch " + actual[i]);
                }
            }
        }
    }

    private static void close(float expected, float actual, double tolerance, String what) {
        if (!(Math.abs(expected - actual) <= tolerance * (1 + Math.abs(expected)))) {
            fail(what + ": alone " + expected + ", in the batch " + actual);
        }
    }
}
