package dev.elman.engine.model;

import dev.elman.engine.KernelSelection;
import dev.elman.engine.parallel.Parallelism;
import dev.elman.engine.parallel.ThreadTeam;
import dev.elman.kernels.HeadWeights;
import dev.elman.kernels.RecurrentKernels;
import dev.elman.kernels.RecurrentWeights;
import dev.elman.kernels.Team;
import dev.elman.kernels.WeightPrecision;
import dev.elman.kernels.WorkspacePurpose;

import java.util.Arrays;
import java.util.List;

/**
 * An Elman network: a {@link ModelConfig}, its {@link Parameters} and the kernels that compute with
 * them.
 *
 * <h2>Parameters</h2>
 * {@link #parameters()} is the live, writable set of named tensors (see {@link ParameterNames}):
 * the master copy, written by whoever owns the model (e.g. its trainer). The kernels compute with
 * packed copies, made by {@link #loadParameters()}: after writing parameters, call it once, and
 * passes that start afterwards see the new values. Initialisers, {@link #withParameters} and the
 * trainer do this themselves.
 *
 * <h2>Versions: serving while training</h2>
 * Each {@link #loadParameters()} packs the values into a spare set of kernel holders and then
 * publishes the whole set at once as the next {@linkplain #parameterVersion() version}. A pass —
 * a {@link StreamingSession#step}, a runner's {@code advance} or {@code backward}, a whole
 * {@link #forward} or {@link #gradient} — takes the version published at its start and computes
 * with it to its end, every layer and the head alike. So a model may be served on some threads
 * while another trains it (online learning): every step sees the parameters of one update, the
 * old or the new, never a mix. The cost is memory, not time: a second set of packed weights (more
 * only while passes still hold older versions), and loading stays one repack per update.
 * {@link #parameters()}, {@link #copy()} and {@link #spectralRadius} read the master copy, which a
 * trainer writes in place: use them on the training thread (e.g. from a training listener) or
 * between training calls.
 *
 * <h2>Threads</h2>
 * Passes only read a model, so any number of threads may run {@link #forward}, {@link #gradient},
 * {@link StreamingSession sessions} and {@link StackRunner runners} on one model at once, each with
 * its own session or runner, while at most one thread writes and loads its parameters. A session
 * or runner is one thread's at a time: one entered by a second thread while the first is inside
 * refuses the second with a {@link java.util.ConcurrentModificationException} rather than lose or
 * mix steps.
 *
 * <h2>Inference precision</h2>
 * A model computes with float32 weights unless made by {@link #withInferencePrecision}: such a
 * model stores its recurrent weights {@code Wx}, {@code Wh} in {@link WeightPrecision#BF16} or
 * {@link WeightPrecision#INT8} for its forward passes ({@link #forward}, sessions, stream groups,
 * runners' {@code advance}), rounded from its float32 {@link #parameters()} at every
 * {@link #loadParameters()}; biases, the head, states and every sum stay float32. It is for
 * inference: {@link #gradient}, a runner's {@code backward} and training refuse it with an
 * {@link IllegalStateException}. Its parameters, and a file it is saved to, are the float32
 * values, so a model saved from it is the float32 model.
 *
 * <h2>Its team of threads</h2>
 * A model computes with a team of {@link #threads()} threads: every pass of its runners, sessions,
 * {@code forward}, {@code gradient} and training may split its work over the team, the calling
 * thread being one of them. The results do not depend on the number: outputs, states and gradients
 * are those of one thread, bit for bit. A new model starts with
 * {@link Parallelism#defaultThreads()} threads: {@code -Delman.threads=N}, and one thread when it
 * is not set, since a server's many callers already share its cores (see {@link Parallelism}).
 * {@link #setThreads} changes the number; a model of more than one thread owns
 * {@code threads − 1} worker threads, which spin briefly after a pass and then park.
 *
 * <p>The team serves one pass at a time. When many threads use one model at once, the pass that
 * finds the team busy with another runs on its caller's thread alone, with the same result: it
 * never waits, never blocks and is never wrong. So concurrent callers do not contend for the team;
 * a server of many concurrent requests is served as well by a model of one thread, and a team pays
 * off for the few large passes or single latency-critical streams that run alone.
 *
 * <p>{@link #close()} stops the workers. A closed model keeps working on its callers' threads alone
 * ({@code threads()} is then 1), so a runner or session still in use after the model is closed
 * computes on, correctly; {@code setThreads} may start a new team, which {@code close} stops again.
 * Close a model of more than one thread when done with it; the workers are daemon threads, so a
 * forgotten model does not keep the JVM from exiting.
 */
