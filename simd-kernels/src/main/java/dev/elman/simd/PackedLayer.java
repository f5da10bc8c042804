package dev.elman.simd;

import dev.elman.kernels.Activation;
import dev.elman.kernels.RecurrentWeights;
import dev.elman.kernels.WeightPrecision;

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
 * arrays are allocated here once; {@link #load} only copies. A layer of a reduced
 * {@link WeightPrecision} is for inference and holds only the two forward forms, as
 * {@link NarrowPanels}: a half (bf16) or a quarter (int8) of one f32 form's bytes.
 */
final class PackedLayer extends RecurrentWeights {
    final float[] wxTransposed;
    final float[] whTransposed;
    final float[] wh;
    final float[] wx;
    /**
     * For a reduced precision, {@code Wxᵀ} and {@code Whᵀ} in it, and the four float forms above
     * are empty (a layer for inference has no backward pass); null for f32.
     */
    final NarrowPanels wxNarrow;
    final NarrowPanels whNarrow;
    /** The bias padded to whole vectors (zeros when the layer has none, and never read then). */
    final float[] bias;
    /** φ and the clip, as the passes apply them. */
    final VectorActivation phi;

    PackedLayer(VectorKernels kernels, int inputSize, int hiddenSize, Activation activation, float clip, boolean bias,
                WeightPrecision precision) {
        super(kernels, inputSize, hiddenSize, activation, clip, bias, precision);
        phi = new VectorActivation(activation, clip(), clippedLow(), clippedHigh());
        boolean narrow = precision != WeightPrecision.F32;
        wxTransposed = new float[narrow ? 0 : Panels.size(inputSize, hiddenSize)];
        whTransposed = new float[narrow ? 0 : Panels.size(hiddenSize, hiddenSize)];
        wh = new float[narrow ? 0 : Panels.size(hiddenSize, hiddenSize)];
        wx = new float[narrow ? 0 : Panels.size(hiddenSize, inputSize)];
        wxNarrow = narrow ? NarrowPanels.of(precision, inputSize, hiddenSize) : null;
        whNarrow = narrow ? NarrowPanels.of(precision, hiddenSize, hiddenSize) : null;
        this.bias = new float[Panels.size(1, hiddenSize)];
    }

    /** @return whether the forward weights are {@link NarrowPanels} (a reduced precision) */
    boolean narrow() {
        return wxNarrow != null;
    }

    @Override
    protected void pack(float[] wx, float[] wh, float[] b) {
        int inputSize = inputSize();
        int hiddenSize = hiddenSize();
        if (narrow()) {
            wxNarrow.pack(wx);
            whNarrow.pack(wh);
        } else {
            Panels.pack(wx, inputSize, hiddenSize, true, wxTransposed);
            Panels.pack(wh, hiddenSize, hiddenSize, true, whTransposed);
            Panels.pack(wh, hiddenSize, hiddenSize, false, this.wh);
            Panels.pack(wx, hiddenSize, inputSize, false, this.wx);
        }
        if (b != null) {
            Panels.padded(b, bias);
        }
    }
}
