package dev.elman.simd;

import dev.elman.kernels.HeadWeights;

/**
 * The output head's parameters packed for its two products: {@code WyT} ({@code F × O}) for
 * {@code y = h·Wyᵀ + by} and {@code Wy} ({@code O × F}) for {@code dh = dy·Wy}. Allocated once,
 * filled by {@link #load}.
 */
final class PackedHead extends HeadWeights {
    final float[] wyTransposed;
    final float[] wy;
    /** {@code by} padded to whole vectors (zeros without a bias). */
    final float[] bias;

    PackedHead(VectorKernels kernels, int inputSize, int outputSize, boolean bias) {
        super(kernels, inputSize, outputSize, bias);
        wyTransposed = new float[Panels.size(inputSize, outputSize)];
        wy = new float[Panels.size(outputSize, inputSize)];
        this.bias = new float[Panels.size(1, outputSize)];
    }

    @Override
    protected void pack(float[] w, float[] b) {
        Panels.pack(w, inputSize(), outputSize(), true, wyTransposed);
        Panels.pack(w, outputSize(), inputSize(), false, wy);
        if (b != null) {
            Panels.padded(b, bias);
        }
    }
}
