package dev.elman.onnx;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * How the module's tests compare Elman with another implementation of the same network (ONNX
 * Runtime, torch): the engine's rule for kernels other than the reference
 * ({@code KernelsUnderTest.tolerance}), {@code |actual − expected| ≤ 1e-4·(1 + |expected|)}. Its
 * argument carries over: both sides round every step's state to float32 and use fast
 * activations (ONNX Runtime's MLAS tanh, Elman's vectorised tanh, both within about 1e-6), and the
 * cases draw weights of spectral scale at most about 1.2 over at most a dozen steps, so the two
 * drift apart by about 1e-5 at most; a wrong term moves results by 1e-2 or more.
 */
final class Agreement {
    static final double TOLERANCE = 1e-4;

    private Agreement() {
    }

    static void assertAgrees(int expectedCount, int actualCount) {
        if (expectedCount != actualCount) {
            fail(actualCount + " outputs, expected " + expectedCount);
        }
    }

    static void assertAgrees(GraphTensor expected, GraphTensor actual, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        assertAgrees(expected.floats(), actual.floats(), what + " " + Arrays.toString(expected.shape()));
    }

    static void assertAgrees(float[] expected, float[] actual, String what) {
        if (expected.length != actual.length) {
            fail(what + ": " + actual.length + " values, expected " + expected.length);
        }
        for (int i = 0; i < expected.length; i++) {
            double bound = TOLERANCE * (1 + Math.abs(expected[i]));
            if (!(Math.abs(expected[i] - actual[i]) <= bound)) {
                fail(what + ": element " + i + " is " + actual[i] + ", expected " + expected[i] + " (bound " + bound + ")");
            }
        }
    }
}
