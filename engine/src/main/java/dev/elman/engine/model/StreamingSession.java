package dev.elman.engine.model;

import dev.elman.kernels.HeadWeights;
import dev.elman.kernels.RecurrentKernels;
import dev.elman.kernels.Team;
import dev.elman.kernels.Workspace;

import java.util.Arrays;

/**
 * One stream of inputs fed to a unidirectional model one step at a time, the recurrent state kept
 * between steps: {@code step(x_t)} returns {@code y_t} and leaves {@code h_t} in
 * {@link #hidden(int)}.
 *
 * <p>Every buffer is allocated when the session is made; {@link #step} allocates nothing. A session
 * belongs to one thread at a time; any number of sessions (on any threads) may share one model,
 * which they only read. Running a sequence step by step gives the outputs of
 * {@link Model#forward} on the whole sequence, up to the rounding of the state to float32 between
 * steps.
 *
 * <h2>Threads</h2>
 * A step shares its work with the model's team of {@link Model#threads()} threads, which helps a
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
    private final Model model;
    private final RecurrentKernels kernels;
    private final StackWeights weights;
    private final HeadWeights head;
    /** Made with the team it shares steps with; remade when the model's team changes. */
    private Workspace workspace;
    private final int layers;
    private final int hiddenSize;
    private final int inputSize;
    private final float[][] state;
    private final float[] next;
    private final float[] output;
    private long steps;

    StreamingSession(Model model, StackWeights weights) {
        ModelConfig config = model.config();
        if (config.bidirectional()) {
            throw new IllegalArgumentException("a streaming session needs a unidirectional model: the reverse direction of"
                    + " a bidirectional one reads the sequence from its end");
        }
        this.model = model;
        this.weights = weights;
        this.kernels = weights.kernels();
        this.head = weights.head();
        this.layers = config.layers();
        this.hiddenSize = config.hiddenSize();
        this.inputSize = config.inputSize();
        this.workspace = newWorkspace(weights.team());
        this.state = new float[layers][hiddenSize];
        this.next = new float[hiddenSize];
        this.output = new float[config.outputWidth()];
    }

    private Workspace newWorkspace(Team team) {
        return kernels.newWorkspace(Math.max(inputSize, hiddenSize), hiddenSize, 1, 1, team);
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
        Team team = weights.team();
        if (workspace.team() != team) {
            workspace = newWorkspace(team);
        }
        float[] in = x;
        int inOffset = offset;
        for (int l = 0; l < layers; l++) {
            kernels.forward(weights.recurrent(l), workspace, 1, 1, false, in, inOffset, state[l], next, 0, null);
            System.arraycopy(next, 0, state[l], 0, hiddenSize);
            in = state[l];
            inOffset = 0;
        }
        if (head != null) {
            kernels.headForward(head, 1, state[layers - 1], 0, output, 0);
        } else {
            System.arraycopy(state[layers - 1], 0, output, 0, hiddenSize);
        }
        steps++;
        return output;
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
        for (float[] s : state) {
            Arrays.fill(s, 0f);
        }
        Arrays.fill(output, 0f);
        steps = 0;
    }

    /** @return a copy of the current state */
    public StateSnapshot snapshot() {
        float[] values = new float[layers * hiddenSize];
        for (int l = 0; l < layers; l++) {
            System.arraycopy(state[l], 0, values, l * hiddenSize, hiddenSize);
        }
        return new StateSnapshot(layers, hiddenSize, steps, values);
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
        float[] values = snapshot.valuesView();
        for (int l = 0; l < layers; l++) {
            System.arraycopy(values, l * hiddenSize, state[l], 0, hiddenSize);
        }
        Arrays.fill(output, 0f);
        steps = snapshot.steps();
    }
}
