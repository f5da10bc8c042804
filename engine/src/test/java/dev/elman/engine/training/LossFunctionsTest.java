package dev.elman.engine.training;

import dev.elman.testing.Trials;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-item loss formulas against their definitions, their gradients, and their refusals. */
class LossFunctionsTest {
    static LongStream crossEntropySeeds() {
        return Trials.seeds("cross-entropy of one row", 60);
    }

    static LongStream confidentSeeds() {
        return Trials.seeds("cross-entropy of a confident row far from zero", 60);
    }

    static LongStream squaredErrorSeeds() {
        return Trials.seeds("squared error of one row", 60);
    }

    /** Widths of 1, primes and sizes around vector-width multiples. */
    private static final int[] WIDTHS = {1, 2, 3, 7, 15, 16, 17, 31, 33, 63, 65};

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("crossEntropySeeds")
    void crossEntropyIsMinusTheLogOfTheSoftmaxAndItsGradientIsSoftmaxMinusOneHot(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int width = WIDTHS[random.nextInt(WIDTHS.length)];
        int offset = random.nextInt(5);
        float[] y = new float[offset + width + random.nextInt(5)];
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) (random.nextDouble(-6, 6));
        }
        int label = random.nextInt(width);
        double scale = random.nextDouble(0.01, 2);

        // The definition, computed directly: these logits are small enough that nothing overflows.
        double z = 0;
        for (int j = 0; j < width; j++) {
            z += Math.exp(y[offset + j]);
        }
        double expected = -Math.log(Math.exp(y[offset + label]) / z);
        double loss = LossFunctions.crossEntropy(y, offset, width, label);
        assertEquals(expected, loss, 1e-13 * Math.max(1, expected), "width " + width);

        float[] gradient = new float[y.length];
        Arrays.fill(gradient, 42f);
        double same = LossFunctions.crossEntropy(y, offset, width, label, scale, gradient);
        assertEquals(loss, same, 0, "the loss is the same arithmetic with or without the gradient");
        double total = 0;
        for (int i = 0; i < y.length; i++) {
            if (i < offset || i >= offset + width) {
                assertEquals(42f, gradient[i], 0f, "outside the row, index " + i);
                continue;
            }
            int j = i - offset;
            double want = scale * (Math.exp(y[i]) / z - (j == label ? 1 : 0));
            // One float rounding of a value of magnitude at most scale, after double arithmetic.
            assertEquals(want, gradient[i], 1e-7 * scale, "dL/dy_" + j);
            total += gradient[i];
        }
        // Softmax sums to 1, so the gradient sums to 0 up to the W float roundings.
        assertEquals(0, total, 1e-7 * scale * width);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("confidentSeeds")
    void crossEntropyKeepsTheSmallLossOfAConfidentItemWhateverTheLogitsOffset(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int width = 2 + random.nextInt(30);
        int label = random.nextInt(width);
        // Logits m − d_j with margins d_j of 25 to 40 below the label's m: the loss is
        // log(1 + Σ exp(−d_j)), between 1e-18 and 1e-9, computed exactly by log1p in double.
        float m = (float) (random.nextBoolean() ? 1 : -1) * (float) Math.pow(10, random.nextDouble(0, 4.5));
        float[] y = new float[width];
        double tail = 0;
        for (int j = 0; j < width; j++) {
            y[j] = j == label ? m : m - (float) random.nextDouble(25, 40);
            if (j != label) {
                tail += Math.exp((double) y[j] - m);
            }
        }
        double expected = Math.log1p(tail);
        double loss = LossFunctions.crossEntropy(y, 0, width, label);
        // The error is that of the sum near 1 (each of its W additions rounds by at most 2⁻⁵³) and
        // of its log, whatever m: at most (W + 1)·2⁻⁵³ < 4e-15. Adding m before subtracting y_label
        // would instead lose up to half an ulp of m (1e-12 at m = 3·10⁴), more than the loss itself.
        assertEquals(expected, loss, (width + 1) * 0x1p-53, "m = " + m + ", width " + width);
        assertTrue(loss >= 0);
    }

    @Test
    void crossEntropyOfHugeLogitsIsFiniteAndOfOneClassIsZero() {
        float[] y = {3e38f, -3e38f, 1e38f};
        assertEquals((double) 3e38f * 2, LossFunctions.crossEntropy(y, 0, 3, 1), 0, "the margin, without overflow");
        assertEquals(0, LossFunctions.crossEntropy(y, 0, 3, 0), 0);
        float[] gradient = new float[1];
        assertEquals(0, LossFunctions.crossEntropy(new float[] {7.5f}, 0, 1, 0, 1, gradient), 0);
        assertEquals(0f, gradient[0], 0f);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("squaredErrorSeeds")
    void squaredErrorIsTheMeanSquareOfTheRowAndItsGradientTwiceTheDifference(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int width = WIDTHS[random.nextInt(WIDTHS.length)];
        int offset = random.nextInt(4);
        int targetOffset = random.nextInt(4);
        float[] y = new float[offset + width];
        float[] targets = new float[targetOffset + width + random.nextInt(3)];
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) random.nextDouble(-3, 3);
        }
        for (int i = 0; i < targets.length; i++) {
            targets[i] = (float) random.nextDouble(-3, 3);
        }
        double scale = random.nextDouble(0.01, 2);
        double squares = 0;
        for (int j = 0; j < width; j++) {
            squares += ((double) y[offset + j] - targets[targetOffset + j]) * ((double) y[offset + j] - targets[targetOffset + j]);
        }
        double loss = LossFunctions.squaredError(y, offset, targets, targetOffset, width);
        // Differences of floats are exact in double: the same sum in the same order, to the bit.
        assertEquals(squares / width, loss, 0);
        float[] gradient = new float[y.length];
        assertEquals(loss, LossFunctions.squaredError(y, offset, targets, targetOffset, width, scale, gradient), 0);
        for (int j = 0; j < width; j++) {
            double want = scale * 2 * ((double) y[offset + j] - targets[targetOffset + j]) / width;
            assertEquals((float) want, gradient[offset + j], 0f, "dL/dy_" + j);
        }
    }

    @Test
    void badRowsAndLabelsAreNamed() {
        float[] y = new float[6];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LossFunctions.crossEntropy(y, 0, 6, 6));
        assertEquals("label 6 is not a class of 6 (expected 0 … 5)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LossFunctions.crossEntropy(y, 0, 6, TrainingBatch.IGNORE));
        assertEquals("label -1 is not a class of 6 (expected 0 … 5)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LossFunctions.crossEntropy(y, 2, 5, 0));
        assertEquals("a row of 5 at offset 2 does not fit y (length 6)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LossFunctions.crossEntropy(y, 0, 0, 0));
        assertEquals("the width must be at least 1, got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> LossFunctions.crossEntropy(y, 0, 6, 1, 1, new float[5]));
        assertEquals("a row of 6 at offset 0 does not fit gradient (length 5)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> LossFunctions.squaredError(y, 0, new float[4], 2, 3));
        assertEquals("a row of 3 at offset 2 does not fit targets (length 4)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LossFunctions.squaredError(y, -1, y, 0, 2));
        assertEquals("a row of 2 at offset -1 does not fit y (length 6)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LossFunctions.squaredError(y, 0, null, 0, 2));
        assertEquals("targets must not be null", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> LossFunctions.squaredError(y, 0, y, 0, 2, 1, null));
        assertEquals("gradient must not be null", e.getMessage());
    }
}
