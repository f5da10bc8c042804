package dev.elman.kernels;

import java.util.Arrays;

/**
 * Accumulators for the parameter gradients of one recurrent layer in one direction:
 * {@code dWx [H×I]}, {@code dWh [H×H]} and {@code db [H]} (absent without a bias), row-major like
 * the parameters themselves. Backward passes add into them; {@link #zero()} starts a new sum.
 */
public final class RecurrentGradients {
    private final int inputSize;
    private final int hiddenSize;
    private final float[] dWx;
    private final float[] dWh;
    private final float[] db;

    /**
     * Allocates zeroed accumulators.
     *
     * @param inputSize I
     * @param hiddenSize H
     * @param bias whether the layer has a bias (and so a {@code db})
     */
    public RecurrentGradients(int inputSize, int hiddenSize, boolean bias) {
        this.inputSize = Checks.positive("inputSize", inputSize);
        this.hiddenSize = Checks.positive("hiddenSize", hiddenSize);
        this.dWx = new float[Checks.arraySize("hiddenSize × inputSize", (long) hiddenSize * inputSize)];
        this.dWh = new float[Checks.arraySize("hiddenSize × hiddenSize", (long) hiddenSize * hiddenSize)];
        this.db = bias ? new float[hiddenSize] : null;
    }

    /**
     * Accumulators shaped for a layer.
     *
     * @param weights the layer
     * @return zeroed accumulators of its shape
     */
    public static RecurrentGradients of(RecurrentWeights weights) {
        return new RecurrentGradients(weights.inputSize(), weights.hiddenSize(), weights.hasBias());
    }

    /** Sets every accumulator to zero. */
    public void zero() {
        Arrays.fill(dWx, 0f);
        Arrays.fill(dWh, 0f);
        if (db != null) {
            Arrays.fill(db, 0f);
        }
    }

    /** @return the live {@code dL/dWx} array, {@code [H×I]} */
    public float[] dWx() {
        return dWx;
    }

    /** @return the live {@code dL/dWh} array, {@code [H×H]} */
    public float[] dWh() {
        return dWh;
    }

    /** @return the live {@code dL/db} array, {@code [H]}, or null when the layer has no bias */
    public float[] db() {
        return db;
    }

    /** @return I */
    public int inputSize() {
        return inputSize;
    }

    /** @return H */
    public int hiddenSize() {
        return hiddenSize;
    }

    /** @return whether there is a {@code db} */
    public boolean hasBias() {
        return db != null;
    }
}