public final class Model implements AutoCloseable {
    /** The axes of the arrays {@link NonFiniteException}s name: rows of outputs or inputs, states, tensors. */
    private static final List<String> ROW_AXES = List.of("step", "sequence", "feature");
    private static final List<String> UNIT_AXES = List.of("step", "sequence", "unit");
    private static final List<String> STATE_AXES = List.of("layer·direction", "sequence", "unit");
    private static final List<String> MATRIX_AXES = List.of("row", "column");
    private static final List<String> INDEX_AXES = List.of("index");

    private final ModelConfig config;
    private final RecurrentKernels kernels;
    private final Parameters parameters;
    /** The published versions of the packed weights, handed to every runner and session once. */
    private final StackWeights weights;
    /** The parameter arrays each kernel holder loads from, resolved once so that loading allocates nothing. */
    private final float[][] wx;
    private final float[][] wh;
    private final float[][] b;
    private final float[] wy;
    private final float[] by;
    /** How the recurrent weights are stored for the passes: f32, or a reduced precision for inference. */
    private final WeightPrecision precision;
    /** The workers of a team of more than one thread; null while the model computes on one thread. */
    private ThreadTeam team;

    private Model(Parameters parameters, RecurrentKernels kernels, int threads) {
        this(parameters, kernels, threads, WeightPrecision.F32);
    }

    private Model(Parameters parameters, RecurrentKernels kernels, int threads, WeightPrecision precision) {
        this.config = parameters.config();
        this.kernels = kernels;
        this.parameters = parameters;
        this.precision = precision;
        int directions = config.directions();
        int count = config.layers() * directions;
        this.wx = new float[count][];
        this.wh = new float[count][];
        this.b = new float[count][];
        for (int l = 0; l < config.layers(); l++) {
            for (int d = 0; d < directions; d++) {
                int k = l * directions + d;
                boolean reverse = d == 1;
                wx[k] = parameters.get(ParameterNames.inputWeights(l, reverse)).data();
                wh[k] = parameters.get(ParameterNames.recurrentWeights(l, reverse)).data();
                b[k] = config.bias() ? parameters.get(ParameterNames.bias(l, reverse)).data() : null;
            }
        }
        if (config.hasHead()) {
            this.wy = parameters.get(ParameterNames.HEAD_WEIGHTS).data();
            this.by = config.headBias() ? parameters.get(ParameterNames.HEAD_BIAS).data() : null;
        } else {
            this.wy = null;
            this.by = null;
        }
        this.weights = new StackWeights(kernels, config, precision);
        loadParameters();
        setThreads(threads);
    }

    /**
     * A new model on the JVM's {@linkplain KernelSelection#kernels() selected kernels}, initialised.
     *
     * @param config the shape
     * @param initialization how to draw the parameters
     * @param seed the random seed; the same seed gives the same parameters
     * @return the model
     * @throws IllegalArgumentException when an argument is null
     */
    public static Model create(ModelConfig config, Initialization initialization, long seed) {
        return create(config, initialization, seed, KernelSelection.kernels());
    }

    /**
     * A new model on the given kernels, initialised.
     *
     * @param config the shape
     * @param initialization how to draw the parameters
     * @param seed the random seed; the same seed gives the same parameters
     * @param kernels the implementation to compute with
     * @return the model
     * @throws IllegalArgumentException when an argument is null
     */
    public static Model create(ModelConfig config, Initialization initialization, long seed, RecurrentKernels kernels) {
        requireNonNull("config", config);
        requireNonNull("initialization", initialization);
        requireNonNull("kernels", kernels);
        Parameters parameters = Parameters.zeros(config);
        initialization.apply(parameters, seed);
        return new Model(parameters, kernels, Parallelism.defaultThreads());
    }

