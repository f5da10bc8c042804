package dev.elman.simd;

import dev.elman.kernels.Activation;
import dev.elman.kernels.CheckedKernels;
import dev.elman.kernels.HeadGradients;
import dev.elman.kernels.HeadWeights;
import dev.elman.kernels.RecurrentGradients;
import dev.elman.kernels.RecurrentKernels;
import dev.elman.kernels.RecurrentWeights;
import dev.elman.kernels.Workspace;
import jdk.incubator.vector.FloatVector;

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
public final class VectorKernels extends CheckedKernels {

    /** Creates the SIMD kernels; they hold no state of their own. */
    public VectorKernels() {
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
    public Workspace newWorkspace(int maxInputSize, int maxHiddenSize, int maxSteps, int maxBatch) {
        return new SpanWorkspace(this, maxInputSize, maxHiddenSize, maxSteps, maxBatch);
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
        Gemm.multiply(steps * batch, hiddenSize, inputSize,
                x, xOffset, inputSize, 1,
                layer.wxTransposed, 0, Gemm.PACKED,
                h, hOffset, hiddenSize,
                layer.hasBias() ? Gemm.FROM_BIAS : Gemm.FROM_ZERO, layer.bias, Gemm.STORE, Gemm.PLAIN, act,
                null, 0, null, 0);

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
                Gemm.multiply(batch, hiddenSize, hiddenSize,
                        previous, previousOffset, hiddenSize, 1,
                        layer.whTransposed, 0, Gemm.PACKED,
                        h, current, hiddenSize,
                        Gemm.FROM_C, null, Gemm.STORE, Gemm.ACTIVATE, act,
                        null, 0, null, 0);
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
        accumulateProduct(hiddenSize, inputSize, rows, dz, 0, x, xOffset, gradients.dWx(), scratch.product);
        // dWh += dZᵀ·H_prev: the steps whose previous state lies inside h are one product (their
        // rows are h shifted by one step), the first step walked reads h0.
        if (steps > 1) {
            int dzFrom = reverse ? 0 : stateCount;
            int previousFrom = hOffset + (reverse ? stateCount : 0);
            accumulateProduct(hiddenSize, hiddenSize, (steps - 1) * batch, dz, dzFrom, h, previousFrom,
                    gradients.dWh(), scratch.product);
        }
        if (h0 != null) {
            int firstWalked = reverse ? steps - 1 : 0;
            Gemm.multiply(hiddenSize, hiddenSize, batch,
                    dz, firstWalked * stateCount, 1, hiddenSize,
                    h0, 0, hiddenSize,
                    gradients.dWh(), 0, hiddenSize,
                    Gemm.FROM_ZERO, null, Gemm.ADD, Gemm.PLAIN, null, null, 0, null, 0);
        }
        // dX = dZ·Wx
        if (dx != null) {
            Gemm.multiply(rows, inputSize, hiddenSize,
                    dz, 0, hiddenSize, 1,
                    layer.wx, 0, Gemm.PACKED,
                    dx, dxOffset, inputSize,
                    Gemm.FROM_ZERO, null, Gemm.STORE, Gemm.PLAIN, null, null, 0, null, 0);
        }
    }

    /**
     * {@code target += dZᵀ·V} for a weight gradient: {@code dZ} is {@code [depth][rows]} from
     * {@code dzFrom}, {@code V} is {@code [depth][cols]} from {@code vFrom}, {@code target} is
     * {@code rows × cols}. A product added straight onto {@code target} cannot be cut into depth
     * blocks (the target must receive only the finished sum), and then over a span of
     * {@code T·B} rows each column group's slice of {@code V} streams from L2 for every row tile.
     * So a long product is computed blocked into {@code product} and added after: the same
     * float sums, rounded the same way, then one rounding onto the target, as before.
     */
    private static void accumulateProduct(int rows, int cols, int depth, float[] dz, int dzFrom,
                                          float[] v, int vFrom, float[] target, float[] product) {
        if (!Gemm.blocksDepth(rows, depth)) {
            Gemm.multiply(rows, cols, depth, dz, dzFrom, 1, rows, v, vFrom, cols, target, 0, cols,
                    Gemm.FROM_ZERO, null, Gemm.ADD, Gemm.PLAIN, null, null, 0, null, 0);
            return;
        }
        Gemm.multiply(rows, cols, depth, dz, dzFrom, 1, rows, v, vFrom, cols, product, 0, cols,
                Gemm.FROM_ZERO, null, Gemm.STORE, Gemm.PLAIN, null, null, 0, null, 0);
        int count = rows * cols;
        int i = 0;
        for (; i + Gemm.LANES <= count; i += Gemm.LANES) {
            FloatVector.fromArray(Gemm.SPECIES, target, i)
                    .add(FloatVector.fromArray(Gemm.SPECIES, product, i))
                    .intoArray(target, i);
        }
        for (; i < count; i++) {
            target[i] += product[i];
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
            Gemm.multiply(batch, hiddenSize, hiddenSize,
                    dz, next * stateCount, hiddenSize, 1,
                    layer.wh, 0, Gemm.PACKED,
                    dz, t * stateCount, hiddenSize,
                    Gemm.FROM_ZERO, null, Gemm.STORE, Gemm.DERIVE, act,
                    dh, dhOffset, h, hOffset);
        }
        if (dh0 != null) {
            int firstWalked = reverse ? steps - 1 : 0;
            Gemm.multiply(batch, hiddenSize, hiddenSize,
                    dz, firstWalked * stateCount, hiddenSize, 1,
                    layer.wh, 0, Gemm.PACKED,
                    dh0, 0, hiddenSize,
                    Gemm.FROM_ZERO, null, Gemm.STORE, Gemm.PLAIN, null, null, 0, null, 0);
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
                Gemm.multiply(batch, hiddenSize, hiddenSize,
                        dz, at, hiddenSize, 1,
                        layer.wh, 0, Gemm.PACKED,
                        carryNext, 0, hiddenSize,
                        Gemm.FROM_ZERO, null, Gemm.STORE, Gemm.PLAIN, null, null, 0, null, 0);
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
        Gemm.multiply(rows, outputSize, inputSize,
                h, hOffset, inputSize, 1,
                head.wyTransposed, 0, Gemm.PACKED,
                y, yOffset, outputSize,
                head.hasBias() ? Gemm.FROM_BIAS : Gemm.FROM_ZERO, head.bias, Gemm.STORE, Gemm.PLAIN, null,
                null, 0, null, 0);
    }

    @Override
    protected void headBackwardChecked(HeadWeights weights, int rows, float[] h, int hOffset, float[] dy,
                                       int dyOffset, HeadGradients gradients, float[] dh, int dhOffset) {
        PackedHead head = (PackedHead) weights;
        int inputSize = head.inputSize();
        int outputSize = head.outputSize();
        // dWy += dYᵀ·H
        Gemm.multiply(outputSize, inputSize, rows,
                dy, dyOffset, 1, outputSize,
                h, hOffset, inputSize,
                gradients.dW(), 0, inputSize,
                Gemm.FROM_ZERO, null, Gemm.ADD, Gemm.PLAIN, null, null, 0, null, 0);
        if (head.hasBias()) {
            ColumnSums.addTo(dy, dyOffset, rows, outputSize, gradients.db());
        }
        // dH = dY·Wy
        if (dh != null) {
            Gemm.multiply(rows, inputSize, outputSize,
                    dy, dyOffset, outputSize, 1,
                    head.wy, 0, Gemm.PACKED,
                    dh, dhOffset, inputSize,
                    Gemm.FROM_ZERO, null, Gemm.STORE, Gemm.PLAIN, null, null, 0, null, 0);
        }
    }
}
