package dev.elman.simd;

import dev.elman.kernels.Activation;
import dev.elman.kernels.HeadGradients;
import dev.elman.kernels.HeadWeights;
import dev.elman.kernels.RecurrentGradients;
import dev.elman.kernels.RecurrentKernels;
import dev.elman.kernels.RecurrentWeights;
import dev.elman.kernels.WeightPrecision;
import dev.elman.kernels.Workspace;

import java.util.Random;

/**
 * The main class of the JVM {@link JitCompilationTest} starts: drives every entry point of
 * {@link VectorKernels} over shapes that reach every code path of the products (full column
 * groups, single rows, full and partial tail vectors, depth blocks, padding), often enough for the
 * JIT to compile each method it runs.
 */
public final class CompilationProbe {
    private static final int[] HIDDEN = {1, 7, 16, 17, 32, 40, 64, 65, 100, 129, 200};
    private static final int ROUNDS = 400;
    /** One activation of every kind, so that every path of {@link VectorActivation} runs. */
    private static final Activation[] ACTIVATIONS = {Activation.TANH, Activation.RELU, Activation.IDENTITY,
        Activation.SIGMOID, Activation.affine(0.7f, 0.1f), Activation.leakyRelu(0.1f), Activation.thresholdedRelu(0.2f),
        Activation.scaledTanh(1.5f, 0.7f), Activation.hardSigmoid(0.2f, 0.5f), Activation.elu(1f), Activation.SOFTSIGN,
        Activation.SOFTPLUS};

    private CompilationProbe() {
    }

    /**
     * Runs the shapes, then prints {@code done}.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        RecurrentKernels kernels = SimdSupport.create();
        Random random = new Random(1);
        for (int round = 0; round < ROUNDS; round++) {
            int hidden = HIDDEN[round % HIDDEN.length];
            int input = HIDDEN[(round / HIDDEN.length) % HIDDEN.length];
            int batch = 1 + round % 9;
            int steps = 1 + round % 5;
            Activation activation = ACTIVATIONS[round % ACTIVATIONS.length];
            // Every fifth round clips, so every kind runs clipped and unclipped.
            float clip = round % 5 == 4 ? 0.8f : 0f;
            boolean reverse = round % 2 == 1;
            int[] lengths = round % 3 == 0 ? lengths(random, batch, steps) : null;
            exercise(kernels, random, input, hidden, batch, steps, activation, clip, reverse, lengths);
        }
        // Forward passes over reduced weights: their row kernels, widened blocks and tails.
        for (int round = 0; round < ROUNDS; round++) {
            int hidden = HIDDEN[round % HIDDEN.length];
            int input = HIDDEN[(round / HIDDEN.length) % HIDDEN.length];
            WeightPrecision precision = round % 2 == 0 ? WeightPrecision.BF16 : WeightPrecision.INT8;
            reducedForward(kernels, random, precision, input, hidden, 1 + round % 9, 1 + round % 5,
                    ACTIVATIONS[round % ACTIVATIONS.length], round % 3 == 1);
        }
        // Depth blocks of the products: a batch of 8 or more rows over a long depth.
        for (int round = 0; round < ROUNDS / 10; round++) {
            exercise(kernels, random, 300, 70, 9, 2, Activation.TANH, 0f, false, null);
        }
        System.out.println("done");
    }

    private static void exercise(RecurrentKernels kernels, Random random, int input, int hidden, int batch,
                                 int steps, Activation activation, float clip, boolean reverse, int[] lengths) {
        RecurrentWeights weights = kernels.newRecurrentWeights(input, hidden, activation, clip, true);
        weights.load(values(random, hidden * input, 0.1f), values(random, hidden * hidden, 0.1f),
                values(random, hidden, 0.1f));
        Workspace workspace = kernels.newWorkspace(input, hidden, steps, batch);
        float[] x = values(random, steps * batch * input, 1f);
        float[] h0 = values(random, batch * hidden, 0.5f);
        float[] h = new float[steps * batch * hidden];
        kernels.forward(weights, workspace, steps, batch, reverse, x, 0, h0, h, 0, lengths);
        RecurrentGradients gradients = RecurrentGradients.of(weights);
        float[] dh = values(random, steps * batch * hidden, 1f);
        float[] dhLast = values(random, batch * hidden, 1f);
        float[] dx = new float[x.length];
        float[] dh0 = new float[batch * hidden];
        kernels.backward(weights, workspace, steps, batch, reverse, x, 0, h0, h, 0, lengths, dh, 0, dhLast,
                gradients, dx, 0, dh0);
        int outputs = 1 + hidden % 23;
        HeadWeights head = kernels.newHeadWeights(hidden, outputs, true);
        head.load(values(random, outputs * hidden, 0.1f), values(random, outputs, 0.1f));
        int rows = steps * batch;
        float[] y = new float[rows * outputs];
        kernels.headForward(head, rows, h, 0, y, 0);
        float[] dhFromHead = new float[h.length];
        kernels.headBackward(head, rows, h, 0, values(random, y.length, 1f), 0, HeadGradients.of(head),
                dhFromHead, 0);
    }

    private static void reducedForward(RecurrentKernels kernels, Random random, WeightPrecision precision, int input,
                                       int hidden, int batch, int steps, Activation activation, boolean reverse) {
        RecurrentWeights weights = kernels.newRecurrentWeights(input, hidden, activation, 0f, true, precision);
        weights.load(values(random, hidden * input, 0.1f), values(random, hidden * hidden, 0.1f),
                values(random, hidden, 0.1f));
        float[] h = new float[steps * batch * hidden];
        kernels.forward(weights, kernels.newWorkspace(input, hidden, steps, batch), steps, batch, reverse,
                values(random, steps * batch * input, 1f), 0, values(random, batch * hidden, 0.5f), h, 0, null);
    }

    private static int[] lengths(Random random, int batch, int steps) {
        int[] lengths = new int[batch];
        for (int n = 0; n < batch; n++) {
            lengths[n] = random.nextInt(steps + 1);
        }
        return lengths;
    }

    private static float[] values(Random random, int count, float scale) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (random.nextFloat() * 2 - 1) * scale;
        }
        return values;
    }
}