    /**
     * A model with given parameter values (copied), on the JVM's selected kernels.
     *
     * @param parameters the values, e.g. read from a file into {@link Parameters#zeros}
     * @return the model
     * @throws IllegalArgumentException when parameters is null or holds a non-finite value
     */
    public static Model withParameters(Parameters parameters) {
        return withParameters(parameters, KernelSelection.kernels());
    }

    /**
     * A model with given parameter values (copied), on the given kernels.
     *
     * @param parameters the values
     * @param kernels the implementation to compute with
     * @return the model
     * @throws IllegalArgumentException when an argument is null or a parameter value is not finite
     */
    public static Model withParameters(Parameters parameters, RecurrentKernels kernels) {
        requireNonNull("parameters", parameters);
        requireNonNull("kernels", kernels);
        return new Model(parameters.copy(), kernels, Parallelism.defaultThreads());
    }

    /** @return the shape */
    public ModelConfig config() {
        return config;
    }

    /** @return the kernels this model computes with */
    public RecurrentKernels kernels() {
        return kernels;
    }

    /**
     * The live, writable parameters; writes take effect at the next {@link #loadParameters()}.
     *
     * @return the named tensors
     */
    public Parameters parameters() {
        return parameters;
    }

    /**
     * Loads the current parameter values into the kernels, after checking every one is finite, and
     * publishes them as the next {@linkplain #parameterVersion() version}: passes that start
     * afterwards compute with them, passes already running finish with the version they started
     * with. Nothing is loaded or published when a value is not finite.
     *
     * <p>Safe to call while other threads run passes on the model; calls are serialised. After the
     * first update it allocates nothing unless passes still hold every older version (then it makes
     * one more set of holders, which is kept for reuse).
     *
     * @throws IllegalArgumentException naming the first tensor and index holding NaN or an infinity,
     *     or for a reduced {@linkplain #inferencePrecision() precision} the first recurrent weight it
     *     cannot store (a bfloat16 overflow), with its value
     */
    public synchronized void loadParameters() {
        parameters.checkFinite("parameter");
        if (precision != WeightPrecision.F32) {
            // Checked here, before any holder is loaded, rather than left to RecurrentWeights.load: its
            // message names the kernel's arrays ("wx[12]"), the user needs the model's tensor
            // ("wx_l1_reverse[12]"), and a failure part-way through a spare must not be half-loaded.
            int directions = config.directions();
            for (int k = 0; k < wx.length; k++) {
                int layer = k / directions;
                boolean reverse = k % directions == 1;
                precision.checkRepresentable(ParameterNames.inputWeights(layer, reverse), wx[k]);
                precision.checkRepresentable(ParameterNames.recurrentWeights(layer, reverse), wh[k]);
            }
        }
        WeightVersion spare = weights.spare();
        for (int k = 0; k < wx.length; k++) {
            spare.recurrent(k).load(wx[k], wh[k], b[k]);
        }
        if (spare.head() != null) {
            spare.head().load(wy, by);
        }
        weights.publish(spare);
    }

    /**
     * The version of the parameters passes start with now: 1 for the model's first parameters,
     * one more for every {@link #loadParameters()} (every training update). A session's
     * {@link StreamingSession#parameterVersion()} says which version its last step used.
     *
     * @return the published version number
     */
    public long parameterVersion() {
        return weights.published().number();
    }

    /**
     * @return an independent model with a copy of these parameters, on the same kernels, in the same
     *     {@linkplain #inferencePrecision() precision}, with a team of its own of the same number of threads
     */
    public Model copy() {
        return new Model(parameters.copy(), kernels, threads(), precision);
    }

