package dev.elman.simd;

import dev.elman.kernels.Activation;
import dev.elman.kernels.RecurrentWeights;

/**
 * A recurrent layer's parameters in the four packed forms the passes multiply with, so that every
 * product reads its weights as whole vectors in one sequential stream (see {@link Panels}):
 * <ul>
 *   <li>{@code WxT} ({@code I × H}, {@code k = j}): the input projection {@code X·Wxᵀ};</li>
 *   <li>{@code WhT} ({@code H × H}, {@code k = h index}): the forward step {@code h_{t−1}·Whᵀ};</li>
 *   <li>{@code Wh} ({@code H × H}, {@code k = unit}): the backward step {@code dz·Wh};</li>
 *   <li>{@code Wx} ({@code H × I}, {@code k = unit}): the input gradient {@code dZ·Wx}.</li>
 * </ul>
 * Twice the memory of the plain parameters, bought so that no pass transposes anything. The
 * arrays are allocated here once; {@link #load} only copies.
 */
final class PackedLayer extends RecurrentWeights {
    final float[] wxTransposed;
    final float[] whTransposed;
    final float[] wh;
    final float[] wx;
    /** The bias padded to whole vectors (zeros when the layer has none, and never read then). */
    final float[] bias;
    /** φ and the clip, as the passes apply them. */
    final VectorActivation phi;

    PackedLayer(VectorKernels kernels, int inputSize, int hiddenSize, Activation activation, float clip, boolean bias) {
        super(kernels, inputSize, hiddenSize, activation, clip, bias);
        phi = new VectorActivation(activation, clip(), clippedLow(), clippedHigh());
        wxTransposed = new float[Panels.size(inputSize, hiddenSize)];
        whTransposed = new float[Panels.size(hiddenSize, hiddenSize)];
        wh = new float[Panels.size(hiddenSize, hiddenSize)];
        wx = new float[Panels.size(hiddenSize, inputSize)];
        this.bias = new float[Panels.size(1, hiddenSize)];
    }

    @Override
    protected void pack(float[] wx, float[] wh, float[] b) {
        int inputSize = inputSize();
        int hiddenSize = hiddenSize();
        Panels.pack(wx, inputSize, hiddenSize, true, wxTransposed);
        Panels.pack(wh, hiddenSize, hiddenSize, true, whTransposed);
        Panels.pack(wh, hiddenSize, hiddenSize, false, this.wh);
        Panels.pack(wx, hiddenSize, inputSize, false, this.wx);
        if (b != null) {
            Panels.padded(b, bias);
        }
    }
}
