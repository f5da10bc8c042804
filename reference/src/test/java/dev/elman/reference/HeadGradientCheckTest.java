package dev.elman.reference;

import dev.elman.kernels.HeadGradients;
import dev.elman.kernels.HeadWeights;
import dev.elman.testing.Trials;
import dev.elman.testing.Uniform;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Random;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Central finite differences, in double, against the head's backward pass: dWy, dby and dh, with
 * {@code L = Σ_r G_r·y_r}. The head is affine, so the difference has no truncation error; what is
 * left is double rounding (~1e-11 here) and the single float rounding of each analytic gradient
 * (relative 6e-8). The tolerance {@code 1e-6·max(1, max|gradient|)} covers both with a wide
 * margin and still catches any misplaced term.
 */
class HeadGradientCheckTest {
    private static final double STEP = 1e-4;
    private static final double TOLERANCE = 1e-6;

    private final ReferenceKernels kernels = new ReferenceKernels();

    static LongStream seeds() {
        return Trials.seeds("head", 500);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void headGradientsMatchFiniteDifferences(long seed) {
        Random random = new Random(seed);
        int rows = 1 + random.nextInt(12);
        int inputSize = 1 + random.nextInt(9);
        int outputSize = 1 + random.nextInt(9);
        boolean bias = random.nextBoolean();
        int offset = random.nextInt(6);
        float[] w = Uniform.floats(random, outputSize * inputSize, 1.0);
        float[] b = bias ? Uniform.floats(random, outputSize, 1.0) : null;
        float[] h = Uniform.floats(random, offset + rows * inputSize, 1.0);
        float[] g = Uniform.floats(random, offset + rows * outputSize, 1.0);

        HeadWeights head = kernels.newHeadWeights(inputSize, outputSize, bias);
        head.load(w, b);
        HeadGradients gradients = HeadGradients.of(head);
        float[] dh = new float[offset + rows * inputSize];
        kernels.headBackward(head, rows, h, offset, g, offset, gradients, dh, offset);

        double[] w64 = widen(w);
        double[] b64 = bias ? widen(b) : null;
        double[] h64 = widen(h);
        String shape = "rows=" + rows + " F=" + inputSize + " O=" + outputSize + " bias=" + bias;
        compare(shape, "dWy", w64, 0, gradients.dW(), 0, w64.length,
                () -> loss(w64, b64, h64, g, rows, inputSize, outputSize, offset));
        if (bias) {
            compare(shape, "dby", b64, 0, gradients.db(), 0, b64.length,
                    () -> loss(w64, b64, h64, g, rows, inputSize, outputSize, offset));
        }
        compare(shape, "dh", h64, offset, dh, offset, rows * inputSize,
                () -> loss(w64, b64, h64, g, rows, inputSize, outputSize, offset));
        for (int i = 0; i < offset; i++) {
            assertEquals(0f, dh[i], "dh before its offset must stay untouched");
        }
    }

    private static double loss(double[] w, double[] b, double[] h, float[] g, int rows, int inputSize,
                               int outputSize, int offset) {
        double loss = 0;
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < outputSize; o++) {
                double y = b == null ? 0 : b[o];
                for (int f = 0; f < inputSize; f++) {
                    y += w[o * inputSize + f] * h[offset + r * inputSize + f];
                }
                loss += g[offset + r * outputSize + o] * y;
            }
        }
        return loss;
    }

    private static void compare(String shape, String name, double[] parameter, int parameterOffset, float[] analytic,
                                int analyticOffset, int count, java.util.function.DoubleSupplier loss) {
        double scale = 1.0;
        for (int i = 0; i < count; i++) {
            scale = Math.max(scale, Math.abs(analytic[analyticOffset + i]));
        }
        for (int i = 0; i < count; i++) {
            double saved = parameter[parameterOffset + i];
            parameter[parameterOffset + i] = saved + STEP;
            double plus = loss.getAsDouble();
            parameter[parameterOffset + i] = saved - STEP;
            double minus = loss.getAsDouble();
            parameter[parameterOffset + i] = saved;
            double difference = (plus - minus) / (2 * STEP);
            double error = Math.abs(difference - analytic[analyticOffset + i]);
            if (!(error <= TOLERANCE * scale)) {
                fail(shape + ": " + name + "[" + i + "] analytic " + analytic[analyticOffset + i]
                        + ", finite difference " + difference + ", |error| " + error);
            }
        }
    }

    private static double[] widen(float[] values) {
        double[] wide = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            wide[i] = values[i];
        }
        return wide;
    }
}