    /**
     * An independent model with a copy of these parameters, on other kernels (e.g. the reference,
     * to compare against).
     *
     * @param otherKernels the implementation the copy computes with
     * @return the copy, in the same {@linkplain #inferencePrecision() precision}, with a team of its own
     *     of the same number of threads
     */
    public Model copy(RecurrentKernels otherKernels) {
        requireNonNull("otherKernels", otherKernels);
        return new Model(parameters.copy(), otherKernels, threads(), precision);
    }

    /**
     * An independent model with a copy of these parameters, on the same kernels and with a team of
     * the same number of threads, whose recurrent weights are stored in {@code precision} for
     * inference (see "Inference precision" above). Its outputs differ from this model's by what the
     * rounding of the weights causes, bounded by {@link WeightPrecision#bound()} propagated through
     * the layers.
     *
     * @param precision the storage of {@code Wx} and {@code Wh}; {@link WeightPrecision#F32} gives a
     *     plain {@link #copy()}
     * @return the copy
     * @throws IllegalArgumentException when precision is null, or a weight cannot be stored in it
     *     (a bfloat16 overflow), naming the tensor and index
     */
    public Model withInferencePrecision(WeightPrecision precision) {
        requireNonNull("precision", precision);
        return new Model(parameters.copy(), kernels, threads(), precision);
    }

    /**
     * @return how the recurrent weights are stored for this model's passes: {@link WeightPrecision#F32}
     *     unless it was made by {@link #withInferencePrecision}
     */
    public WeightPrecision inferencePrecision() {
        return precision;
    }

    /**
     * Fails when this model is for inference only (a reduced precision).
     *
     * @param what the operation refused, for the message
     * @throws IllegalStateException when {@link #inferencePrecision()} is not f32
     */
    void requireTrainable(String what) {
        if (precision != WeightPrecision.F32) {
            throw new IllegalStateException(what + ": this model computes with " + precision.label()
                    + " weights, which are for inference; compute gradients and train on the f32 model"
                    + " (the one withInferencePrecision was called on)");
        }
    }

    /** @return the number of threads the model's passes share their work with, its callers' included */
    public int threads() {
        return weights.team().threads();
    }

    /**
     * Sets the number of threads the model's passes share their work with, the calling thread
     * included: replaces the model's team (stopping the old one's workers) and, for more than one
     * thread, starts {@code threads − 1} new workers. Runners and sessions made earlier use the new
     * team from their next pass on. Setting the current number does nothing. Unlike
     * {@link #loadParameters()}, it must not run while another thread runs a pass on this model
     * (that pass may be sharing its work with the team this closes).
     *
     * @param threads 1 to {@value Parallelism#MAX_THREADS}; the results are the same for every number
     * @throws IllegalArgumentException when {@code threads} is out of that range
     */
    public synchronized void setThreads(int threads) {
        Parallelism.checkThreads(threads, "threads");
        if (threads == threads()) {
            return;
        }
        ThreadTeam previous = team;
        team = threads == 1 ? null : new ThreadTeam(threads);
        weights.team(team == null ? Team.SOLO : team);
        if (previous != null) {
            previous.close();
        }
    }

    /**
     * Stops the team's worker threads and waits for them to exit; the model then computes on its
     * callers' threads alone ({@link #threads()} is 1), with the same results. Closing again, or
     * closing a model of one thread, does nothing. Like {@link #setThreads}, it must not run while
     * another thread runs a pass on this model.
     */
    @Override
    public synchronized void close() {
        setThreads(1);
    }

    /**
     * The kernels' packed weights of one layer and direction in the published version, for code
     * that calls the kernels directly. Read-only: change parameters through {@link #parameters()}.
     * A later {@link #loadParameters()} publishes other holders (and may reload these once no pass
     * of the model's holds them), so fetch them again after an update, and do not call the kernels
     * with them while another thread loads parameters.
     *
     * @param layer 0 … L − 1
     * @param reverse the reverse direction of a bidirectional layer (a {@link Direction#REVERSE}
     *     model's one direction is {@code false})
     * @return the loaded weights
     */
    public RecurrentWeights recurrentWeights(int layer, boolean reverse) {
        return weights.published().recurrent(layerDirection(layer, reverse));
    }

