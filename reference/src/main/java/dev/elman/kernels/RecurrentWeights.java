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
    private final boolean bias;
    private boolean loaded;

    /**
     * Describes the layer; the values arrive with {@link #load}.
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
        this.kernels = Objects.requireNonNull(kernels, "kernels");
        this.inputSize = Checks.positive("inputSize", inputSize);
        this.hiddenSize = Checks.positive("hiddenSize", hiddenSize);
        if (activation == null) {
            throw new IllegalArgumentException("activation must not be null");
        }
        this.activation = activation;
        this.bias = bias;
    }

    /**
     * Copies the layer's parameters in.
     *
     * @param wx {@code Wx}, row-major {@code [H×I]}: {@code wx[i·I + j]} weighs input {@code j} into unit {@code i}
     * @param wh {@code Wh}, row-major {@code [H×H]}: {@code wh[i·H + k]} weighs {@code h_{t−1}[k]} into unit {@code i}
     * @param b {@code b [H]}, or null exactly when the layer has no bias
     * @throws IllegalArgumentException naming the array whose length is not the expected one, or
     *     a bias given to a layer without one (or missing from a layer with one)
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
        pack(wx, wh, b);
        loaded = true;
    }

    /**
     * Copies validated parameters into the implementation's own form.
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

    /** @return whether the layer has a bias */
    public final boolean hasBias() {
        return bias;
    }

    /** @return whether {@link #load} has been called */
    public final boolean isLoaded() {
        return loaded;
    }
}
