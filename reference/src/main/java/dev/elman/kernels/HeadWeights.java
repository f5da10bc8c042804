package dev.elman.kernels;

import java.util.Objects;

/**
 * The parameters of the output head {@code y = Wy·h + by}: {@code Wy [O×F]} and, when the head has
 * one, {@code by [O]}, where F is the width of the rows the head reads (H, or 2H for a
 * bidirectional layer with concatenated directions).
 *
 * <p>Same life cycle as {@link RecurrentWeights}: made by one kernels implementation, filled by
 * {@link #load}, read-only (and shareable between threads) during passes.
 */
public abstract class HeadWeights {
    private final RecurrentKernels kernels;
    private final int inputSize;
    private final int outputSize;
    private final boolean bias;
    private boolean loaded;

    /**
     * Describes the head; the values arrive with {@link #load}.
     *
     * @param kernels the implementation that owns this instance
     * @param inputSize F, at least 1
     * @param outputSize O, at least 1
     * @param bias whether the head has {@code by}
     * @throws IllegalArgumentException when a size is below 1
     */
    protected HeadWeights(RecurrentKernels kernels, int inputSize, int outputSize, boolean bias) {
        this.kernels = Objects.requireNonNull(kernels, "kernels");
        this.inputSize = Checks.positive("inputSize", inputSize);
        this.outputSize = Checks.positive("outputSize", outputSize);
        this.bias = bias;
    }

    /**
     * Copies the head's parameters in.
     *
     * @param w {@code Wy}, row-major {@code [O×F]}: {@code w[o·F + f]} weighs feature {@code f} into output {@code o}
     * @param b {@code by [O]}, or null exactly when the head has no bias
     * @throws IllegalArgumentException naming the array whose length is not the expected one
     */
    public final void load(float[] w, float[] b) {
        Checks.exactLength("w", w, (long) outputSize * inputSize, "outputSize × inputSize");
        if (bias) {
            if (b == null) {
                throw new IllegalArgumentException("b: this head has a bias, so b must be given (length " + outputSize + ")");
            }
            Checks.exactLength("b", b, outputSize, "outputSize");
        } else if (b != null) {
            throw new IllegalArgumentException("b: this head has no bias, so b must be null (got length " + b.length + ")");
        }
        pack(w, b);
        loaded = true;
    }

    /**
     * Copies validated parameters into the implementation's own form.
     *
     * @param w {@code [O×F]}, validated
     * @param b {@code [O]}, or null when the head has no bias
     */
    protected abstract void pack(float[] w, float[] b);

    /** @return the kernels that own this instance */
    public final RecurrentKernels kernels() {
        return kernels;
    }

    /** @return F, the width of an input row */
    public final int inputSize() {
        return inputSize;
    }

    /** @return O, the width of an output row */
    public final int outputSize() {
        return outputSize;
    }

    /** @return whether the head has a bias */
    public final boolean hasBias() {
        return bias;
    }

    /** @return whether {@link #load} has been called */
    public final boolean isLoaded() {
        return loaded;
    }
}
