package dev.elman.simd;

import dev.elman.kernels.Activation;
import dev.elman.kernels.CheckedKernels;
import dev.elman.kernels.HeadGradients;
import dev.elman.kernels.HeadWeights;
import dev.elman.kernels.RecurrentGradients;
import dev.elman.kernels.RecurrentKernels;
import dev.elman.kernels.RecurrentWeights;
import dev.elman.kernels.Team;
import dev.elman.kernels.Workspace;

import java.util.Arrays;

/**
 * {@link RecurrentKernels} on the JDK incubator Vector API, float32 throughout.
 *
 * <p>Load this class only through {@link SimdSupport}: it links {@code jdk.incubator.vector}, which
 * a JVM started without {@code --add-modules jdk.incubator.vector} does not have.
 *
 * <h2>How a span is computed</h2>
 * Only the recurrence is sequential, so everything else is a matrix product over the whole span
 * ({@link Gemm}):
 * <ul>
 *   <li>forward: {@code Z = X·Wxᵀ + b} for all {@code T·B} rows at once, written straight into
 *       {@code h}; then per step only {@code h_t = φ(h_t + h_{t−1}·Whᵀ)}, the activation applied to
 *       each register tile as soon as it is written;</li>
 *   <li>backward: per step only {@code dz_{t−1} = φ'(h_{t−1})·(dh_{t−1} + dz_t·Wh)}, derivative
 *       applied the same way, every {@code dz_t} kept in the workspace; then
 *       {@code dWx += dZᵀ·X}, {@code dWh += dZᵀ·H_prev}, {@code db += Σ dZ} and
 *       {@code dX = dZ·Wx} as products over the span.</li>
 * </ul>
 * Weights are packed once per {@code load} into the forms these products stream through
 * ({@link PackedLayer}); nothing allocates during a pass.
 *
 * <h2>Accuracy</h2>
 * Sums are accumulated in float (fused multiply-adds in a blocked order), so a result differs from
 * the double reference by float rounding over the reduction length, propagated through the
 * recurrence, plus the activation's error ({@link VectorTanh}); the kernel tests state and check
 * that bound.
 */
final class VectorKernels extends CheckedKernels {

    /** Creates the SIMD kernels; they hold no state of their own. Called by {@link SimdSupport#create}. */
    VectorKernels() {
    }

    @Override
    public String name() {
        return "simd";
    }

    @Override
    public RecurrentWeights newRecurrentWeights(int inputSize, int hiddenSize, Activation activation, boolean bias) {
        return new PackedLayer(this, inputSize, hiddenSize, activation, bias);
    }

    @Override
    public HeadWeights newHeadWeights(int inputSize, int outputSize, boolean bias) {
        return new PackedHead(this, inputSize, outputSize, bias);
    }

    @Override
    public Workspace newWorkspace(int maxInputSize, int maxHiddenSize, int maxSteps, int maxBatch, Team team) {
        return new SpanWorkspace(this, maxInputSize, maxHiddenSize, maxSteps, maxBatch, team);
    }

    @Override
    protected void forwardChecked(RecurrentWeights weights, Workspace workspace, int steps, int batch,
                                  boolean reverse, float[] x, int xOffset, float[] h0, float[] h, int hOffset,
                                  int[] lengths) {
        PackedLayer layer = (PackedLayer) weights;
        int inputSize = layer.inputSize();
        int hiddenSize = layer.hiddenSize();
        Activation act = layer.activation();
        int stateCount = batch * hiddenSize;

        // Z = X·Wxᵀ + b for the whole span, into h.
        Gemm.project(steps * batch, hiddenSize, inputSize, x, xOffset, layer.wxTransposed,
                layer.hasBias() ? layer.bias : null, h, hOffset);

        for (int s = 0; s < steps; s++) {
            int t = reverse ? steps - 1 - s : s;
            int current = hOffset + t * stateCount;
            float[] previous;
            int previousOffset;
            if (s == 0) {
                previous = h0;
                previousOffset = 0;
            } else {
                previous = h;
                previousOffset = hOffset + (reverse ? t + 1 : t - 1) * stateCount;
            }
            if (previous == null) {
                VectorActivation.applyInPlace(act, h, current, stateCount);
            } else {
                Gemm.stepForward(batch, hiddenSize, previous, previousOffset, layer.whTransposed, act, h, current);
            }
            if (lengths != null) {
                holdPaddedStates(t, batch, hiddenSize, lengths, previous, previousOffset, h, current);
            }
        }
    }