    /**
     * @return the head's packed weights in the published version (see
     *     {@link #recurrentWeights}), or null when the model has no head
     */
    public HeadWeights headWeights() {
        return weights.published().head();
    }

    /**
     * The spectral radius {@code max |λ|} of a layer's {@code Wh}, from its eigenvalues (Commons
     * Math's {@code EigenDecomposition}, in double).
     *
     * @param layer 0 … L − 1
     * @param reverse the reverse direction of a bidirectional layer
     * @return the spectral radius of the current parameter values
     */
    public double spectralRadius(int layer, boolean reverse) {
        layerDirection(layer, reverse);
        return Spectra.spectralRadius(parameters.get(ParameterNames.recurrentWeights(layer, reverse)).data(),
                config.hiddenSize());
    }

    /**
     * Runs the model over a batch from zero initial states.
     *
     * @param batch the inputs
     * @return the outputs and final states
     * @throws IllegalArgumentException when the batch's input size is not the model's
     */
    public ForwardResult forward(SequenceBatch batch) {
        return forward(batch, null);
    }

    /**
     * Runs the model over a batch. Each sequence's result is what running it alone would give:
     * padding steps neither change its state nor produce output (their outputs are zero).
     *
     * @param batch the inputs
     * @param initialStates {@code [L·D][B][H]} (PyTorch's {@code h_0} layout; a reverse direction's
     *     initial state is where it starts, at the sequence's last real step), or null for zeros
     * @return the outputs and final states
     * @throws IllegalArgumentException when the batch's input size is not the model's or the states
     *     have the wrong length or a non-finite value
     * @throws NonFiniteException when an output or a state of any layer is not finite (the values
     *     left float32's range), naming which, how many and the first one's step, sequence and index
     */
    public ForwardResult forward(SequenceBatch batch, float[] initialStates) {
        checkBatch(batch);
        checkInitialStates(initialStates);
        int steps = batch.steps();
        int b = batch.batch();
        StackRunner runner = new StackRunner(this, weights, steps, b, WorkspacePurpose.INFERENCE);
        runner.reset(b, initialStates);
        runner.hold();
        try {
            SequenceChunks whole = new SequenceChunks(steps);
            whole.start(batch, runner);
            whole.next();
            requireFinite(runner, 0, steps, b, "Model.forward", "no result was returned");
            int width = config.outputWidth();
            float[] output = Arrays.copyOf(runner.output(), steps * b * width);
            whole.zeroPadding(output, 0, width);
            float[] finalStates = new float[config.layers() * config.directions() * b * config.hiddenSize()];
            runner.finalStates(finalStates);
            return new ForwardResult(output, steps, b, width, finalStates, config.hiddenSize());
        } finally {
            runner.letGo();
        }
    }

