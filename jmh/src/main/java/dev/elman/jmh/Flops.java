package dev.elman.jmh;

/**
 * The FLOP convention every Elman benchmark and the peers kit ({@code ../shared/peers}) share, so
 * that GFLOP/s compare across systems: a forward step of one layer costs {@code 2·B·H·(I+H)}
 * (one multiply and one add per weight and sequence; bias, activation and the optimizer are not
 * counted), and a step of forward plus backward counts as {@value #FORWARD_BACKWARD_FACTOR} times
 * that (the backward pass is two products of the forward's size: {@code Whᵀ·dz} with
 * {@code Wxᵀ·dz}, and the weight gradients).
 */
public final class Flops {
    /** A forward-plus-backward step counts as this many forward steps. */
    public static final int FORWARD_BACKWARD_FACTOR = 3;

    private Flops() {
    }

    /**
     * The FLOP of one forward step.
     *
     * @param batch B, the sequences advanced together
     * @param inputSize I
     * @param hiddenSize H
     * @return {@code 2·B·H·(I+H)}
     * @throws IllegalArgumentException when a size is below 1
     */
    public static double forwardStep(int batch, int inputSize, int hiddenSize) {
        if (batch < 1 || inputSize < 1 || hiddenSize < 1) {
            throw new IllegalArgumentException("batch, inputSize and hiddenSize must be at least 1, got B = " + batch
                    + ", I = " + inputSize + ", H = " + hiddenSize);
        }
        return 2.0 * batch * hiddenSize * ((double) inputSize + hiddenSize);
    }

    /**
     * The rate of a measured time.
     *
     * @param flopPerStep the FLOP of one step
     * @param microsecondsPerStep the time one step took
     * @return GFLOP/s, i.e. {@code flopPerStep / (µs · 1000)}
     * @throws IllegalArgumentException when the time is not positive and finite
     */
    public static double gigaflopsPerSecond(double flopPerStep, double microsecondsPerStep) {
        if (!(microsecondsPerStep > 0) || Double.isInfinite(microsecondsPerStep)) {
            throw new IllegalArgumentException("microsecondsPerStep must be positive and finite, got " + microsecondsPerStep);
        }
        return flopPerStep / (microsecondsPerStep * 1e3);
    }
}