    /** A padding step copies the state it read (zeros for an absent {@code h0}). */
    private static void holdPaddedStates(int t, int batch, int hiddenSize, int[] lengths,
                                         float[] previous, int previousOffset, float[] h, int current) {
        for (int n = 0; n < batch; n++) {
            if (t >= lengths[n]) {
                int row = current + n * hiddenSize;
                if (previous == null) {
                    Arrays.fill(h, row, row + hiddenSize, 0f);
                } else {
                    System.arraycopy(previous, previousOffset + n * hiddenSize, h, row, hiddenSize);
                }
            }
        }
    }

    @Override
    protected void backwardChecked(RecurrentWeights weights, Workspace workspace, int steps, int batch,
                                   boolean reverse, float[] x, int xOffset, float[] h0, float[] h, int hOffset,
                                   int[] lengths, float[] dh, int dhOffset, float[] dhLast,
                                   RecurrentGradients gradients, float[] dx, int dxOffset, float[] dh0) {
        PackedLayer layer = (PackedLayer) weights;
        SpanWorkspace scratch = (SpanWorkspace) workspace;
        int inputSize = layer.inputSize();
        int hiddenSize = layer.hiddenSize();
        int stateCount = batch * hiddenSize;
        int rows = steps * batch;
        float[] dz = scratch.dz;

        if (hasPadding(lengths, steps)) {
            paddedTimeLoop(layer, scratch, steps, batch, reverse, h, hOffset, lengths, dh, dhOffset, dhLast, dh0);
        } else {
            timeLoop(layer, steps, batch, reverse, h, hOffset, dh, dhOffset, dhLast, dz, dh0);
        }

        if (layer.hasBias()) {
            ColumnSums.addTo(dz, 0, rows, hiddenSize, gradients.db());
        }
        // dWx += dZᵀ·X
        Gemm.addOuterProductsInBlocks(hiddenSize, inputSize, rows, dz, 0, x, xOffset, gradients.dWx(),
                scratch.product);
        // dWh += dZᵀ·H_prev: the steps whose previous state lies inside h are one product (their
        // rows are h shifted by one step), the first step walked reads h0.
        if (steps > 1) {
            int dzFrom = reverse ? 0 : stateCount;
            int previousFrom = hOffset + (reverse ? stateCount : 0);
            Gemm.addOuterProductsInBlocks(hiddenSize, hiddenSize, (steps - 1) * batch, dz, dzFrom, h, previousFrom,
                    gradients.dWh(), scratch.product);
        }
        if (h0 != null) {
            int firstWalked = reverse ? steps - 1 : 0;
            Gemm.addOuterProducts(hiddenSize, hiddenSize, batch, dz, firstWalked * stateCount, h0, 0, gradients.dWh());
        }
        // dX = dZ·Wx
        if (dx != null) {
            Gemm.propagate(rows, inputSize, hiddenSize, dz, 0, layer.wx, dx, dxOffset);
        }
    }

