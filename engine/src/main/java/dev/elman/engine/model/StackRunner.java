package dev.elman.engine.model;

import dev.elman.kernels.HeadWeights;
import dev.elman.kernels.RecurrentKernels;
import dev.elman.kernels.Team;
import dev.elman.kernels.WeightPrecision;
import dev.elman.kernels.Workspace;
import dev.elman.kernels.WorkspacePurpose;

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
 * <p>A bidirectional model's reverse direction, and a {@link Direction#REVERSE} model's one
 * direction, start from the end of the sequence, so such a model takes the whole sequence in one
 * {@code advance} per {@code reset}.
 *
 * <p>Variable lengths: a sequence whose span length is shorter than the span has ended; padding
 * steps hold its state (as the kernels define) and every later span must give it length 0 until the
 * next {@code reset}.
 *
 * <p>One runner serves one thread at a time; many runners may share one model. A runner entered by
 * a second thread while a first is inside one of its methods refuses the second with a
 * {@link java.util.ConcurrentModificationException}, which changes nothing.
 *
 * <h2>Parameter versions</h2>
 * Each {@code advance} and each {@code backward} computes with the parameter version the model
 * published at its start ({@link Model#parameterVersion()}), every layer and the head alike, so
 * a model may be trained while runners on other threads use it. A {@code backward} after an
 * update uses the new weights on activations the window stored with the old ones, as truncated
 * BPTT does anyway. A runner does not check its results for NaN or infinities: its callers do
 * ({@link Model#forward} and {@link Model#gradient} refuse them, training stops on a non-finite
 * loss or gradient).
 *
 * <h2>Threads</h2>
 * Every pass shares its work with the model's team of {@link Model#threads()} threads, the
 * runner's thread included; the results are the same bit for bit whatever the number. The team is
 * read at the start of each {@code advance} and {@code backward}: after {@link Model#setThreads} or
 * {@link Model#close()} a runner made earlier computes with the model's new team (its first pass
 * then allocates a new workspace, once). When another runner or session is using the team, a pass
 * runs on this runner's thread alone, with the same result: it never waits for the team.
 */
public final class StackRunner {
    // The runner is the grid: forward over layers and their directions, backward down them again.
    // What it runs over lives beside it, one job each: the window of activations and its lengths
    // (ActivationWindow), the bidirectional merge and split (BidirectionalMerge), the lag-norm probe
    // (LagNormProbe), the sizes (StackShape) and the weights, handed over once (StackWeights). The
    // passes run the grid over one window's rows; a batch split gives each worker a window of its own.
    private final ModelConfig config;
    private final Model model;
    private final RecurrentKernels kernels;
    private final StackWeights weights;
    private final StackShape shape;
    private final EntryGuard guard;
    /** The version {@link #hold()} pinned for every pass until {@link #letGo()}, or null. */
    private WeightVersion held;
    /**
     * What the kernel workspace serves: inference for a runner that never runs backward (inside
     * {@link Model#forward}, and on reduced-precision weights), which so holds no backward room.
     */
    private final WorkspacePurpose purpose;
    /** Made with the team it shares passes with; remade when the model's team changes. */
    private Workspace workspace;
    private final ActivationWindow window;
    /** Null for a unidirectional model. */
    private final BidirectionalMerge merge;
    private final LagNormProbe probe;

    private final float[] dOutput;
    /** The gradients of the features between layers, {@code [C][Bm][F]}: one is read while the other is written. */
    private final float[] dFeaturesA;
    private final float[] dFeaturesB;
    /** A reverse direction's {@code dL/dx}, added into the forward direction's; null for a unidirectional model. */
    private final float[] dxReverse;
    private float[] dInput;
    private float[] dh0;
    private float[] initialStateGradient;

    /**
     * Allocates a runner for a model.
     *
     * @param model the model, shared and read-only here
     * @param weights the model's kernels and packed weights, read-only here
     * @param capacity the most steps the window holds, at least 1
     * @param maxBatch the largest batch, at least 1
     * @param purpose {@link WorkspacePurpose#INFERENCE} for a runner that will only run forward
     *     passes; reduced-precision weights make it so whatever is asked
     * @throws IllegalArgumentException when a bound is below 1 or the buffers would not fit in arrays
     */
    StackRunner(Model model, StackWeights weights, int capacity, int maxBatch, WorkspacePurpose purpose) {
        this.shape = StackShape.of(model.config(), capacity, maxBatch);
        this.config = model.config();
        this.model = model;
        this.weights = weights;
        this.kernels = weights.kernels();
        this.purpose = weights.precision() == WeightPrecision.F32 ? purpose : WorkspacePurpose.INFERENCE;
        this.guard = new EntryGuard("StackRunner@" + Integer.toHexString(System.identityHashCode(this)) + " of "
                + model);
        this.workspace = newWorkspace(weights.team());
        this.window = new ActivationWindow(shape);
        dOutput = shape.rows(shape.outputWidth(), "steps × batch × outputWidth");
        dFeaturesA = shape.rows(shape.featureSize(), "steps × batch × features");
        dFeaturesB = new float[dFeaturesA.length];
        merge = shape.bidirectional() ? new BidirectionalMerge(shape) : null;
        dxReverse = shape.bidirectional() ? shape.rows(shape.maxLayerInput(), "steps × batch × features") : null;
        probe = new LagNormProbe(kernels, config, capacity);
    }

    private Workspace newWorkspace(Team team) {
        return kernels.newWorkspace(shape.maxLayerInput(), shape.hiddenSize(), shape.capacity(), shape.maxBatch(), team,
                purpose);
    }

    /** @return the workspace of the model's current team, remade (once) when the team has changed */
    private Workspace currentWorkspace() {
        Team team = weights.team();
        if (workspace.team() != team) {
            workspace = newWorkspace(team);
        }
        return workspace;
    }

    /** @return what this runner serves: {@link WorkspacePurpose#INFERENCE} refuses {@link #backward} */
    public WorkspacePurpose purpose() {
        return purpose;
    }

    /** @return the model this runner computes with */
    public Model model() {
        return model;
    }

    /** @return the most steps the window holds */
    public int capacity() {
        return shape.capacity();
    }

    /** @return the largest batch this runner serves */
    public int maxBatch() {
        return shape.maxBatch();
    }

    /** @return the batch size of the sequences since the last {@link #reset}, or −1 before the first */
    public int batch() {
        return window.batch();
    }

    /** @return the number of steps in the window */
    public int windowSteps() {
        return window.steps();
    }

    /** @return W, the width of an output row */
    public int outputWidth() {
        return shape.outputWidth();
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
        guard.enter("reset");
        try {
            resetGuarded(batch, initialStates);
        } finally {
            guard.leave();
        }
    }

    private void resetGuarded(int batch, float[] initialStates) {
        int maxBatch = shape.maxBatch();
        if (batch < 1 || batch > maxBatch) {
            throw new IllegalArgumentException("batch must be in 1 … " + maxBatch + " (this runner's maxBatch), got "
                    + batch);
        }
        int stateCount = batch * shape.hiddenSize();
        int expected = shape.cells() * stateCount;
        if (initialStates != null && initialStates.length != expected) {
            throw new IllegalArgumentException("initialStates: expected length " + expected
                    + " (layers × directions × batch × hiddenSize = " + shape.layers() + " × " + shape.directions()
                    + " × " + batch + " × " + shape.hiddenSize() + "), got " + initialStates.length);
        }
        if (batch != window.batch()) {
            dh0 = new float[stateCount];
            initialStateGradient = new float[expected];
        }
        window.reset(batch, initialStates);
        probe.clear();
    }

    /**
     * Empties the window and keeps the states: the next {@link #backward} starts at the current
     * state and sends no gradient into the steps before it.
     */
    public void detach() {
        guard.enter("detach");
        try {
            requireReset();
            window.detach();
        } finally {
            guard.leave();
        }
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
        guard.enter("advance");
        try {
            requireReset();
            checkSpan(spanSteps, x, xOffset, lengths);
            WeightVersion version = enterVersion();
            try {
                int first = window.append(spanSteps, x, xOffset, lengths);
                forwardGrid(window, first, spanSteps, version);
            } finally {
                leaveVersion(version);
            }
        } finally {
            guard.leave();
        }
    }

    /**
     * The window's outputs, {@code [capacity][maxBatch][W]} of which the first {@code windowSteps · B}
     * rows hold steps oldest first: the head's {@code y}, or the top features without a head.
     * Padding steps hold the held state's output (not zero).
     *
     * @return the live array; overwritten by the next {@code advance}
     */
    public float[] output() {
        return window.output();
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
     *     time, step by step, so use it now and then. A {@link Direction#REVERSE} model has no
     *     forward direction: it measures nothing ({@link #probedLags()} stays 0)
     * @throws IllegalArgumentException when lossSteps is out of range or the gradients' shape differs
     * @throws IllegalStateException when the window is empty, the model is for inference only
     *     ({@link Model#withInferencePrecision}), or the runner was made for inference
     *     ({@link Model#newRunner(int, int, WorkspacePurpose)})
     */
    public void backward(int lossSteps, ModelGradients gradients, boolean inputGradients, boolean probeLags) {
        guard.enter("backward");
        try {
            backwardGuarded(lossSteps, gradients, inputGradients, probeLags);
        } finally {
            guard.leave();
        }
    }

    private void backwardGuarded(int lossSteps, ModelGradients gradients, boolean inputGradients, boolean probeLags) {
        if (weights.precision() != WeightPrecision.F32) {
            throw new IllegalStateException("backward: this runner's model computes with " + weights.precision().label()
                    + " weights, which are for inference; run backward on the f32 model");
        }
        if (purpose != WorkspacePurpose.TRAINING) {
            throw new IllegalStateException("backward: this runner was made for inference (WorkspacePurpose.INFERENCE) "
                    + "and holds no room for backward passes; make it with Model.newRunner(maxSteps, maxBatch)");
        }
        requireReset();
        int steps = window.steps();
        if (steps == 0) {
            throw new IllegalStateException("the window is empty: advance before backward");
        }
        if (lossSteps < 1 || lossSteps > steps) {
            throw new IllegalArgumentException("lossSteps must be in 1 … " + steps + " (the window), got " + lossSteps);
        }
        if (gradients == null || !gradients.config().equals(config)) {
            throw new IllegalArgumentException("gradients: expected accumulators for " + config + ", got "
                    + (gradients == null ? "null" : gradients.config()));
        }
        WeightVersion version = enterVersion();
        try {
            backwardGrid(window, lossSteps, gradients, inputGradients, probeLags, version);
        } finally {
            leaveVersion(version);
        }
    }

    /**
     * Pins the model's published parameter version for every pass until {@link #letGo()}, so that
     * a computation of many passes ({@link Model#forward} over chunks, {@link Model#gradient})
     * sees one version throughout. Not re-entrant: pair with letGo in a {@code finally}.
     */
    void hold() {
        if (held != null) {
            throw new IllegalStateException("a parameter version is already held");
        }
        held = weights.acquire();
    }

    /** Ends {@link #hold()}: later passes take the version published at their start again. */
    void letGo() {
        if (held != null) {
            weights.release(held);
            held = null;
        }
    }

    private WeightVersion enterVersion() {
        return held != null ? held : weights.acquire();
    }

    private void leaveVersion(WeightVersion version) {
        if (version != held) {
            weights.release(version);
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
     * @param reverse the reverse direction of a bidirectional layer (a {@link Direction#REVERSE}
     *     model's one direction is {@code false}: its direction 0)
     * @return the live array
     */
    public float[] hidden(int layer, boolean reverse) {
        config.checkLayer(layer);
        if (reverse && !shape.bidirectional()) {
            throw new IllegalArgumentException("reverse: this model is unidirectional");
        }
        return window.hidden(layer * shape.directions() + (reverse ? 1 : 0));
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
        guard.enter("finalStates");
        try {
            finalStatesGuarded(target);
        } finally {
            guard.leave();
        }
    }

    private void finalStatesGuarded(float[] target) {
        requireReset();
        int expected = shape.cells() * window.batch() * shape.hiddenSize();
        if (target == null || target.length != expected) {
            throw new IllegalArgumentException("target: expected length " + expected + " (layers × directions × batch × "
                    + "hiddenSize), got " + (target == null ? "null" : String.valueOf(target.length)));
        }
        window.finalStates(target);
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
        config.checkLayer(layer);
        return probe.norm(layer, lag);
    }

    /** @return the number of lags the last probing backward measured (0 when none) */
    public int probedLags() {
        return probe.probedLags();
    }

    /** The forward grid over a span the window has just taken in at {@code first}: layers up, both directions, the head. */
    private void forwardGrid(ActivationWindow w, int first, int spanSteps, WeightVersion version) {
        Workspace workspace = currentWorkspace();
        int b = w.batch();
        int stateCount = b * shape.hiddenSize();
        int directions = shape.directions();
        int[] lengths = w.spanLengths();
        for (int l = 0; l < shape.layers(); l++) {
            float[] in = w.layerInput(l);
            int inOffset = first * b * shape.layerInputWidth(l);
            for (int d = 0; d < directions; d++) {
                int k = l * directions + d;
                boolean reverse = shape.walksBackward(k);
                kernels.forward(version.recurrent(k), workspace, spanSteps, b, reverse, in, inOffset, w.state(k),
                        w.hidden(k), first * stateCount, lengths);
                if (!reverse) {
                    w.holdState(k, first + spanSteps - 1);
                }
            }
            if (merge != null) {
                merge.merge(w.hidden(l * 2), w.hidden(l * 2 + 1), w.layerInput(l + 1), first * b,
                        (first + spanSteps) * b);
            }
        }
        HeadWeights head = version.head();
        if (head != null) {
            kernels.headForward(head, workspace, spanSteps * b, w.layerInput(shape.layers()),
                    first * b * shape.featureSize(), w.headOutput(), first * b * shape.outputWidth());
        }
    }

    /** The backward grid through the whole window: the head, then layers down, both directions. */
    private void backwardGrid(ActivationWindow w, int lossSteps, ModelGradients gradients, boolean inputGradients,
                              boolean probeLags, WeightVersion version) {
        Workspace workspace = currentWorkspace();
        HeadWeights head = version.head();
        int n = w.steps();
        int b = w.batch();
        int featureSize = shape.featureSize();
        int outputWidth = shape.outputWidth();
        int layers = shape.layers();
        int directions = shape.directions();
        int firstLoss = n - lossSteps;
        float[] dAbove;
        if (head != null) {
            Arrays.fill(dFeaturesA, 0, firstLoss * b * featureSize, 0f);
            kernels.headBackward(head, workspace, lossSteps * b, w.layerInput(layers), firstLoss * b * featureSize, dOutput,
                    firstLoss * b * outputWidth, gradients.head(), dFeaturesA, firstLoss * b * featureSize);
            dAbove = dFeaturesA;
        } else {
            Arrays.fill(dOutput, 0, firstLoss * b * outputWidth, 0f);
            dAbove = dOutput;
        }
        int[] lengths = w.lengths();
        int stateCount = b * shape.hiddenSize();
        // The probe follows forward directions; a reverse model has none, and measures no lags.
        boolean probing = probeLags && shape.direction() != Direction.REVERSE;
        if (probing) {
            probe.begin(b, n);
        }
        for (int l = layers - 1; l >= 0; l--) {
            float[] in = w.layerInput(l);
            int inWidth = shape.layerInputWidth(l);
            boolean wantDx = l > 0 || inputGradients;
            float[] dx = l == 0 ? (inputGradients ? dInput() : null) : (dAbove == dFeaturesA ? dFeaturesB : dFeaturesA);
            if (merge != null) {
                merge.split(dAbove, n * b);
            }
            for (int d = 0; d < directions; d++) {
                int k = l * directions + d;
                float[] dh = merge == null ? dAbove : merge.directionGradient(d, dAbove);
                float[] dxTarget = !wantDx ? null : d == 0 ? dx : dxReverse;
                kernels.backward(version.recurrent(k), workspace, n, b, shape.walksBackward(k), in, 0, w.start(k),
                        w.hidden(k), 0,
                        lengths, dh, 0, null, gradients.recurrent(k), dxTarget, 0, inputGradients ? dh0 : null);
                if (inputGradients) {
                    System.arraycopy(dh0, 0, initialStateGradient, k * stateCount, stateCount);
                }
                if (d == 1 && wantDx) {
                    // Both directions read the same input: its gradient is the sum of theirs.
                    int count = n * b * inWidth;
                    for (int i = 0; i < count; i++) {
                        dx[i] += dxReverse[i];
                    }
                }
                if (probing && d == 0) {
                    probe.measure(workspace, l, version.recurrent(k), in, inWidth, w.start(k), w.hidden(k), dh, lengths);
                }
            }
            dAbove = dx;
        }
    }

    private void checkSpan(int spanSteps, float[] x, int xOffset, int[] lengths) {
        int capacity = shape.capacity();
        if (spanSteps < 1 || spanSteps > capacity) {
            throw new IllegalArgumentException("steps must be in 1 … " + capacity + " (this runner's capacity), got "
                    + spanSteps);
        }
        if (shape.readsFromEnd() && window.steps() > 0) {
            throw new IllegalStateException("a " + shape.direction().label() + " model reads its whole sequence in one"
                    + " advance: call reset (or detach) before the next");
        }
        int b = window.batch();
        int inputSize = shape.inputSize();
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
                if (window.ended(n) && lengths[n] > 0) {
                    throw new IllegalArgumentException("lengths[" + n + "] = " + lengths[n] + ", but sequence " + n
                            + " ended in an earlier span (padding is only allowed at the end of a sequence)");
                }
            }
        }
    }

    private float[] dInput() {
        if (dInput == null) {
            dInput = shape.rows(shape.inputSize(), "steps × batch × inputSize");
        }
        return dInput;
    }

    private void requireReset() {
        if (window.batch() < 0) {
            throw new IllegalStateException("call reset(batch, initialStates) first");
        }
    }
}
