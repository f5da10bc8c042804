package dev.elman.engine.model;

import dev.elman.engine.testing.DoubleModel;
import dev.elman.engine.testing.RandomData;
import dev.elman.reference.ReferenceKernels;
import dev.elman.testing.Activations;
import dev.elman.testing.Trials;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.LongStream;

/**
 * {@link Model#gradient} with a window shorter than the sequence is truncated BPTT as PyTorch users
 * write it: the sequence runs in chunks of {@code window} steps, the state is carried from chunk to
 * chunk but detached, and gradients are summed. So {@code dθ} is the gradient of
 * {@code Σ_chunks Σ G ⊙ y} with every chunk's starting state held constant, {@code dx} of a step is
 * the gradient of its own chunk's loss, and {@code dh0} is the first chunk's. Checked against
 * central finite differences of the double oracle (tolerance as in {@code ModelGradientCheckTest}).
 */
class ChunkedGradientTest {

    static LongStream seeds() {
        return Trials.seeds("chunked gradient", 80);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void chunksAreDetachedAndTheirGradientsSummed(long seed) {
        Random random = new Random(seed);
        ModelConfig.Builder builder = ModelConfig.builder().inputSize(1 + random.nextInt(3))
                .hiddenSize(1 + random.nextInt(5)).layers(1 + random.nextInt(2))
                .activation(Activations.CLASSIC.get(random.nextInt(3))).bias(random.nextBoolean());
        if (random.nextBoolean()) {
            builder.outputSize(1 + random.nextInt(3));
        }
        ModelConfig config = builder.build();
        int steps = 2 + random.nextInt(8);
        int window = 1 + random.nextInt(steps - 1);
        int batch = 1 + random.nextInt(3);
        int[] lengths = random.nextBoolean() ? RandomData.lengths(random, steps, batch) : null;
        Model model = Model.create(config, Initialization.uniform(), random.nextLong(), new ReferenceKernels());
        int in = config.inputSize();
        int w = config.outputWidth();
        int stateCount = config.layers() * batch * config.hiddenSize();
        float[] x = RandomData.uniform(random, steps * batch * in, 1.0);
        float[] h0 = RandomData.uniform(random, stateCount, 0.5);
        float[] g = RandomData.uniform(random, steps * batch * w, 1.0);
        String name = config + " T=" + steps + " window=" + window + " B=" + batch + " lengths=" + Arrays.toString(lengths);

        GradientResult analytic = model.gradient(new SequenceBatch(x, steps, batch, in, lengths), h0, g, window);

        DoubleModel oracle = new DoubleModel(config, model.parameters());
        double[] x64 = DoubleModel.widen(x);
        double[] h064 = DoubleModel.widen(h0);
        // The state each chunk starts from, computed once: detaching makes them constants.
        int chunks = (steps + window - 1) / window;
        double[][] starts = new double[chunks][];
        starts[0] = null;
        for (int c = 1; c < chunks; c++) {
            int s = c * window;
            starts[c] = oracle.forward(Arrays.copyOfRange(x64, 0, s * batch * in), s, batch, clamp(lengths, 0, s, batch),
                    h064).finalStates();
        }
        java.util.function.DoubleSupplier loss = () -> {
            double sum = 0;
            for (int c = 0; c < chunks; c++) {
                int s = c * window;
                int e = Math.min(steps, s + window);
                double[] y = oracle.forward(Arrays.copyOfRange(x64, s * batch * in, e * batch * in), e - s, batch,
                        clamp(lengths, s, e, batch), c == 0 ? h064 : starts[c]).output();
                for (int i = 0; i < y.length; i++) {
                    sum += g[s * batch * w + i] * y[i];
                }
            }
            return sum;
        };
        Parameters gradients = analytic.parameters().parameters();
        for (String parameter : gradients.names()) {
            ModelGradientCheckTest.compare(name + ": d" + parameter, oracle.parameters.get(parameter),
                    gradients.get(parameter).data(), loss);
        }
        ModelGradientCheckTest.compare(name + ": dx", x64, analytic.input(), loss);
        ModelGradientCheckTest.compare(name + ": dh0", h064, analytic.initialState(), loss);
    }

    private static int[] clamp(int[] lengths, int from, int to, int batch) {
        int[] result = new int[batch];
        for (int b = 0; b < batch; b++) {
            result[b] = Math.clamp((lengths == null ? Integer.MAX_VALUE : lengths[b]) - from, 0, to - from);
        }
        return result;
    }
}