    private static boolean hasPadding(int[] lengths, int steps) {
        if (lengths != null) {
            for (int length : lengths) {
                if (length < steps) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Backpropagation through the steps of a span without padding: every step after the first
     * walked back is one product {@code dz_t·Wh} whose finish is the derivative of the step
     * before, so {@code dL/dh} never goes to memory.
     */
    private static void timeLoop(PackedLayer layer, int steps, int batch, boolean reverse,
                                 float[] h, int hOffset, float[] dh, int dhOffset, float[] dhLast,
                                 float[] dz, float[] dh0) {
        int hiddenSize = layer.hiddenSize();
        int stateCount = batch * hiddenSize;
        Activation act = layer.activation();
        int lastWalked = reverse ? 0 : steps - 1;
        int last = lastWalked * stateCount;
        VectorActivation.backward(act, dhLast, 0, dh, dhOffset + last, h, hOffset + last, dz, last, stateCount);
        for (int s = steps - 2; s >= 0; s--) {
            int t = reverse ? steps - 1 - s : s;
            int next = reverse ? t - 1 : t + 1;
            int at = t * stateCount;
            Gemm.stepBackward(batch, hiddenSize, dz, next * stateCount, layer.wh, act,
                    dh, dhOffset + at, h, hOffset + at, dz, at);
        }
        if (dh0 != null) {
            int firstWalked = reverse ? steps - 1 : 0;
            Gemm.propagate(batch, hiddenSize, hiddenSize, dz, firstWalked * stateCount, layer.wh, dh0, 0);
        }
    }

    /**
     * The same with padding: the carried gradient is kept explicitly, because a padding step hands
     * {@code dL/dh} on unchanged instead of through {@code Wh} and contributes no {@code dz}.
     */
    private static void paddedTimeLoop(PackedLayer layer, SpanWorkspace scratch, int steps, int batch, boolean reverse,
                                       float[] h, int hOffset, int[] lengths, float[] dh, int dhOffset,
                                       float[] dhLast, float[] dh0) {
        int hiddenSize = layer.hiddenSize();
        int stateCount = batch * hiddenSize;
        Activation act = layer.activation();
        float[] dz = scratch.dz;
        float[] carry = scratch.carry;
        float[] carryNext = scratch.carryNext;
        if (dhLast == null) {
            Arrays.fill(carry, 0, stateCount, 0f);
        } else {
            System.arraycopy(dhLast, 0, carry, 0, stateCount);
        }
        for (int s = steps - 1; s >= 0; s--) {
            int t = reverse ? steps - 1 - s : s;
            int at = t * stateCount;
            if (dh != null) {
                for (int i = 0; i < stateCount; i++) {
                    carry[i] += dh[dhOffset + at + i];
                }
            }
            VectorActivation.backward(act, carry, 0, null, 0, h, hOffset + at, dz, at, stateCount);
            for (int n = 0; n < batch; n++) {
                if (t >= lengths[n]) {
                    Arrays.fill(dz, at + n * hiddenSize, at + (n + 1) * hiddenSize, 0f);
                }
            }
            if (s > 0 || dh0 != null) {
                Gemm.propagate(batch, hiddenSize, hiddenSize, dz, at, layer.wh, carryNext, 0);
                for (int n = 0; n < batch; n++) {
                    if (t >= lengths[n]) {
                        System.arraycopy(carry, n * hiddenSize, carryNext, n * hiddenSize, hiddenSize);
                    }
                }
                float[] swap = carry;
                carry = carryNext;
                carryNext = swap;
            }
        }
        if (dh0 != null) {
            System.arraycopy(carry, 0, dh0, 0, stateCount);
        }
    }

    @Override
    protected void headForwardChecked(HeadWeights weights, int rows, float[] h, int hOffset, float[] y, int yOffset) {
        PackedHead head = (PackedHead) weights;
        int inputSize = head.inputSize();
        int outputSize = head.outputSize();
        Gemm.project(rows, outputSize, inputSize, h, hOffset, head.wyTransposed, head.hasBias() ? head.bias : null,
                y, yOffset);
    }

    @Override
    protected void headBackwardChecked(HeadWeights weights, int rows, float[] h, int hOffset, float[] dy,
                                       int dyOffset, HeadGradients gradients, float[] dh, int dhOffset) {
        PackedHead head = (PackedHead) weights;
        int inputSize = head.inputSize();
        int outputSize = head.outputSize();
        // dWy += dYᵀ·H
        Gemm.addOuterProducts(outputSize, inputSize, rows, dy, dyOffset, h, hOffset, gradients.dW());
        if (head.hasBias()) {
            ColumnSums.addTo(dy, dyOffset, rows, outputSize, gradients.db());
        }
        // dH = dY·Wy
        if (dh != null) {
            Gemm.propagate(rows, inputSize, outputSize, dy, dyOffset, head.wy, dh, dhOffset);
        }
    }
}
