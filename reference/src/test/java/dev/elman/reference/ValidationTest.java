package dev.elman.reference;

import dev.elman.kernels.Activation;
import dev.elman.kernels.HeadGradients;
import dev.elman.kernels.HeadWeights;
import dev.elman.kernels.RecurrentGradients;
import dev.elman.kernels.RecurrentKernels;
import dev.elman.kernels.RecurrentWeights;
import dev.elman.kernels.Workspace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every entry point rejects bad arguments with an {@link IllegalArgumentException} that names the
 * argument, the expected length and the given one, and writes nothing when it does.
 */
class ValidationTest {
    // T = 3, B = 2, I = 4, H = 5, O = 6
    private static final int T = 3;
    private static final int B = 2;
    private static final int I = 4;
    private static final int H = 5;
    private static final int O = 6;

    private final RecurrentKernels kernels = new ReferenceKernels();
    private final RecurrentWeights weights = kernels.newRecurrentWeights(I, H, Activation.TANH, true);
    private final Workspace workspace = kernels.newWorkspace(I, H, T, B);
    private final float[] x = new float[T * B * I];
    private final float[] h0 = new float[B * H];
    private final float[] h = new float[T * B * H];
    private final float[] dh = new float[T * B * H];
    private final float[] dhLast = new float[B * H];
    private final float[] dx = new float[T * B * I];
    private final float[] dh0 = new float[B * H];
    private final RecurrentGradients gradients = new RecurrentGradients(I, H, true);

    ValidationTest() {
        weights.load(new float[H * I], new float[H * H], new float[H]);
    }

