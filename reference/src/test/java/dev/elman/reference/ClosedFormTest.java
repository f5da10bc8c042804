package dev.elman.reference;

import dev.elman.kernels.Activation;
import dev.elman.kernels.HeadWeights;
import dev.elman.kernels.RecurrentKernels;
import dev.elman.kernels.RecurrentWeights;
import dev.elman.kernels.Workspace;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** Forward passes small enough to work out by hand, through the public float API. */
class ClosedFormTest {
    private final RecurrentKernels kernels = new ReferenceKernels();

    private float[] forward(int inputSize, int hiddenSize, Activation activation, float[] wx, float[] wh, float[] b,
                            int steps, int batch, boolean reverse, float[] x, float[] h0, int[] lengths) {
        RecurrentWeights weights = kernels.newRecurrentWeights(inputSize, hiddenSize, activation, b != null);
        weights.load(wx, wh, b);
        Workspace workspace = kernels.newWorkspace(inputSize, hiddenSize, steps, batch);
        float[] h = new float[steps * batch * hiddenSize];
        kernels.forward(weights, workspace, steps, batch, reverse, x, 0, h0, h, 0, lengths);
        return h;
    }

    @Test
    void oneUnitTanhOverThreeSteps() {
        // h1 = tanh(0.5·1 + 0.8·0.2 + 0.1) = tanh(0.76)
        // h2 = tanh(0.5·(−1) + 0.8·h1 + 0.1)
        // h3 = tanh(0.5·2 + 0.8·h2 + 0.1)
        double h1 = Math.tanh(0.76);
        double h2 = Math.tanh(-0.4 + 0.8 * h1);
        double h3 = Math.tanh(1.1 + 0.8 * h2);
        float[] h = forward(1, 1, Activation.TANH, new float[] {0.5f}, new float[] {0.8f}, new float[] {0.1f},
                3, 1, false, new float[] {1f, -1f, 2f}, new float[] {0.2f}, null);
        assertArrayEquals(new float[] {(float) h1, (float) h2, (float) h3}, h, 1e-7f);
    }

    @Test
    void oneUnitTanhReverseReadsTheSpanBackwards() {
        // Reverse: the last step comes first and reads h0.
        double h3 = Math.tanh(0.5 * 2 + 0.8 * 0.2 + 0.1);
        double h2 = Math.tanh(0.5 * -1 + 0.8 * h3 + 0.1);
        double h1 = Math.tanh(0.5 * 1 + 0.8 * h2 + 0.1);
        float[] h = forward(1, 1, Activation.TANH, new float[] {0.5f}, new float[] {0.8f}, new float[] {0.1f},
                3, 1, true, new float[] {1f, -1f, 2f}, new float[] {0.2f}, null);
        assertArrayEquals(new float[] {(float) h1, (float) h2, (float) h3}, h, 1e-7f);
    }

    @Test
    void twoUnitsIdentityIsALinearRecurrence() {
        // Wx = [1 0; 0 2] (I = 2), Wh = [0.5 0; 1 −1], b = [1, 0], h0 = [1, 1]
        // x1 = [2, 1]: z1 = [2 + 0.5 + 1, 2 + (1 − 1) + 0] = [3.5, 2]
        // x2 = [0, −1]: z2 = [0 + 1.75 + 1, −2 + (3.5 − 2)] = [2.75, −0.5]
        float[] h = forward(2, 2, Activation.IDENTITY, new float[] {1, 0, 0, 2}, new float[] {0.5f, 0, 1, -1},
                new float[] {1, 0}, 2, 1, false, new float[] {2, 1, 0, -1}, new float[] {1, 1}, null);
        assertArrayEquals(new float[] {3.5f, 2f, 2.75f, -0.5f}, h, 0f);
    }

    @Test
    void twoUnitsReluClipsNegativePreActivations() {
        // Same numbers as the identity case: z2[1] = −0.5 becomes 0 under relu.
        float[] h = forward(2, 2, Activation.RELU, new float[] {1, 0, 0, 2}, new float[] {0.5f, 0, 1, -1},
                new float[] {1, 0}, 2, 1, false, new float[] {2, 1, 0, -1}, new float[] {1, 1}, null);
        assertArrayEquals(new float[] {3.5f, 2f, 2.75f, 0f}, h, 0f);
    }

    @Test
    void twoUnitsTanhWithoutBiasFromZeroState() {
        // Wx = [1; −1] (I = 1), Wh = [0 1; 1 0], h0 = 0, x = [0.5, 0.25]
        // h1 = tanh([0.5, −0.5]);  h2 = tanh([0.25 + h1[1], −0.25 + h1[0]])
        double a = Math.tanh(0.5);
        double b = Math.tanh(-0.5);
        float[] h = forward(1, 2, Activation.TANH, new float[] {1, -1}, new float[] {0, 1, 1, 0}, null,
                2, 1, false, new float[] {0.5f, 0.25f}, null, null);
        assertArrayEquals(new float[] {(float) a, (float) b, (float) Math.tanh(0.25 + b), (float) Math.tanh(-0.25 + a)},
                h, 1e-7f);
    }

    @Test
    void batchRowsAreIndependentAndPaddingHoldsTheState() {
        // H = 1 identity, Wx = 1, Wh = 1, no bias: h_t = h_{t−1} + x_t, a running sum per sequence.
        // Sequence 0 has length 3, sequence 1 length 1: its steps 1 and 2 repeat its state.
        float[] x = {1, 10, 2, 20, 3, 30}; // [t][b]
        float[] h = forward(1, 1, Activation.IDENTITY, new float[] {1}, new float[] {1}, null, 3, 2, false, x,
                new float[] {0, 5}, new int[] {3, 1});
        assertArrayEquals(new float[] {1, 15, 3, 15, 6, 15}, h, 0f);
    }

    @Test
    void reversePaddingStartsTheRealStepsFromH0() {
        // Reverse, sequence 1 of length 1: steps 2 and 1 are padding (state stays h0 = 5), step 0 adds 10.
        float[] x = {1, 10, 2, 20, 3, 30};
        float[] h = forward(1, 1, Activation.IDENTITY, new float[] {1}, new float[] {1}, null, 3, 2, true, x,
                new float[] {0, 5}, new int[] {3, 1});
        assertArrayEquals(new float[] {6, 15, 5, 5, 3, 5}, h, 0f);
    }

    @Test
    void headIsAnAffineMapPerRow() {
        // Wy = [1 2; 0 −1; 3 0] (O = 3, F = 2), by = [0, 1, −1]; rows [1, 1] and [2, −1]
        HeadWeights head = kernels.newHeadWeights(2, 3, true);
        head.load(new float[] {1, 2, 0, -1, 3, 0}, new float[] {0, 1, -1});
        float[] y = new float[6];
        kernels.headForward(head, 2, new float[] {1, 1, 2, -1}, 0, y, 0);
        assertArrayEquals(new float[] {3, 0, 2, 0, 2, 5}, y, 0f);
    }
}
