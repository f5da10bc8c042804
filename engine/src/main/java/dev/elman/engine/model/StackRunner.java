package dev.elman.engine.model;

import dev.elman.kernels.HeadWeights;
import dev.elman.kernels.RecurrentGradients;
import dev.elman.kernels.RecurrentKernels;
import dev.elman.kernels.Workspace;

import java.util.Arrays;

/**
 * Runs a model's whole stack — every layer, both directions, the merge and the head — over spans of
 * a batch, and holds the activations of a sliding <em>window</em> of the most recent steps for the
 * backward pass. It is the machinery under {@link Model#forward}, {@link Model#gradient} and
 * truncated-BPTT training, for code that drives passes itself.
 *
 * <h2>Life cycle</h2>
 * <ol>
 *   <li>{@link #reset(int, float[])} starts B new sequences from given states, with an empty window.</li>
 *   <li>{@link #advance} runs the next steps, continuing from the current states, and appends them
 *       to the window; when the window would exceed {@link #capacity()} steps its oldest steps are
 *       dropped. {@link #output()} then holds the window's outputs.</li>
 *   <li>The caller writes {@code dL/dy} for the window's last {@code k} steps into
 *       {@link #outputGradient()} and calls {@link #backward}: backpropagation through the whole
 *       window (no gradient enters from beyond its end, none leaves beyond its start), adding into
 *       {@link ModelGradients}.</li>
 *   <li>{@link #detach()} empties the window but keeps the states (the chunk boundary of truncated
 *       BPTT).</li>
 * </ol>
 * Memory is {@code O(capacity · B · (I + L·D·H + W))} whatever the sequence length. Nothing here
 * allocates after construction except {@code reset} with a batch size other than the last one's.
 *
 * <p>A bidirectional model's reverse direction starts from the end of the sequence, so it takes the
 * whole sequence in one {@code advance} per {@code reset}.
 *
 * <p>Variable lengths: a sequence whose span length is shorter than the span has ended; padding
 * steps hold its state (as the kernels define) and every later span must give it length 0 until the
 * next {@code reset}.
 *
 * <p>One runner serves one thread; many runners may share one model.
 */
public final class StackRunner {
    private final Model model;
    private final RecurrentKernels kernels;
    private final int capacity;
    private final int maxBatch;
    private final int layers;
    private final int directions;
    private final int hiddenSize;
    private final int inputSize;
    private final int featureSize;
    private final int outputWidth;
    private final boolean concat;
    private final HeadWeights head;
    private final Workspace workspace;

    /** The model input of the window, {@code [C][Bm][I]}: copied so that it outlives the caller's span. */
    private final float[] x0;
    /** Every layer and direction's states over the window, index {@code l·D + d}, {@code [C][Bm][H]}. */
    private final float[][] h;
    /** What layer {@code l} reads ({@code l = L}: the head's input, the top features), {@code [C][Bm][I_l]}. */
    private final float[][] layerInput;
    private final float[] y;
    private final float[] dOutput;
    private final float[] dFeaturesA;
    private final float[] dFeaturesB;
    private final float[] dForward;
    private final float[] dReverse;
    private final float[] dxReverse;
    private float[] dInput;

    private int batch = -1;
    private int steps;
    private float[][] state;
    private float[][] start;
    private int[] windowLengths;
    private int[] spanLengths;
    private boolean[] ended;
    private float[] dh0;
    private float[] initialStateGradient;

    private RecurrentGradients[] probeGradients;
    private float[] probeCarry;
    private float[] probeCarryNext;
    private float[] probePrevious;
    private int[] probeLengths;
    private double[][] lagNorms;
    private int probedLags;

    /**
     * Allocates a runner for a model.
     *
     * @param model the model, shared and read-only here
     * @param capacity the most steps the window holds, at least 1
     * @param maxBatch the largest batch, at least 1
     * @throws IllegalArgumentException when a bound is below 1 or the buffers would not fit in arrays
     */
    StackRunner(Model model, int capacity, int maxBatch) {
        if (capacity < 1) {
            throw new IllegalArgumentException("maxSteps must be at least 1, got " + capacity);
        }
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1, got " + maxBatch);
        }
        ModelConfig config = model.config();
        this.model = model;
        this.kernels = model.kernels();
        this.capacity = capacity;
        this.maxBatch = maxBatch;
        this.layers = config.layers();
        this.directions = config.directions();
        this.hiddenSize = config.hiddenSize();
        this.inputSize = config.inputSize();
        this.featureSize = config.featureSize();
        this.outputWidth = config.outputWidth();
        this.concat = config.bidirectional() && config.merge() == Merge.CONCAT;
        this.head = model.headWeights();
        int maxLayerInput = Math.max(inputSize, featureSize);
        this.workspace = kernels.newWorkspace(maxLayerInput, hiddenSize, capacity, maxBatch);