    private static void rejects(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment),
                    () -> "message '" + e.getMessage() + "' should contain '" + fragment + "'");
        }
    }

    private void forward(float[] x, int xOffset, float[] h0, float[] h, int hOffset, int[] lengths) {
        kernels.forward(weights, workspace, T, B, false, x, xOffset, h0, h, hOffset, lengths);
    }

    private void backward(float[] dh, float[] dhLast, RecurrentGradients gradients, float[] dx, float[] dh0) {
        kernels.backward(weights, workspace, T, B, false, x, 0, h0, h, 0, null, dh, 0, dhLast, gradients, dx, 0, dh0);
    }

    @Test
    void constructionRejectsNonPositiveSizes() {
        rejects(() -> kernels.newRecurrentWeights(0, H, Activation.TANH, true), "inputSize", "at least 1", "got 0");
        rejects(() -> kernels.newRecurrentWeights(I, -2, Activation.TANH, true), "hiddenSize", "got -2");
        rejects(() -> kernels.newRecurrentWeights(I, H, null, true), "activation");
        rejects(() -> kernels.newHeadWeights(H, 0, true), "outputSize", "got 0");
        rejects(() -> kernels.newWorkspace(I, H, 0, B), "maxSteps", "got 0");
        rejects(() -> new RecurrentGradients(I, 0, true), "hiddenSize");
        rejects(() -> new HeadGradients(0, O, false), "inputSize");
    }

    @Test
    void loadChecksEveryArray() {
        RecurrentWeights fresh = kernels.newRecurrentWeights(I, H, Activation.RELU, true);
        rejects(() -> fresh.load(new float[H * I - 1], new float[H * H], new float[H]),
                "wx", "expected length 20", "hiddenSize × inputSize", "got 19");
        rejects(() -> fresh.load(new float[H * I], new float[H * H + 1], new float[H]),
                "wh", "expected length 25", "got 26");
        rejects(() -> fresh.load(new float[H * I], new float[H * H], new float[H + 2]), "b", "expected length 5", "got 7");
        rejects(() -> fresh.load(new float[H * I], new float[H * H], null), "b", "has a bias");
        rejects(() -> fresh.load(null, new float[H * H], new float[H]), "wx", "must not be null");
        RecurrentWeights noBias = kernels.newRecurrentWeights(I, H, Activation.RELU, false);
        rejects(() -> noBias.load(new float[H * I], new float[H * H], new float[H]), "b", "no bias", "must be null");

        HeadWeights head = kernels.newHeadWeights(H, O, true);
        rejects(() -> head.load(new float[O * H + 3], new float[O]), "w", "expected length 30", "got 33");
        rejects(() -> head.load(new float[O * H], new float[1]), "b", "expected length 6", "got 1");
        assertTrue(!fresh.isLoaded() && !head.isLoaded(), "a rejected load leaves the holder unloaded");
    }

    @Test
    void forwardChecksEveryArray() {
        rejects(() -> forward(new float[T * B * I - 1], 0, h0, h, 0, null),
                "x", "expected at least 24", "steps × batch × inputSize = 3 × 2 × 4", "got length 23");
        rejects(() -> forward(x, 1, h0, h, 0, null), "x", "from offset 1", "got length 24");
        rejects(() -> forward(x, -1, h0, h, 0, null), "xOffset", "negative");
        rejects(() -> forward(null, 0, h0, h, 0, null), "x must not be null");
        rejects(() -> forward(x, 0, new float[B * H + 1], h, 0, null),
                "h0", "expected length 10", "batch × hiddenSize = 2 × 5", "got 11");
        rejects(() -> forward(x, 0, h0, new float[T * B * H - 1], 0, null), "h", "expected at least 30", "got length 29");
        rejects(() -> forward(x, 0, h0, h, 0, new int[] {3}), "lengths", "expected length 2", "got 1");
        rejects(() -> forward(x, 0, h0, h, 0, new int[] {3, 4}), "lengths[1] = 4", "outside 0 … 3");
        rejects(() -> forward(x, 0, h0, h, 0, new int[] {-1, 0}), "lengths[0] = -1");
        rejects(() -> kernels.forward(weights, workspace, 0, B, false, x, 0, h0, h, 0, null), "steps", "got 0");
        rejects(() -> kernels.forward(weights, workspace, T, 0, false, x, 0, h0, h, 0, null), "batch", "got 0");
        rejects(() -> kernels.forward(null, workspace, T, B, false, x, 0, h0, h, 0, null), "weights");
        rejects(() -> kernels.forward(weights, null, T, B, false, x, 0, h0, h, 0, null), "workspace");
    }

    @Test
    void forwardRejectsAWorkspaceTooSmallOrForeign() {
        Workspace small = kernels.newWorkspace(I, H, T - 1, B);
        rejects(() -> kernels.forward(weights, small, T, B, false, x, 0, h0, h, 0, null),
                "workspace is too small", "steps ≤ 2", "steps 3");
        Workspace foreign = new ReferenceKernels().newWorkspace(I, H, T, B);
        rejects(() -> kernels.forward(weights, foreign, T, B, false, x, 0, h0, h, 0, null), "workspace was made by");
        RecurrentWeights foreignWeights = new ReferenceKernels().newRecurrentWeights(I, H, Activation.TANH, false);
        foreignWeights.load(new float[H * I], new float[H * H], null);
        rejects(() -> kernels.forward(foreignWeights, workspace, T, B, false, x, 0, h0, h, 0, null), "weights were made by");
    }

    @Test
    void passesRefuseUnloadedWeights() {
        RecurrentWeights unloaded = kernels.newRecurrentWeights(I, H, Activation.TANH, true);
        assertThrows(IllegalStateException.class,
                () -> kernels.forward(unloaded, workspace, T, B, false, x, 0, h0, h, 0, null));
        HeadWeights head = kernels.newHeadWeights(H, O, false);
        assertThrows(IllegalStateException.class, () -> kernels.headForward(head, 1, h, 0, new float[O], 0));
    }

    @Test
    void overlappingOutputsAreRejected() {
        float[] shared = new float[T * B * I + T * B * H];
        rejects(() -> forward(shared, 0, h0, shared, 3, null), "h [3, 33) overlaps x [0, 24)");
        forward(shared, 0, h0, shared, T * B * I, null); // disjoint regions of one array are fine
        rejects(() -> backward(dh, dhLast, gradients, dx, h0), "dh0", "overlaps h0");
    }

    @Test
    void backwardChecksEveryArray() {
        rejects(() -> backward(new float[5], dhLast, gradients, dx, dh0), "dh", "expected at least 30", "got length 5");
        rejects(() -> backward(dh, new float[B * H - 1], gradients, dx, dh0), "dhLast", "expected length 10", "got 9");
        rejects(() -> backward(dh, dhLast, new RecurrentGradients(I, H, false), dx, dh0), "gradients", "bias true", "bias false");
        rejects(() -> backward(dh, dhLast, new RecurrentGradients(I + 1, H, true), dx, dh0), "gradients", "inputSize 4", "inputSize 5");
        rejects(() -> backward(dh, dhLast, null, dx, dh0), "gradients");
        rejects(() -> backward(dh, dhLast, gradients, new float[T * B * I - 2], dh0), "dx", "expected at least 24", "got length 22");
        rejects(() -> backward(dh, dhLast, gradients, dx, new float[1]), "dh0", "expected length 10", "got 1");
        rejects(() -> kernels.backward(weights, workspace, T, B, false, new float[1], 0, h0, h, 0, null,
                dh, 0, dhLast, gradients, dx, 0, dh0), "x", "got length 1");
    }

    @Test
    void aRejectedBackwardWritesNothing() {
        Arrays.fill(dx, 3f);
        Arrays.fill(dh0, 3f);
        gradients.dWx()[0] = 3f;
        rejects(() -> backward(dh, dhLast, gradients, dx, new float[1]), "dh0");
        float[] threes = new float[dx.length];
        Arrays.fill(threes, 3f);
        assertArrayEquals(threes, dx, 0f);
        assertEquals(3f, gradients.dWx()[0]);
        assertEquals(3f, dh0[0]);
    }

    @Test
    void headChecksEveryArray() {
        HeadWeights head = kernels.newHeadWeights(H, O, true);
        head.load(new float[O * H], new float[O]);
        int rows = T * B;
        float[] y = new float[rows * O];
        rejects(() -> kernels.headForward(head, rows, new float[rows * H - 1], 0, y, 0),
                "h", "expected at least 30", "rows × inputSize = 6 × 5", "got length 29");
        rejects(() -> kernels.headForward(head, rows, h, 0, new float[rows * O - 1], 0),
                "y", "expected at least 36", "rows × outputSize = 6 × 6", "got length 35");
        rejects(() -> kernels.headForward(head, 0, h, 0, y, 0), "rows", "got 0");
        HeadGradients headGradients = HeadGradients.of(head);
        rejects(() -> kernels.headBackward(head, rows, h, 0, new float[3], 0, headGradients, dh, 0),
                "dy", "expected at least 36", "got length 3");
        rejects(() -> kernels.headBackward(head, rows, h, 0, y, 0, new HeadGradients(H, O + 1, true), dh, 0),
                "gradients", "outputSize 6", "outputSize 7");
        rejects(() -> kernels.headBackward(head, rows, h, 0, y, 0, headGradients, new float[rows * H - 1], 0),
                "dh", "expected at least 30", "got length 29");
        rejects(() -> kernels.headBackward(head, rows, h, 0, y, 0, headGradients, h, 0), "dh", "overlaps h");
    }

    @Test
    void activationNamesParse() {
        assertEquals(Activation.RELU, Activation.parse(" ReLU "));
        assertEquals("identity", Activation.IDENTITY.label());
        rejects(() -> Activation.parse("swish"), "unknown activation 'swish'", "tanh, relu, identity");
    }
}
