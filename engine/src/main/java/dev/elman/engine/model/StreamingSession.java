package dev.elman.engine.model;

import dev.elman.kernels.HeadWeights;
import dev.elman.kernels.RecurrentKernels;
import dev.elman.kernels.Team;
import dev.elman.kernels.Workspace;
import dev.elman.kernels.WorkspacePurpose;

import java.util.Arrays;
import java.util.List;

/**
 * One stream of inputs fed to a unidirectional model one step at a time, the recurrent state kept
 * between steps: {@code step(x_t)} returns {@code y_t} and leaves {@code h_t} in
 * {@link #hidden(int)}.
 *
 * <p>Every buffer is allocated when the session is made; {@link #step} allocates nothing. Running a
 * sequence step by step gives the outputs of {@link Model#forward} on the whole sequence, up to the
 * rounding of the state to float32 between steps.
 *
 * <h2>Non-finite results</h2>
 * A step whose new state (of any layer) or output would hold NaN or an infinity — finite inputs
 * and weights can still leave float32's range, e.g. a relu model fed {@code 1e37} — throws a
 * {@link NonFiniteException} naming the step, the layer (or the output) and the unit, and leaves
 * the session exactly as it was before the step: state, output and step count. A non-finite input
 * is refused before the step, as an {@link IllegalArgumentException}.
 *
 * <h2>Serving while the model trains</h2>
 * Each step computes with the parameter version the model published at the step's start, every
 * layer and the head alike (see {@link Model}), and {@link #parameterVersion()} says which: a model
 * may be trained on one thread while sessions on others step it, and every step's output is that
 * of one version's parameters, never a mix of two.
 *
 * <h2>Threads</h2>
 * A session belongs to one thread at a time; any number of sessions (on any threads) may share one
 * model, which they only read. A session entered by a second thread while a first is inside
 * ({@link #step}, {@link #reset}, {@link #snapshot}, {@link #restore}) refuses the second with a
 * {@link java.util.ConcurrentModificationException} naming the session and both threads, and the
 * refused call changes nothing: steps are never lost or mixed silently.
 *
 * <p>A step shares its work with the model's team of {@link Model#threads()} threads, which helps a
 * single latency-critical stream with a large hidden size (the kernels decide, by size, whether a
 * step is worth splitting; the result is the same bit for bit either way). The team serves one
 * pass at a time: when many sessions step on many threads at once, the step that finds the team
 * busy runs on its own thread alone, with the same result. It never waits for the team and never
 * blocks, so sessions do not contend for it; they only share its speed-up with whoever gets it
 * first. Many concurrent streams are better served by a model of one thread (or, for throughput,
 * by batching them). The team is read at every step: after {@link Model#setThreads} or
 * {@link Model#close()} the session computes with the model's new team, and its first step then
 * allocates a new workspace, once.
 */
public final class StreamingSession {
    /** The axes and consequence a non-finite step's {@link NonFiniteException} names. */
    private static final List<String> UNIT = List.of("unit");
    private static final List<String> FEATURE = List.of("feature");
    private static final String KEPT = "the session keeps its state from before this step";

    private final Model model;
    private final RecurrentKernels kernels;
    private final StackWeights weights;
    private final EntryGuard guard;
    /** Made with the team it shares steps with; remade when the model's team changes. */
    private Workspace workspace;
    private final int layers;
    private final int hiddenSize;
    private final int inputSize;
    private final float[][] state;
    /** Each layer's new state, kept here until every layer and the output are known to be finite. */
    private final float[][] pending;
    private final float[] output;
    private final float[] pendingOutput;
    private long steps;
    private long parameterVersion;

    StreamingSession(Model model, StackWeights weights) {
        ModelConfig config = model.config();
        if (config.bidirectional()) {
            throw new IllegalArgumentException("a streaming session needs a unidirectional model: the reverse direction of"
                    + " a bidirectional one reads the sequence from its end");
        }
        if (config.direction() == Direction.REVERSE) {
            throw new IllegalArgumentException("a streaming session needs a forward model: a reverse one reads the"
                    + " sequence from its end");
        }
        this.model = model;
        this.weights = weights;
        this.kernels = weights.kernels();
        this.guard = new EntryGuard("StreamingSession@" + Integer.toHexString(System.identityHashCode(this)) + " of "
                + model);
        this.layers = config.layers();
        this.hiddenSize = config.hiddenSize();
        this.inputSize = config.inputSize();
        this.workspace = newWorkspace(weights.team());
        this.state = new float[layers][hiddenSize];
        this.pending = new float[layers][hiddenSize];
        this.output = new float[config.outputWidth()];
        this.pendingOutput = new float[config.outputWidth()];
    }

    private Workspace newWorkspace(Team team) {
        return kernels.newWorkspace(Math.max(inputSize, hiddenSize), hiddenSize, 1, 1, team, WorkspacePurpose.INFERENCE);
    }

    /** @return the model this session runs */
    public Model model() {
        return model;
    }

    /**
     * Feeds one input vector.
     *
     * @param x the input {@code [I]}
     * @return the output {@code y_t} {@code [W]}: the live {@link #output()} array
     * @throws IllegalArgumentException when x has the wrong length or a non-finite value (the state
     *     is then unchanged)
     * @throws NonFiniteException when the new state or the output would not be finite (the session
     *     is then unchanged)
     * @throws java.util.ConcurrentModificationException when another thread is inside this session
     */
    public float[] step(float[] x) {
        if (x == null || x.length != inputSize) {
            throw new IllegalArgumentException("x: expected length " + inputSize + " (inputSize), got "
                    + (x == null ? "null" : String.valueOf(x.length)));
        }
        return step(x, 0);
    }