        long rows = (long) capacity * maxBatch;
        x0 = new float[size(rows, inputSize, "steps × batch × inputSize")];
        h = new float[layers * directions][];
        for (int k = 0; k < h.length; k++) {
            h[k] = new float[size(rows, hiddenSize, "steps × batch × hiddenSize")];
        }
        layerInput = new float[layers + 1][];
        layerInput[0] = x0;
        for (int l = 1; l <= layers; l++) {
            layerInput[l] = config.bidirectional()
                    ? new float[size(rows, featureSize, "steps × batch × features")]
                    : h[l - 1];
        }
        y = head == null ? null : new float[size(rows, outputWidth, "steps × batch × outputSize")];
        dOutput = new float[size(rows, outputWidth, "steps × batch × outputWidth")];
        dFeaturesA = new float[size(rows, featureSize, "steps × batch × features")];
        dFeaturesB = new float[dFeaturesA.length];
        dForward = concat ? new float[h[0].length] : null;
        dReverse = concat ? new float[h[0].length] : null;
        dxReverse = config.bidirectional() ? new float[size(rows, maxLayerInput, "steps × batch × features")] : null;
    }

    /** @return the model this runner computes with */
    public Model model() {
        return model;
    }

    /** @return the most steps the window holds */
    public int capacity() {
        return capacity;
    }

    /** @return the largest batch this runner serves */
    public int maxBatch() {
        return maxBatch;
    }

    /** @return the batch size of the sequences since the last {@link #reset}, or −1 before the first */
    public int batch() {
        return batch;
    }

    /** @return the number of steps in the window */
    public int windowSteps() {
        return steps;
    }

    /** @return W, the width of an output row */
    public int outputWidth() {
        return outputWidth;
    }

    /**
     * Starts B new sequences: sets every layer's state and empties the window.
     *
     * @param batch B, 1 … {@link #maxBatch()}
     * @param initialStates {@code [L·D][B][H]}, or null for zeros; a reverse direction's state is
     *     where it starts, at the end of the sequence
     * @throws IllegalArgumentException when B is out of range or the states have the wrong length
     */
    public void reset(int batch, float[] initialStates) {
        if (batch < 1 || batch > maxBatch) {
            throw new IllegalArgumentException("batch must be in 1 … " + maxBatch + " (this runner's maxBatch), got "
                    + batch);
        }
        int stateCount = batch * hiddenSize;
        int expected = layers * directions * stateCount;
        if (initialStates != null && initialStates.length != expected) {
            throw new IllegalArgumentException("initialStates: expected length " + expected
                    + " (layers × directions × batch × hiddenSize = " + layers + " × " + directions + " × " + batch
                    + " × " + hiddenSize + "), got " + initialStates.length);
        }
        if (batch != this.batch) {
            // The kernels take states and lengths as arrays of exactly B·H and B elements.
            state = new float[layers * directions][stateCount];
            start = new float[layers * directions][stateCount];
            windowLengths = new int[batch];
            spanLengths = new int[batch];
            ended = new boolean[batch];
            dh0 = new float[stateCount];
            initialStateGradient = new float[expected];
            probeCarry = null;
            this.batch = batch;
        }
        for (int k = 0; k < state.length; k++) {
            if (initialStates == null) {
                Arrays.fill(state[k], 0f);
            } else {
                System.arraycopy(initialStates, k * stateCount, state[k], 0, stateCount);
            }
            System.arraycopy(state[k], 0, start[k], 0, stateCount);
        }
        Arrays.fill(windowLengths, 0);
        Arrays.fill(ended, false);
        steps = 0;
        probedLags = 0;
    }

    /**
     * Empties the window and keeps the states: the next {@link #backward} starts at the current
     * state and sends no gradient into the steps before it.
     */
    public void detach() {
        requireReset();
        for (int k = 0; k < state.length; k++) {
            System.arraycopy(state[k], 0, start[k], 0, state[k].length);
        }
        Arrays.fill(windowLengths, 0);
        steps = 0;
    }

    /**
     * Runs the next {@code spanSteps} steps of every sequence through the stack and appends them to
     * the window, dropping its oldest steps beyond {@link #capacity()}.
     *
     * @param spanSteps the number of steps, 1 … capacity
     * @param x the inputs {@code [spanSteps][B][I]} from {@code xOffset}; copied, not kept
     * @param xOffset where they start
     * @param lengths how many of these steps are real for each sequence {@code [B]}, or null for all;
     *     a sequence that ended in an earlier span must have 0
     * @throws IllegalArgumentException when an argument does not fit
     * @throws IllegalStateException before the first {@link #reset}, or on a second advance of a
     *     bidirectional model without a reset
     */
    public void advance(int spanSteps, float[] x, int xOffset, int[] lengths) {
        requireReset();
        if (spanSteps < 1 || spanSteps > capacity) {
            throw new IllegalArgumentException("steps must be in 1 … " + capacity + " (this runner's capacity), got "
                    + spanSteps);
        }
        if (directions == 2 && steps > 0) {
            throw new IllegalStateException("a bidirectional model reads its whole sequence in one advance: call"
                    + " reset (or detach) before the next");
        }
        int b = batch;
        int count = spanSteps * b * inputSize;
        if (x == null) {
            throw new IllegalArgumentException("x must not be null (expected " + count + " floats = steps × batch × inputSize = "
                    + spanSteps + " × " + b + " × " + inputSize + ")");
        }
        if (xOffset < 0 || (long) xOffset + count > x.length) {
            throw new IllegalArgumentException("x: expected " + count + " floats from offset " + xOffset
                    + " (steps × batch × inputSize = " + spanSteps + " × " + b + " × " + inputSize + "), got length "
                    + x.length);
        }
        if (lengths != null) {
            if (lengths.length != b) {
                throw new IllegalArgumentException("lengths: expected length " + b + " (batch), got " + lengths.length);
            }
            for (int n = 0; n < b; n++) {
                if (lengths[n] < 0 || lengths[n] > spanSteps) {
                    throw new IllegalArgumentException("lengths[" + n + "] = " + lengths[n] + " is outside 0 … "
                            + spanSteps + " (steps)");
                }
                if (ended[n] && lengths[n] > 0) {
                    throw new IllegalArgumentException("lengths[" + n + "] = " + lengths[n] + ", but sequence " + n
                            + " ended in an earlier span (padding is only allowed at the end of a sequence)");
                }
            }
        }
        int drop = steps + spanSteps - capacity;
        if (drop > 0) {
            dropOldest(drop);
        }
        int first = steps;
        System.arraycopy(x, xOffset, x0, first * b * inputSize, count);
        boolean full = true;
        for (int n = 0; n < b; n++) {
            int length = ended[n] ? 0 : lengths == null ? spanSteps : lengths[n];
            spanLengths[n] = length;
            windowLengths[n] += length;
            if (length < spanSteps) {
                ended[n] = true;
                full = false;
            }
        }
        int[] kernelLengths = full ? null : spanLengths;
        int stateCount = b * hiddenSize;
        for (int l = 0; l < layers; l++) {
            float[] in = layerInput[l];
            int inOffset = first * b * (l == 0 ? inputSize : featureSize);
            for (int d = 0; d < directions; d++) {
                int k = l * directions + d;
                kernels.forward(model.recurrentWeights(k), workspace, spanSteps, b, d == 1, in, inOffset,
                        state[k], h[k], first * stateCount, kernelLengths);
                if (d == 0) {
                    System.arraycopy(h[k], (first + spanSteps - 1) * stateCount, state[k], 0, stateCount);
                }
            }
            if (directions == 2) {
                merge(l, first * b, (first + spanSteps) * b);
            }
        }
        if (head != null) {
            kernels.headForward(head, spanSteps * b, layerInput[layers], first * b * featureSize, y,
                    first * b * outputWidth);
        }
        steps = first + spanSteps;
    }

    /**
     * The window's outputs, {@code [capacity][maxBatch][W]} of which the first {@code windowSteps · B}
     * rows hold steps oldest first: the head's {@code y}, or the top features without a head.
     * Padding steps hold the held state's output (not zero).
     *
     * @return the live array; overwritten by the next {@code advance}
     */
    public float[] output() {
        return y != null ? y : layerInput[layers];
    }

    /**
     * Where the caller writes {@code dL/dy} before {@link #backward}: rows of the window's last
     * {@code lossSteps} steps, same layout as {@link #output()}. Rows before them are cleared by
     * {@code backward}; padding rows should be zero (padding outputs are constants).
     *
     * @return the live array
     */
    public float[] outputGradient() {
        return dOutput;
    }

    /**
     * Backpropagation through the window: the loss reaches the outputs of its last
     * {@code lossSteps} steps through {@link #outputGradient()}; the gradients of every parameter
     * are added to {@code gradients}.
     *
     * @param lossSteps 1 … windowSteps, the trailing steps whose output gradient is set
     * @param gradients accumulators of the model's shape; added to
     * @param inputGradients whether to compute {@link #inputGradient()} and
     *     {@link #initialStateGradient()} too
     * @param probeLags whether to record ‖dL/dh_t‖ for every step of the window and every layer's
     *     forward direction ({@link #lagGradientNorm}); this runs each layer's backward a second
     *     time, step by step, so use it now and then
     * @throws IllegalArgumentException when lossSteps is out of range or the gradients' shape differs
     * @throws IllegalStateException when the window is empty
     */
    public void backward(int lossSteps, ModelGradients gradients, boolean inputGradients, boolean probeLags) {
        requireReset();
        if (steps == 0) {
            throw new IllegalStateException("the window is empty: advance before backward");
        }
        if (lossSteps < 1 || lossSteps > steps) {
            throw new IllegalArgumentException("lossSteps must be in 1 … " + steps + " (the window), got " + lossSteps);
        }
        if (gradients == null || !gradients.config().equals(model.config())) {
            throw new IllegalArgumentException("gradients: expected accumulators for " + model.config() + ", got "
                    + (gradients == null ? "null" : gradients.config()));
        }
        int n = steps;
        int b = batch;
        int firstLoss = n - lossSteps;
        float[] dAbove;
        if (head != null) {
            Arrays.fill(dFeaturesA, 0, firstLoss * b * featureSize, 0f);
            kernels.headBackward(head, lossSteps * b, layerInput[layers], firstLoss * b * featureSize, dOutput,
                    firstLoss * b * outputWidth, gradients.head(), dFeaturesA, firstLoss * b * featureSize);
            dAbove = dFeaturesA;
        } else {
            Arrays.fill(dOutput, 0, firstLoss * b * outputWidth, 0f);
            dAbove = dOutput;
        }
        int[] lengths = windowFull() ? null : windowLengths;
        int stateCount = b * hiddenSize;
        if (probeLags) {
            prepareProbe();
            probedLags = n;
        }
        for (int l = layers - 1; l >= 0; l--) {
            float[] in = layerInput[l];
            int inWidth = l == 0 ? inputSize : featureSize;
            boolean wantDx = l > 0 || inputGradients;
            float[] dx = l == 0 ? (inputGradients ? dInput() : null) : (dAbove == dFeaturesA ? dFeaturesB : dFeaturesA);
            float[] dhForward = dAbove;
            float[] dhReverse = dAbove;
            if (concat) {
                split(dAbove, n * b);
                dhForward = dForward;
                dhReverse = dReverse;
            }
            for (int d = 0; d < directions; d++) {
                int k = l * directions + d;
                float[] dh = d == 0 ? dhForward : dhReverse;
                float[] dxTarget = !wantDx ? null : d == 0 ? dx : dxReverse;
                kernels.backward(model.recurrentWeights(k), workspace, n, b, d == 1, in, 0, start[k], h[k], 0,
                        lengths, dh, 0, null, gradients.recurrent(k), dxTarget, 0, inputGradients ? dh0 : null);
                if (inputGradients) {
                    System.arraycopy(dh0, 0, initialStateGradient, k * stateCount, stateCount);
                }
                if (d == 1 && wantDx) {
                    int count = n * b * inWidth;
                    for (int i = 0; i < count; i++) {
                        dx[i] += dxReverse[i];
                    }
                }
                if (probeLags && d == 0) {
                    probe(l, in, inWidth, dh, lengths);
                }
            }
            dAbove = dx;
        }
    }

    /**
     * {@code dL/dx} of the window's model inputs after a {@link #backward} with input gradients,
     * {@code [windowSteps][B][I]} from index 0; zero at padding steps.
     *
     * @return the live array
     * @throws IllegalStateException when no input gradients were computed yet
     */
    public float[] inputGradient() {
        if (dInput == null) {
            throw new IllegalStateException("no input gradients yet: call backward with inputGradients = true");
        }
        return dInput;
    }

    /**
     * {@code dL/d(states at the window's start)} after a {@link #backward} with input gradients,
     * {@code [L·D][B][H]} (for the window after a {@code reset}: {@code dL/dh0}).
     *
     * @return the live array
     */
    public float[] initialStateGradient() {
        requireReset();
        return initialStateGradient;
    }

    /**
     * The states of one layer and direction over the window, {@code [capacity][maxBatch][H]}, the
     * first {@code windowSteps · B} rows in use (in step order also for the reverse direction).
     *
     * @param layer 0 … L − 1
     * @param reverse the reverse direction of a bidirectional layer
     * @return the live array
     */
    public float[] hidden(int layer, boolean reverse) {
        model.config().checkLayer(layer);
        if (reverse && directions == 1) {
            throw new IllegalArgumentException("reverse: this model is unidirectional");
        }
        return h[layer * directions + (reverse ? 1 : 0)];
    }

    /**
     * Copies the current final states: for a forward direction the state after the last step so
     * far (held through padding), for a reverse direction the state it reached at the window's first
     * step.
     *
     * @param target {@code [L·D][B][H]}, PyTorch's {@code h_n} layout
     * @throws IllegalArgumentException when target has the wrong length
     */
    public void finalStates(float[] target) {
        requireReset();
        int stateCount = batch * hiddenSize;
        int expected = layers * directions * stateCount;
        if (target == null || target.length != expected) {
            throw new IllegalArgumentException("target: expected length " + expected + " (layers × directions × batch × "
                    + "hiddenSize), got " + (target == null ? "null" : String.valueOf(target.length)));
        }
        for (int k = 0; k < state.length; k++) {
            boolean reverse = k % directions == 1;
            float[] source = reverse && steps > 0 ? h[k] : state[k];
            System.arraycopy(source, 0, target, k * stateCount, stateCount);
        }
    }

    /**
     * ‖dL/dh‖ (Euclidean, over the batch) of a layer's forward-direction state {@code lag} steps
     * before the window's last step, as measured by the last {@link #backward} with
     * {@code probeLags}: the total gradient reaching that state, from above and from later steps.
     *
     * @param layer 0 … L − 1
     * @param lag 0 … {@link #probedLags()} − 1
     * @return the norm
     */
    public double lagGradientNorm(int layer, int lag) {
        model.config().checkLayer(layer);
        if (lag < 0 || lag >= probedLags) {
            throw new IllegalArgumentException("lag must be in 0 … " + (probedLags - 1) + ", got " + lag);
        }
        return lagNorms[layer][lag];
    }

    /** @return the number of lags the last probing backward measured (0 when none) */
    public int probedLags() {
        return probedLags;
    }

    private boolean windowFull() {
        for (int n = 0; n < batch; n++) {
            if (windowLengths[n] != steps) {
                return false;
            }
        }
        return true;
    }

    private void dropOldest(int drop) {
        int b = batch;
        int stateCount = b * hiddenSize;
        int keep = steps - drop;
        for (int k = 0; k < h.length; k++) {
            // Only forward directions drop (a bidirectional model never has a second advance).
            System.arraycopy(h[k], (drop - 1) * stateCount, start[k], 0, stateCount);
            System.arraycopy(h[k], drop * stateCount, h[k], 0, keep * stateCount);
        }
        System.arraycopy(x0, drop * b * inputSize, x0, 0, keep * b * inputSize);
        if (y != null) {
            System.arraycopy(y, drop * b * outputWidth, y, 0, keep * b * outputWidth);
        }
        for (int n = 0; n < b; n++) {
            windowLengths[n] = Math.max(0, windowLengths[n] - drop);
        }
        steps = keep;
    }

    /** Writes the merged features of layer {@code l} for rows {@code [fromRow, toRow)} into layerInput[l + 1]. */
    private void merge(int l, int fromRow, int toRow) {
        float[] forward = h[l * 2];
        float[] reverse = h[l * 2 + 1];
        float[] target = layerInput[l + 1];
        int hs = hiddenSize;
        if (concat) {
            for (int r = fromRow; r < toRow; r++) {
                System.arraycopy(forward, r * hs, target, r * 2 * hs, hs);
                System.arraycopy(reverse, r * hs, target, r * 2 * hs + hs, hs);
            }
        } else {
            for (int i = fromRow * hs; i < toRow * hs; i++) {
                target[i] = forward[i] + reverse[i];
            }
        }
    }

    /** Splits concatenated feature gradients {@code [rows][2H]} into the two directions' {@code [rows][H]}. */
    private void split(float[] dFeatures, int rows) {
        int hs = hiddenSize;
        for (int r = 0; r < rows; r++) {
            System.arraycopy(dFeatures, r * 2 * hs, dForward, r * hs, hs);
            System.arraycopy(dFeatures, r * 2 * hs + hs, dReverse, r * hs, hs);
        }
    }

    private float[] dInput() {
        if (dInput == null) {
            dInput = new float[x0.length];
        }
        return dInput;
    }

    private void prepareProbe() {
        int stateCount = batch * hiddenSize;
        if (probeGradients == null) {
            ModelConfig config = model.config();
            probeGradients = new RecurrentGradients[layers];
            lagNorms = new double[layers][capacity];
            for (int l = 0; l < layers; l++) {
                probeGradients[l] = new RecurrentGradients(config.layerInputSize(l), hiddenSize, config.bias());
            }
        }
        if (probeCarry == null || probeCarry.length != stateCount) {
            probeCarry = new float[stateCount];
            probeCarryNext = new float[stateCount];
            probePrevious = new float[stateCount];
            probeLengths = new int[batch];
        }
    }

    /**
     * Runs the forward direction of layer {@code l} backward again, one step per kernel call, to see
     * the gradient reaching each state: chaining one-step spans through {@code dhLast} and
     * {@code dh0} is the same recurrence as the whole window. The parameter gradients it produces
     * go to scratch accumulators.
     */
    private void probe(int l, float[] in, int inWidth, float[] dh, int[] lengths) {
        int b = batch;
        int stateCount = b * hiddenSize;
        int k = l * directions;
        float[] carry = probeCarry;
        float[] next = probeCarryNext;
        Arrays.fill(carry, 0f);
        double[] norms = lagNorms[l];
        for (int t = steps - 1; t >= 0; t--) {
            double sum = 0;
            int base = t * stateCount;
            for (int i = 0; i < stateCount; i++) {
                double g = (double) dh[base + i] + carry[i];
                sum += g * g;
            }
            norms[steps - 1 - t] = Math.sqrt(sum);
            float[] previous;
            if (t == 0) {
                previous = start[k];
            } else {
                System.arraycopy(h[k], (t - 1) * stateCount, probePrevious, 0, stateCount);
                previous = probePrevious;
            }
            int[] stepLengths = null;
            if (lengths != null) {
                for (int n = 0; n < b; n++) {
                    probeLengths[n] = t < lengths[n] ? 1 : 0;
                }
                stepLengths = probeLengths;
            }
            kernels.backward(model.recurrentWeights(k), workspace, 1, b, false, in, t * b * inWidth, previous, h[k],
                    base, stepLengths, dh, base, carry, probeGradients[l], null, 0, next);
            float[] swap = carry;
            carry = next;
            next = swap;
        }
        probeCarry = carry;
        probeCarryNext = next;
    }

    private void requireReset() {
        if (batch < 0) {
            throw new IllegalStateException("call reset(batch, initialStates) first");
        }
    }

    private static int size(long rows, int width, String formula) {
        long count = rows * width;
        if (count > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(formula + " = " + count + " elements, more than a Java array holds");
        }
        return (int) count;
    }
}
