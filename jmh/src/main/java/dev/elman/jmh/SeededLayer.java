package dev.elman.jmh;

import java.util.Random;

/**
 * The values of the kernel benchmarks' layer: one tanh layer with bias and {@code I = H},
 * PyTorch-initialised, and its inputs, all drawn from seed {@value #SEED} in one fixed order
 * ({@code Wx}, {@code Wh}, {@code b}, then the inputs), so that every benchmark of the same sizes
 * — Elman's at the kernel interface ({@link RecurrentLayerState}) and ONNX Runtime's on the exported
 * model ({@link OrtKernelBenchmark}) — computes with the very same numbers.
 *
 * @param inputWeights {@code Wx [H×I]}, uniform in {@code ±1/√H}
 * @param recurrentWeights {@code Wh [H×H]}, uniform in {@code ±1/√H}
 * @param bias {@code b [H]}, uniform in {@code ±1/√H}
 * @param inputs {@code x [steps][B][I]}, uniform in ±1
 */
public record SeededLayer(float[] inputWeights, float[] recurrentWeights, float[] bias, float[] inputs) {
    /** The seed of every draw. */
    public static final long SEED = 42;

    /**
     * Draws the layer and its inputs.
     *
     * @param hidden H, and I = H
     * @param batch B
     * @param steps the steps the inputs cover
     * @return the values
     * @throws IllegalArgumentException when a size is below 1
     */
    public static SeededLayer draw(int hidden, int batch, int steps) {
        if (hidden < 1 || batch < 1 || steps < 1) {
            throw new IllegalArgumentException("hidden, batch and steps must be at least 1, got H = " + hidden + ", B = "
                    + batch + ", steps = " + steps);
        }
        int inputSize = hidden;
        Random random = new Random(SEED);
        // PyTorch's default initialisation, U(−1/√H, 1/√H), as in the peers' runs.
        double scale = 1.0 / Math.sqrt(hidden);
        float[] wx = UniformFloats.draw(random, hidden * inputSize, scale);
        float[] wh = UniformFloats.draw(random, hidden * hidden, scale);
        float[] b = UniformFloats.draw(random, hidden, scale);
        float[] x = UniformFloats.draw(random, steps * batch * inputSize, 1.0);
        return new SeededLayer(wx, wh, b, x);
    }
}
