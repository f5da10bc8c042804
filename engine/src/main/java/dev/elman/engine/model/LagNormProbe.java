package dev.elman.engine.model;

import dev.elman.kernels.RecurrentGradients;
import dev.elman.kernels.RecurrentKernels;
import dev.elman.kernels.RecurrentWeights;
import dev.elman.kernels.Workspace;

import java.util.Arrays;

/**
 * Measures ‖dL/dh‖ (Euclidean, over the batch) of each layer's forward-direction state at every
 * step of a window, as {@link StackRunner#lagGradientNorm} reports it: the total gradient reaching
 * that state, from above and from later steps.
 *
 * <p>The kernels only report {@code dL/dh0} of a whole span, so the probe runs a layer's backward
 * again one step per kernel call: chaining one-step spans through {@code dhLast} and {@code dh0} is
 * the same recurrence as the whole window, and the carry between them is the gradient from later
 * steps. The parameter gradients this produces go to scratch accumulators. Its buffers are
 * allocated at the first probe (and again when the batch size changes), since most passes never
 * probe.
 */
final class LagNormProbe {
    private final RecurrentKernels kernels;
    private final ModelConfig config;
    private final int capacity;

    private RecurrentGradients[] scratch;
    private double[][] norms;
    private float[] carry;
    private float[] carryNext;
    private float[] previous;
    private int[] stepLengths;
    private int batch;
    private int steps;
    private int probedLags;

    /**
     * @param capacity the most steps a window holds, so the most lags
     */
    LagNormProbe(RecurrentKernels kernels, ModelConfig config, int capacity) {
        this.kernels = kernels;
        this.config = config;
        this.capacity = capacity;
    }

    /** Forgets the last measurement (a new batch of sequences starts). */
    void clear() {
        probedLags = 0;
    }

    /** Starts a measurement of a window of {@code steps} steps of B sequences. */
    void begin(int batch, int steps) {
        int layers = config.layers();
        int hiddenSize = config.hiddenSize();
        if (scratch == null) {
            scratch = new RecurrentGradients[layers];
            norms = new double[layers][capacity];
            for (int l = 0; l < layers; l++) {
                scratch[l] = new RecurrentGradients(config.layerInputSize(l), hiddenSize, config.bias());
            }
        }
        if (stepLengths == null || stepLengths.length != batch) {
            int stateCount = batch * hiddenSize;
            carry = new float[stateCount];
            carryNext = new float[stateCount];
            previous = new float[stateCount];
            stepLengths = new int[batch];
        }
        this.batch = batch;
        this.steps = steps;
        this.probedLags = steps;
    }

    /**
     * Measures one layer's forward direction over the window given to {@link #begin}, with the
     * arrays its backward pass was given.
     *
     * @param workspace the runner's current one: the probe runs inside its backward pass, on its thread
     * @param dh {@code dL/dh} from above, {@code [steps][B][H]}
     * @param lengths the window's lengths, or null
     */
    void measure(Workspace workspace, int layer, RecurrentWeights weights, float[] in, int inWidth, float[] start,
                 float[] h, float[] dh, int[] lengths) {
        int b = batch;
        int stateCount = b * config.hiddenSize();
        float[] from = carry;
        float[] to = carryNext;
        Arrays.fill(from, 0f);
        double[] layerNorms = norms[layer];
        for (int t = steps - 1; t >= 0; t--) {
            double sum = 0;
            int base = t * stateCount;
            for (int i = 0; i < stateCount; i++) {
                double g = (double) dh[base + i] + from[i];
                sum += g * g;
            }
            layerNorms[steps - 1 - t] = Math.sqrt(sum);
            float[] before;
            if (t == 0) {
                before = start;
            } else {
                System.arraycopy(h, (t - 1) * stateCount, previous, 0, stateCount);
                before = previous;
            }
            int[] oneStep = null;
            if (lengths != null) {
                for (int n = 0; n < b; n++) {
                    stepLengths[n] = t < lengths[n] ? 1 : 0;
                }
                oneStep = stepLengths;
            }
            kernels.backward(weights, workspace, 1, b, false, in, t * b * inWidth, before, h, base, oneStep, dh, base,
                    from, scratch[layer], null, 0, to);
            float[] swap = from;
            from = to;
            to = swap;
        }
        carry = from;
        carryNext = to;
    }

    /** @return the number of lags the last measurement covered (0 when none since the last clear) */
    int probedLags() {
        return probedLags;
    }

    /**
     * @param layer 0 … L − 1, already checked
     * @param lag 0 … {@link #probedLags()} − 1
     * @return ‖dL/dh‖ of that layer's state {@code lag} steps before the window's last step
     * @throws IllegalArgumentException when lag is out of range
     */
    double norm(int layer, int lag) {
        if (lag < 0 || lag >= probedLags) {
            throw new IllegalArgumentException("lag must be in 0 … " + (probedLags - 1) + ", got " + lag);
        }
        return norms[layer][lag];
    }
}