    /**
     * Backpropagation of a loss through the model: given {@code dL/dy} for every output, the
     * gradient of every parameter, of the inputs and of the initial states.
     *
     * <p>With {@code window ≥ T} this is full backpropagation through time. With a smaller window
     * the sequence runs in chunks of {@code window} steps, the state carried forward from chunk to
     * chunk but detached (no gradient crosses a chunk boundary), and the parameter gradients are
     * summed over the chunks; {@code dL/dh0} is then the first chunk's. Padding outputs are
     * constants (zero), so their entries of {@code outputGradient} are ignored.
     *
     * @param batch the inputs
     * @param initialStates {@code [L·D][B][H]}, or null for zeros
     * @param outputGradient {@code dL/dy}, {@code [T][B][W]}
     * @param window the chunk length, at least 1; {@code Integer.MAX_VALUE} (or anything ≥ T) for full BPTT
     * @return the gradients
     * @throws IllegalArgumentException when a shape does not fit, a value of the initial states or
     *     the output gradient is not finite, or a bidirectional model is given a window shorter than
     *     the sequence (its reverse direction needs the whole sequence)
     * @throws NonFiniteException when a state, an output or a gradient is not finite (the values
     *     left float32's range), naming which, how many and where the first one is
     * @throws IllegalStateException when the model is for inference only ({@link #withInferencePrecision})
     */
    public GradientResult gradient(SequenceBatch batch, float[] initialStates, float[] outputGradient, int window) {
        requireTrainable("Model.gradient");
        checkBatch(batch);
        checkInitialStates(initialStates);
        int steps = batch.steps();
        int b = batch.batch();
        int width = config.outputWidth();
        long expected = (long) steps * b * width;
        if (outputGradient == null || outputGradient.length != expected) {
            throw new IllegalArgumentException("outputGradient: expected length " + expected + " (steps × batch × width = "
                    + steps + " × " + b + " × " + width + "), got "
                    + (outputGradient == null ? "null" : String.valueOf(outputGradient.length)));
        }
        for (int i = 0; i < outputGradient.length; i++) {
            if (!Float.isFinite(outputGradient[i])) {
                throw new IllegalArgumentException("outputGradient[" + i + "] is " + outputGradient[i]
                        + ": an output gradient must be finite");
            }
        }
        if (window < 1) {
            throw new IllegalArgumentException("window must be at least 1, got " + window);
        }
        if (config.direction() != Direction.FORWARD && window < steps) {
            throw new IllegalArgumentException("window " + window + " is shorter than the sequence (" + steps
                    + " steps): a " + config.direction().label() + " model's reverse direction needs the whole"
                    + " sequence, so it has no truncated gradient");
        }
        int chunk = Math.min(window, steps);
        StackRunner runner = new StackRunner(this, weights, chunk, b, WorkspacePurpose.TRAINING);
        runner.reset(b, initialStates);
        ModelGradients gradients = new ModelGradients(config);
        int inputSize = config.inputSize();
        float[] dInput = new float[steps * b * inputSize];
        float[] dInitial = new float[config.layers() * config.directions() * b * config.hiddenSize()];
        String context = "Model.gradient";
        String consequence = "no result was returned";
        runner.hold();
        try {
            SequenceChunks chunks = new SequenceChunks(chunk);
            chunks.start(batch, runner);
            while (chunks.next()) {
                int start = chunks.first();
                int m = chunks.steps();
                requireFinite(runner, start, m, b, context, consequence);
                float[] dy = runner.outputGradient();
                System.arraycopy(outputGradient, start * b * width, dy, 0, m * b * width);
                chunks.zeroPadding(dy, 0, width);
                runner.backward(m, gradients, true, false);
                System.arraycopy(runner.inputGradient(), 0, dInput, start * b * inputSize, m * b * inputSize);
                if (start == 0) {
                    System.arraycopy(runner.initialStateGradient(), 0, dInitial, 0, dInitial.length);
                }
                runner.detach();
            }
        } finally {
            runner.letGo();
        }
        Parameters dParameters = gradients.parameters();
        for (int i = 0; i < dParameters.count(); i++) {
            int[] shape = dParameters.get(i).shape();
            FiniteCheck.require(dParameters.get(i).data(), 0, shape.length == 1 ? INDEX_AXES : MATRIX_AXES, shape, null,
                    context, "the gradient of " + dParameters.names().get(i), consequence);
        }
        FiniteCheck.require(dInput, 0, ROW_AXES, new int[] {steps, b, inputSize}, null, context,
                "the gradient of the input", consequence);
        FiniteCheck.require(dInitial, 0, STATE_AXES,
                new int[] {config.layers() * config.directions(), b, config.hiddenSize()}, null, context,
                "the gradient of the initial states", consequence);
        return new GradientResult(gradients, dInput, dInitial);
    }