    /**
     * Feeds one input vector read from a larger array.
     *
     * @param x holds the input {@code [I]} from {@code offset}
     * @param offset where it starts
     * @return the output {@code y_t} {@code [W]}: the live {@link #output()} array
     * @throws IllegalArgumentException when the input does not fit in x or has a non-finite value
     *     (the state is then unchanged)
     * @throws NonFiniteException when the new state or the output would not be finite (the session
     *     is then unchanged)
     * @throws java.util.ConcurrentModificationException when another thread is inside this session
     */
    public float[] step(float[] x, int offset) {
        if (x == null || offset < 0 || (long) offset + inputSize > x.length) {
            throw new IllegalArgumentException("x: expected " + inputSize + " floats (inputSize) from offset " + offset
                    + ", got length " + (x == null ? "null" : String.valueOf(x.length)));
        }
        for (int j = 0; j < inputSize; j++) {
            if (!Float.isFinite(x[offset + j])) {
                throw new IllegalArgumentException("x[" + (offset + j) + "] is " + x[offset + j] + ": inputs must be finite");
            }
        }
        guard.enter("step");
        try {
            WeightVersion version = weights.acquire();
            long number;
            try {
                compute(x, offset, version);
                // Read while held: once released, the version may be reloaded under a new number.
                number = version.number();
            } finally {
                weights.release(version);
            }
            // Every layer and the output are finite: commit the step.
            for (int l = 0; l < layers; l++) {
                System.arraycopy(pending[l], 0, state[l], 0, hiddenSize);
            }
            System.arraycopy(pendingOutput, 0, output, 0, output.length);
            parameterVersion = number;
            steps++;
            return output;
        } finally {
            guard.leave();
        }
    }

    /** One step into {@link #pending} and {@link #pendingOutput}, each checked finite as it is made. */
    private void compute(float[] x, int offset, WeightVersion version) {
        Team team = weights.team();
        if (workspace.team() != team) {
            workspace = newWorkspace(team);
        }
        float[] in = x;
        int inOffset = offset;
        for (int l = 0; l < layers; l++) {
            kernels.forward(version.recurrent(l), workspace, 1, 1, false, in, inOffset, state[l], pending[l], 0, null);
            if (FiniteCheck.firstNonFinite(pending[l], 0, hiddenSize) >= 0) {
                throw FiniteCheck.find(pending[l], 0, UNIT, new int[] {hiddenSize}, null, context(), "the new state of layer " + l,
                        KEPT);
            }
            in = pending[l];
            inOffset = 0;
        }
        HeadWeights head = version.head();
        if (head != null) {
            kernels.headForward(head, 1, pending[layers - 1], 0, pendingOutput, 0);
            if (FiniteCheck.firstNonFinite(pendingOutput, 0, pendingOutput.length) >= 0) {
                throw FiniteCheck.find(pendingOutput, 0, FEATURE, new int[] {pendingOutput.length}, null, context(), "the output", KEPT);
            }
        } else {
            System.arraycopy(pending[layers - 1], 0, pendingOutput, 0, hiddenSize);
        }
    }

    /** Leads a non-finite step's message; built only when a step fails. */
    private String context() {
        return "StreamingSession step " + (steps + 1);
    }

    /**
     * @return the parameter version ({@link Model#parameterVersion()}) the last step computed with,
     *     0 before the first step
     */
    public long parameterVersion() {
        return parameterVersion;
    }

    /** @return the output of the last step, {@code [W]}, live (zeros before the first step) */
    public float[] output() {
        return output;
    }

    /**
     * A layer's current state {@code h_t}.
     *
     * @param layer 0 … L − 1
     * @return the live state {@code [H]}; read it, do not write it (use {@link #restore})
     */
    public float[] hidden(int layer) {
        model.config().checkLayer(layer);
        return state[layer];
    }

    /** @return the steps taken since the session was made or last reset */
    public long steps() {
        return steps;
    }

    /** Returns to the zero state, as a new session. */
    public void reset() {
        guard.enter("reset");
        try {
            for (float[] s : state) {
                Arrays.fill(s, 0f);
            }
            Arrays.fill(output, 0f);
            steps = 0;
        } finally {
            guard.leave();
        }
    }

    /** @return a copy of the current state */
    public StateSnapshot snapshot() {
        guard.enter("snapshot");
        try {
            float[] values = new float[layers * hiddenSize];
            for (int l = 0; l < layers; l++) {
                System.arraycopy(state[l], 0, values, l * hiddenSize, hiddenSize);
            }
            return new StateSnapshot(layers, hiddenSize, steps, values);
        } finally {
            guard.leave();
        }
    }

    /**
     * Continues from a saved state. The next step's output is what it was after the snapshot;
     * {@link #output()} is cleared until then.
     *
     * @param snapshot from this session or one of a model with the same layers and hidden size
     * @throws IllegalArgumentException when the snapshot's shape differs
     */
    public void restore(StateSnapshot snapshot) {
        if (snapshot == null) {
            throw new IllegalArgumentException("snapshot must not be null");
        }
        if (snapshot.layers() != layers || snapshot.hiddenSize() != hiddenSize) {
            throw new IllegalArgumentException("snapshot has " + snapshot.layers() + " layers of " + snapshot.hiddenSize()
                    + " units; this session's model has " + layers + " of " + hiddenSize);
        }
        guard.enter("restore");
        try {
            float[] values = snapshot.valuesView();
            for (int l = 0; l < layers; l++) {
                System.arraycopy(values, l * hiddenSize, state[l], 0, hiddenSize);
            }
            Arrays.fill(output, 0f);
            steps = snapshot.steps();
        } finally {
            guard.leave();
        }
    }
}
