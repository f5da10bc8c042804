package dev.elman.engine.interop;

import dev.elman.engine.io.Tensor;
import dev.elman.engine.testing.KernelsUnderTest;
import dev.elman.engine.testing.RandomData;
import dev.elman.kernels.Activation;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TorchRnn's calling convention: torch's shapes in and out, unbatched inputs, zero initial
 * states, and every mismatch reported naming the tensor with the expected and the actual shape.
 * (Its numbers against torch are {@link TorchRnnGoldenTest}'s.)
 */
class TorchRnnTest {
    /** Two stacked layers, I = 3, H = 4, one direction. */
    private final TorchRnn stacked = new TorchRnn(
            TorchRnnWeights.of(TorchStateDicts.random(new Random(5), 3, 4, 2, false, true), Activation.TANH),
            KernelsUnderTest.reference());
    /** One bidirectional layer, I = 3, H = 4. */
    private final TorchRnn bidirectional = new TorchRnn(
            TorchRnnWeights.of(TorchStateDicts.random(new Random(6), 3, 4, 1, true, true), Activation.RELU),
            KernelsUnderTest.reference());
    private final Random random = new Random(11);

    private Tensor random(int... shape) {
        int size = 1;
        for (int d : shape) {
            size *= d;
        }
        return Tensor.of(RandomData.uniform(random, size, 1), shape);
    }

    @Test
    void nonlinearityNames() {
        assertEquals(Activation.TANH, TorchRnn.nonlinearity("tanh"));
        assertEquals(Activation.RELU, TorchRnn.nonlinearity(" ReLU "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TorchRnn.nonlinearity("sigmoid"));
        assertEquals("nonlinearity must be tanh or relu (nn.RNN's), got 'sigmoid'", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TorchRnn.nonlinearity(null));
        assertThrows(IllegalArgumentException.class, () -> TorchRnn.nonlinearity("identity"));
        assertThrows(IllegalArgumentException.class,
                () -> TorchRnnWeights.of(stacked.weights().tensors(), Activation.IDENTITY));
        assertEquals(Activation.RELU, bidirectional.model().config().activation(), "the weights' nonlinearity");
    }

    @Test
    void outputsHaveTorchsShapes() {
        TorchRnnOutput out = bidirectional.forward(random(5, 2, 3), null);
        assertArrayEquals(new int[] {5, 2, 8}, out.output().shape());
        assertArrayEquals(new int[] {2, 2, 4}, out.finalState().shape());
        TorchRnnGradients g = stacked.gradient(random(5, 2, 3), random(2, 2, 4), random(5, 2, 4));
        assertArrayEquals(new int[] {5, 2, 3}, g.input().shape());
        assertArrayEquals(new int[] {2, 2, 4}, g.initialState().shape());
        assertEquals(8, g.weights().size());
        assertArrayEquals(new int[] {4, 4}, g.weights().get("weight_ih_l1").shape());
        Map<String, Tensor> all = g.tensors();
        assertEquals(10, all.size());
        assertEquals(g.input(), all.get("input"));
        assertEquals(g.initialState(), all.get("h0"));
    }

    @Test
    void absentInitialStateIsZeros() {
        Tensor x = random(4, 3, 3);
        Tensor zeros = Tensor.zeros(2, 3, 4);
        assertArrayEquals(stacked.forward(x, zeros).output().toFloatArray(), stacked.forward(x, null).output().toFloatArray());
        Tensor gy = random(4, 3, 4);
        assertArrayEquals(stacked.gradient(x, zeros, gy).initialState().toFloatArray(),
                stacked.gradient(x, null, gy).initialState().toFloatArray());
    }

    /** torch treats a 2-D input as one unbatched sequence: the same numbers as a batch of one, without the batch axis. */
    @Test
    void unbatchedInputIsABatchOfOne() {
        Tensor x = random(6, 3);
        Tensor h0 = random(2, 4);
        Tensor gy = random(6, 8);
        Tensor xBatched = Tensor.of(x.toFloatArray(), 6, 1, 3);
        Tensor h0Batched = Tensor.of(h0.toFloatArray(), 2, 1, 4);
        Tensor gyBatched = Tensor.of(gy.toFloatArray(), 6, 1, 8);

        TorchRnnOutput out = bidirectional.forward(x, h0);
        TorchRnnOutput batched = bidirectional.forward(xBatched, h0Batched);
        assertArrayEquals(new int[] {6, 8}, out.output().shape());
        assertArrayEquals(new int[] {2, 4}, out.finalState().shape());
        assertArrayEquals(batched.output().toFloatArray(), out.output().toFloatArray());
        assertArrayEquals(batched.finalState().toFloatArray(), out.finalState().toFloatArray());

        TorchRnnGradients g = bidirectional.gradient(x, h0, gy);
        TorchRnnGradients gBatched = bidirectional.gradient(xBatched, h0Batched, gyBatched);
        assertArrayEquals(new int[] {6, 3}, g.input().shape());
        assertArrayEquals(new int[] {2, 4}, g.initialState().shape());
        assertArrayEquals(gBatched.input().toFloatArray(), g.input().toFloatArray());
        assertArrayEquals(gBatched.initialState().toFloatArray(), g.initialState().toFloatArray());
        for (String key : g.weights().keySet()) {
            assertArrayEquals(gBatched.weights().get(key).toFloatArray(), g.weights().get(key).toFloatArray(), key);
        }
    }

    @Test
    void aWindowCoveringTheSequenceIsFullBptt() {
        Tensor x = random(5, 2, 3);
        Tensor gy = random(5, 2, 4);
        TorchRnnGradients full = stacked.gradient(x, null, gy);
        TorchRnnGradients windowed = stacked.gradient(x, null, gy, 5);
        for (String key : full.tensors().keySet()) {
            assertArrayEquals(full.tensors().get(key).toFloatArray(), windowed.tensors().get(key).toFloatArray(), key);
        }
        TorchRnnGradients chunked = stacked.gradient(x, null, gy, 2);
        assertFalse(Arrays.equals(full.weights().get("weight_hh_l0").toFloatArray(),
                chunked.weights().get("weight_hh_l0").toFloatArray()), "detaching between chunks changes dWh");
    }

    @Test
    void bidirectionalNetworksHaveNoTruncatedGradient() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> bidirectional.gradient(random(5, 2, 3), null, random(5, 2, 8), 2));
        assertTrue(e.getMessage().contains("reverse direction needs the whole sequence"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> stacked.gradient(random(5, 2, 3), null, random(5, 2, 4), 0));
    }

    @Test
    void inputsOfTheWrongShapeAreRejectedWithBothShapes() {
        assertMessage("input has shape [5, 2, 3, 1]; expected [T, B, 3] (steps, batch, input size; time-major) or [T, 3]"
                + " for one sequence", () -> stacked.forward(random(5, 2, 3, 1), null));
        assertMessage("input has shape [15]; expected [T, B, 3] (steps, batch, input size; time-major) or [T, 3]"
                + " for one sequence", () -> stacked.forward(random(15), null));
        assertMessage("input has shape [5, 2, 4]; expected [T, B, 3]: the weights' input size is 3 (weight_ih_l0 is [4, 3])",
                () -> stacked.forward(random(5, 2, 4), null));
        assertMessage("input has shape [5, 4]; expected [T, 3]: the weights' input size is 3 (weight_ih_l0 is [4, 3])",
                () -> stacked.forward(random(5, 4), null));
        assertMessage("input has shape [0, 2, 3]; expected at least one step and one sequence",
                () -> stacked.forward(Tensor.zeros(0, 2, 3), null));
        assertMessage("input has shape [3, 0, 3]; expected at least one step and one sequence",
                () -> stacked.forward(Tensor.zeros(3, 0, 3), null));
        assertMessage("input must not be null", () -> stacked.forward(null, null));
    }

    @Test
    void initialStatesOfTheWrongShapeAreRejectedWithBothShapes() {
        assertMessage("h0 has shape [1, 2, 4]; expected [2, 2, 4] = [layers·directions, batch, hidden] (2 layers × 1"
                + " direction and H = 4 from the weights, batch 2 from the input)",
                () -> stacked.forward(random(5, 2, 3), random(1, 2, 4)));
        assertMessage("h0 has shape [2, 2, 4]; expected [2, 3, 4] = [layers·directions, batch, hidden] (1 layer × 2"
                + " directions and H = 4 from the weights, batch 3 from the input)",
                () -> bidirectional.forward(random(5, 3, 3), random(2, 2, 4)));
        assertMessage("h0 has shape [2, 1, 4]; expected [2, 4] = [layers·directions, hidden] for an unbatched input"
                + " (1 layer × 2 directions and H = 4 from the weights)",
                () -> bidirectional.forward(random(5, 3), random(2, 1, 4)));
    }

    @Test
    void outputGradientsOfTheWrongShapeAreRejectedWithBothShapes() {
        assertMessage("outputGradient has shape [5, 2, 4]; expected [5, 2, 8], the output's shape"
                + " [steps, batch, directions·hidden]", () -> bidirectional.gradient(random(5, 2, 3), null, random(5, 2, 4)));
        assertMessage("outputGradient has shape [4, 8]; expected [5, 8], the output's shape [steps, directions·hidden]",
                () -> bidirectional.gradient(random(5, 3), null, random(4, 8)));
        assertMessage("outputGradient must not be null", () -> stacked.gradient(random(5, 2, 3), null, null));
    }

    @Test
    void nonFiniteValuesAreRejectedWithTheirPosition() {
        float[] x = new float[5 * 2 * 3];
        x[(3 * 2 + 1) * 3 + 2] = Float.NaN;
        assertMessage("input element [3, 1, 2] is NaN; inputs must be finite",
                () -> stacked.forward(Tensor.of(x, 5, 2, 3), null));
        float[] h0 = new float[2 * 2 * 4];
        h0[h0.length - 1] = Float.POSITIVE_INFINITY;
        assertMessage("h0 element [1, 1, 3] is Infinity; initial states must be finite",
                () -> stacked.forward(random(5, 2, 3), Tensor.of(h0, 2, 2, 4)));
        float[] gy = new float[5 * 2 * 4];
        gy[4] = Float.NaN;
        assertMessage("outputGradient element [0, 1, 0] is NaN; output gradients must be finite",
                () -> stacked.gradient(random(5, 2, 3), null, Tensor.of(gy, 5, 2, 4)));
    }

    @Test
    void checksUseTheCallersNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> stacked.shapes().checkInput(random(5, 2, 4), "data/X.npy"));
        assertTrue(e.getMessage().startsWith("data/X.npy has shape [5, 2, 4]; "), e.getMessage());
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertEquals(expected, e.getMessage());
    }
}
