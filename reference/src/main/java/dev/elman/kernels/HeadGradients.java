package dev.elman.kernels;

import java.util.Arrays;

/**
 * Accumulators for the output head's parameter gradients: {@code dWy [O×F]} and {@code dby [O]}
 * (absent without a bias). Backward passes add into them; {@link #zero()} starts a new sum.
 */
public final class HeadGradients {
    private final int inputSize;
    private final int outputSize;
    private final float[] dW;
    private final float[] db;

    /**
     * Allocates zeroed accumulators.
     *
     * @param inputSize F
     * @param outputSize O
     * @param bias whether the head has a bias
     */
    public HeadGradients(int inputSize, int outputSize, boolean bias) {
        this.inputSize = Checks.positive("inputSize", inputSize);
        this.outputSize = Checks.positive("outputSize", outputSize);
        this.dW = new float[Checks.arraySize("outputSize × inputSize", (long) outputSize * inputSize)];
        this.db = bias ? new float[outputSize] : null;
    }

    /**
     * Accumulators shaped for a head.
     *
     * @param weights the head
     * @return zeroed accumulators of its shape
     */
    public static HeadGradients of(HeadWeights weights) {
        return new HeadGradients(weights.inputSize(), weights.outputSize(), weights.hasBias());
    }

    /** Sets every accumulator to zero. */
    public void zero() {
        Arrays.fill(dW, 0f);
        if (db != null) {
            Arrays.fill(db, 0f);
        }
    }

    /** @return the live {@code dL/dWy} array, {@code [O×F]} */
    public float[] dW() {
        return dW;
    }

    /** @return the live {@code dL/dby} array, {@code [O]}, or null when the head has no bias */
    public float[] db() {
        return db;
    }

    /** @return F */
    public int inputSize() {
        return inputSize;
    }

    /** @return O */
    public int outputSize() {
        return outputSize;
    }

    /** @return whether there is a {@code db} */
    public boolean hasBias() {
        return db != null;
    }
}
