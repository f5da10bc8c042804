package dev.elman.kernels;

import java.util.Objects;

/**
 * The parameters of one recurrent layer in one direction, in whatever form its kernels compute
 * with: {@code Wx [H×I]}, {@code Wh [H×H]} and, when the layer has one, the bias {@code b [H]}.
 *
 * <p>Instances come from {@link RecurrentKernels#newRecurrentWeights} and only work with the
 * kernels that made them. {@link #load} copies the caller's row-major arrays in (an implementation
 * may transpose or panel-pack them then, which is why loading is a separate, explicit step done once
 * per parameter update and never per pass). Later changes to the caller's arrays are not seen
 * until the next {@code load}.
 *
 * <p>Passes only read an instance, so many threads may run passes with one instance at once;
 * {@code load} must not run concurrently with a pass that uses the same instance.
 */
public abstract class RecurrentWeights {
    private final RecurrentKernels kernels;
    private final int inputSize;
    private final int hiddenSize;
    private final Activation activation;
    private final float clip;
    private final float clippedLow;
    private final float clippedHigh;
    private final boolean bias;
    private final WeightPrecision precision;
    private boolean loaded;

    /**
     * Describes a layer without clipping; the values arrive with {@link #load}.
     *
     * @param kernels the implementation that owns this instance
     * @param inputSize I, at least 1
     * @param hiddenSize H, at least 1
     * @param activation φ
     * @param bias whether the layer has {@code b}
     * @throws IllegalArgumentException when a size is below 1 or an argument is null
     */
    protected RecurrentWeights(RecurrentKernels kernels, int inputSize, int hiddenSize,
                               Activation activation, boolean bias) {
        this(kernels, inputSize, hiddenSize, activation, 0f, bias);
    }

    /**
     * Describes the layer; the values arrive with {@link #load}.
     *
     * @param kernels the implementation that owns this instance
     * @param inputSize I, at least 1
     * @param hiddenSize H, at least 1
     * @param activation φ
     * @param clip the bound of the pre-activation, {@code z ← min(max(z, −clip), clip)} before φ;
     *     0 for none, else positive and finite
     * @param bias whether the layer has {@code b}
     * @throws IllegalArgumentException when a size is below 1, an argument is null or the clip is
     *     negative, NaN or infinite
     */
    protected RecurrentWeights(RecurrentKernels kernels, int inputSize, int hiddenSize,
                               Activation activation, float clip, boolean bias) {
        this(kernels, inputSize, hiddenSize, activation, clip, bias, WeightPrecision.F32);
    }

    /**
     * Describes the layer and the precision its weights are stored in; the values arrive with
     * {@link #load}.
     *
     * @param kernels the implementation that owns this instance
     * @param inputSize I, at least 1
     * @param hiddenSize H, at least 1
     * @param activation φ
     * @param clip the bound of the pre-activation (see the other constructor)
     * @param bias whether the layer has {@code b}
     * @param precision how {@code Wx} and {@code Wh} are stored
     * @throws IllegalArgumentException when a size is below 1, an argument is null or the clip is
     *     negative, NaN or infinite
     */
    protected RecurrentWeights(RecurrentKernels kernels, int inputSize, int hiddenSize,
                               Activation activation, float clip, boolean bias, WeightPrecision precision) {
        if (precision == null) {
            throw new IllegalArgumentException("precision must not be null");
        }
        this.precision = precision;
        this.kernels = Objects.requireNonNull(kernels, "kernels");
        this.inputSize = Checks.positive("inputSize", inputSize);
        this.hiddenSize = Checks.positive("hiddenSize", hiddenSize);
        if (activation == null) {
            throw new IllegalArgumentException("activation must not be null");
        }
        this.activation = activation;
        this.clip = checkClip(clip);
        // What a clipped step writes, fixed by the contract for every implementation (see
        // RecurrentKernels, "Clipping"); NaN without clipping, which no output ever equals.
        this.clippedLow = clip == 0f ? Float.NaN : (float) activation.apply(-clip);
        this.clippedHigh = clip == 0f ? Float.NaN : (float) activation.apply(clip);
        this.bias = bias;
    }