    /**
     * Fails unless the runner's window (steps {@code first … first + steps − 1} of the sequence)
     * holds finite outputs and finite states in every layer and direction: the outputs first (what
     * a caller sees), then the states, which a saturating layer above may have hidden from them.
     */
    private void requireFinite(StackRunner runner, int first, int steps, int b, String context, String consequence) {
        int[] origin = {first, 0, 0};
        FiniteCheck.require(runner.output(), 0, ROW_AXES, new int[] {steps, b, config.outputWidth()}, origin, context,
                "the output", consequence);
        int[] stateDims = {steps, b, config.hiddenSize()};
        for (int l = 0; l < config.layers(); l++) {
            for (int d = 0; d < config.directions(); d++) {
                FiniteCheck.require(runner.hidden(l, d == 1), 0, UNIT_AXES, stateDims, origin, context,
                        "the state of layer " + l + (d == 1 ? " (reverse direction)" : ""), consequence);
            }
        }
    }

    private void checkInitialStates(float[] initialStates) {
        if (initialStates == null) {
            return;
        }
        for (int i = 0; i < initialStates.length; i++) {
            if (!Float.isFinite(initialStates[i])) {
                throw new IllegalArgumentException("initialStates[" + i + "] is " + initialStates[i]
                        + ": a state must be finite");
            }
        }
    }

    /**
     * A streaming session: one stream, one step at a time, its state kept between steps.
     *
     * @return a new session at the zero state
     * @throws IllegalArgumentException when the model is bidirectional (its reverse direction needs
     *     the whole sequence first)
     */
    public StreamingSession newSession() {
        return new StreamingSession(this, weights);
    }

    /**
     * A stream group: up to {@code capacity} independent streams, any subset of them stepped
     * together as one batched step (see {@link StreamGroup}).
     *
     * @param capacity the most streams it holds at once, at least 1
     * @return a new, empty group
     * @throws IllegalArgumentException when the capacity is below 1, or the model is bidirectional
     *     or reverse (a reverse direction needs the whole sequence first)
     */
    public StreamGroup newStreamGroup(int capacity) {
        return new StreamGroup(this, weights, capacity);
    }

    /**
     * A runner for spans of up to {@code maxSteps} steps and {@code maxBatch} sequences, for code
     * that drives forward and backward passes itself (training loops, tools).
     *
     * @param maxSteps the longest span (window) it holds
     * @param maxBatch the largest batch
     * @return a new runner, for one thread at a time
     */
    public StackRunner newRunner(int maxSteps, int maxBatch) {
        return newRunner(maxSteps, maxBatch, WorkspacePurpose.TRAINING);
    }

    /**
     * {@link #newRunner(int, int)} for one purpose: a runner made for
     * {@link WorkspacePurpose#INFERENCE} runs forward passes only ({@link StackRunner#backward}
     * refuses) and its kernel workspace holds none of a backward pass's scratch (with the SIMD
     * kernels {@code T·B·H + H·max(I, H)} floats less). A reduced-precision model's runners are
     * for inference whatever is asked.
     *
     * @param maxSteps the longest span (window) it holds
     * @param maxBatch the largest batch
     * @param purpose the passes it will run
     * @return a new runner, for one thread at a time
     * @throws IllegalArgumentException when purpose is null or a bound is below 1
     */
    public StackRunner newRunner(int maxSteps, int maxBatch, WorkspacePurpose purpose) {
        if (purpose == null) {
            throw new IllegalArgumentException("purpose must not be null (WorkspacePurpose.INFERENCE or TRAINING)");
        }
        return new StackRunner(this, weights, maxSteps, maxBatch, purpose);
    }

    private int layerDirection(int layer, boolean reverse) {
        config.checkLayer(layer);
        if (reverse && !config.bidirectional()) {
            throw new IllegalArgumentException("reverse: this model is unidirectional");
        }
        return layer * config.directions() + (reverse ? 1 : 0);
    }

    private void checkBatch(SequenceBatch batch) {
        requireNonNull("batch", batch);
        if (batch.inputSize() != config.inputSize()) {
            throw new IllegalArgumentException("batch: inputSize " + batch.inputSize() + " does not match the model's "
                    + config.inputSize());
        }
    }

    private static void requireNonNull(String name, Object value) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
    }

    @Override
    public String toString() {
        return "Model[" + config + ", kernels=" + kernels.name()
                + (precision == WeightPrecision.F32 ? "" : ", precision=" + precision.label()) + "]";
    }
}