    /**
     * Checks a clip bound.
     *
     * @param clip the bound
     * @return {@code clip} (with −0 as 0)
     * @throws IllegalArgumentException unless it is 0 or positive and finite
     */
    public static float checkClip(float clip) {
        if (!(clip >= 0f) || clip == Float.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("clip must be 0 (none) or positive and finite, got " + clip);
        }
        return clip + 0f;
    }

    /**
     * Copies the layer's parameters in.
     *
     * @param wx {@code Wx}, row-major {@code [H×I]}: {@code wx[i·I + j]} weighs input {@code j} into unit {@code i}
     * @param wh {@code Wh}, row-major {@code [H×H]}: {@code wh[i·H + k]} weighs {@code h_{t−1}[k]} into unit {@code i}
     * @param b {@code b [H]}, or null exactly when the layer has no bias
     * @throws IllegalArgumentException naming the array whose length is not the expected one, or
     *     a bias given to a layer without one (or missing from a layer with one), or for a reduced
     *     {@linkplain #precision() precision} the first weight it cannot store
     */
    public final void load(float[] wx, float[] wh, float[] b) {
        Checks.exactLength("wx", wx, (long) hiddenSize * inputSize, "hiddenSize × inputSize");
        Checks.exactLength("wh", wh, (long) hiddenSize * hiddenSize, "hiddenSize × hiddenSize");
        if (bias) {
            if (b == null) {
                throw new IllegalArgumentException("b: this layer has a bias, so b must be given (length " + hiddenSize + ")");
            }
            Checks.exactLength("b", b, hiddenSize, "hiddenSize");
        } else if (b != null) {
            throw new IllegalArgumentException("b: this layer has no bias, so b must be null (got length " + b.length + ")");
        }
        if (precision != WeightPrecision.F32) {
            precision.checkRepresentable("wx", wx);
            precision.checkRepresentable("wh", wh);
        }
        pack(wx, wh, b);
        loaded = true;
    }

    /**
     * Copies validated parameters into the implementation's own form; a layer of a reduced
     * {@linkplain #precision() precision} stores {@code wx} and {@code wh} as
     * {@link WeightPrecision#round} gives them (the bias stays float32).
     *
     * @param wx {@code [H×I]}, validated
     * @param wh {@code [H×H]}, validated
     * @param b {@code [H]}, or null when the layer has no bias
     */
    protected abstract void pack(float[] wx, float[] wh, float[] b);

    /** @return the kernels that own this instance */
    public final RecurrentKernels kernels() {
        return kernels;
    }

    /** @return I, the number of input features */
    public final int inputSize() {
        return inputSize;
    }

    /** @return H, the number of hidden units */
    public final int hiddenSize() {
        return hiddenSize;
    }

    /** @return φ */
    public final Activation activation() {
        return activation;
    }

    /** @return the bound of the pre-activation, or 0 when the layer does not clip */
    public final float clip() {
        return clip;
    }

    /**
     * The output of a step whose pre-activation was clipped at {@code −clip}:
     * {@code (float) activation().apply(−clip)}, φ in double rounded once, whatever the
     * implementation. A backward pass takes every output equal to it as clipped, with derivative 0.
     *
     * @return that output, or NaN when the layer does not clip
     */
    public final float clippedLow() {
        return clippedLow;
    }

    /**
     * The output of a step whose pre-activation was clipped at {@code +clip}:
     * {@code (float) activation().apply(clip)} (see {@link #clippedLow()}).
     *
     * @return that output, or NaN when the layer does not clip
     */
    public final float clippedHigh() {
        return clippedHigh;
    }

    /**
     * @return how {@code Wx} and {@code Wh} are stored: {@link WeightPrecision#F32}, or a reduced
     *     precision for inference only
     */
    public final WeightPrecision precision() {
        return precision;
    }

    /** @return whether the layer has a bias */
    public final boolean hasBias() {
        return bias;
    }

    /** @return whether {@link #load} has been called */
    public final boolean isLoaded() {
        return loaded;
    }
}
