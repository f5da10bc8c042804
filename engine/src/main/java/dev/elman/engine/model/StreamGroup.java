package dev.elman.engine.model;

import dev.elman.kernels.HeadWeights;
import dev.elman.kernels.RecurrentKernels;
import dev.elman.kernels.RecurrentWeights;
import dev.elman.kernels.Team;
import dev.elman.kernels.Workspace;
import dev.elman.kernels.WorkspacePurpose;

import java.util.Arrays;
import java.util.List;

/**
 * Many independent streams over one forward (unidirectional) model, stepped together: one {@link #step}
 * advances any subset of the group's streams by one input each, as one batched step, so every
 * weight the kernels read serves all the streams of the step instead of one. It is what a server
 * of thousands of sensors, sessions or users runs instead of one {@link StreamingSession} per
 * stream: a session's step streams all of {@code Wh} for a single state, which at H = 1024 is
 * bound by memory, not by arithmetic.
 *
 * <h2>Streams</h2>
 * A group has a fixed {@link #capacity()} of slots. {@link #join()} makes a new stream at the zero
 * state and returns its handle, a slot index in {@code 0 … capacity − 1}; {@link #leave} gives the
 * slot back, and a later {@code join} may hand the same number out again, so a handle names a
 * stream only from its join to its leave. Between steps a stream may be {@linkplain #reset reset},
 * {@linkplain #snapshot snapshot} and {@linkplain #restore restored}; snapshots are the
 * {@link StateSnapshot}s of streaming sessions, so a stream moves freely between a group and a
 * session (or another group) of a model with the same layers and hidden size.
 *
 * <h2>A step</h2>
 * {@link #step step(streams, count, inputs, outputs)} steps the first {@code count} handles of
 * {@code streams} — distinct members, in any order, typically those with a new input — reading
 * their inputs from {@code inputs} and writing their outputs to {@code outputs} in that order. The
 * streams not listed keep their states. Each listed stream's output and new state are those of a
 * {@link StreamingSession} fed the same inputs, bit for bit, on both of the engine's kernels,
 * whichever other streams share the step and in whatever order: the
 * {@linkplain dev.elman.reference.ReferenceKernels reference} computes every row of a batch alone
 * in double, and the SIMD kernels sum every element in one fixed order whichever register tile,
 * batch size or thread computes it (the rule that also makes their results independent of the
 * thread count). The group adds no arithmetic of its own, only copies. (A kernel implementation
 * without that property would still agree to float32 rounding: the batch changes only the order
 * of a sum.)
 *
 * <p>A step is validated before it touches anything: a list that names a non-member or a stream
 * twice, arrays too short, or a non-finite input is refused with an
 * {@link IllegalArgumentException} naming it, and changes nothing.
 *
 * <h2>How a step is computed</h2>
 * The states live per stream ({@code [L][H]} per slot), so joining, leaving, snapshots and
 * restores are copies of one stream's row, and a step may list any subset in any order. Per layer,
 * a step gathers the listed streams' previous states into contiguous rows, runs the kernels'
 * forward for one step at B = the listed streams (the SIMD kernels' register tiles then read each
 * weight once for all the rows), and feeds the new rows to the next layer and, after the last, to
 * the head; only when every new state and output is finite are the states scattered back and the
 * outputs copied out. The kernels take a batch's previous states as an array of
 * exactly {@code B·H} floats, so the rows are gathered in blocks of at most 32 streams, each with a
 * buffer of its exact size: a step of more streams makes one pass over a layer's weights per block
 * of 32, each of which still does 32 multiply-adds per weight read (a session's step does one). Keeping states resident in slot order
 * and running on them in place would save the gather, but only for a step of exactly the whole
 * group in slot order; the gather and scatter are {@code 2·L·H} float copies per stream, small
 * beside the {@code 2·H·(I+H)} multiply-adds per layer they feed.
 *
 * <p>Everything is allocated when the group is made: states, one block of new states per 32
 * slots, the block buffers and the kernels' workspace. {@link #step}, {@link #join},
 * {@link #leave}, {@link #reset} and {@link #restore} allocate nothing; {@link #snapshot} and
 * {@link #hidden} allocate the copy they return. Memory is {@code 2·capacity·L·H} floats (the
 * states and a step's new states), {@code capacity·O} more with a head, and the block buffers'
 * {@code K·(K+1)/2·H} for blocks of {@code K = min(32, capacity)} streams (at most {@code 528·H}).
 *
 * <h2>Non-finite results</h2>
 * A step whose new state of any listed stream (in any layer) or output would hold NaN or an
 * infinity — finite inputs and weights can still leave float32's range — throws a
 * {@link NonFiniteException} naming the layer (or the output), the first such stream's handle and
 * unit, and leaves the whole group exactly as it was before the step: every state and step count,
 * and the caller's {@code outputs}. Leave or reset the stream it names, and step the others again.
 *
 * <h2>Serving while the model trains</h2>
 * Each step computes with the parameter version the model published at the step's start, every
 * layer and the head alike, for every stream of the step ({@link #parameterVersion()}).
 *
 * <h2>Threads</h2>
 * A group belongs to one thread at a time, as a session does: a group entered by a second thread
 * while a first is inside ({@link #step}, {@link #join}, {@link #leave}, {@link #reset},
 * {@link #snapshot}, {@link #restore}, {@link #hidden}) refuses the second with a
 * {@link java.util.ConcurrentModificationException}, and the refused call changes nothing. Any
 * number of groups and sessions may share one model. A step shares its work with the model's
 * team of {@link Model#threads()} threads: the kernels split a batch of enough streams between the
 * workers (each runs the recurrence of a fixed slice of the rows) and a small batch of a large
 * layer by hidden units; the results are those of one thread, bit for bit. The team is read at
 * every step: after {@link Model#setThreads} or {@link Model#close()} the next step remakes the
 * workspace for the new team, once (that step allocates).
 */
public final class StreamGroup {
    private static final List<String> UNIT = List.of("stream", "unit");
    private static final List<String> FEATURE = List.of("stream", "feature");
    private static final String KEPT = "every stream of the group keeps its state from before this step";

    private final Model model;
    private final RecurrentKernels kernels;
    private final StackWeights weights;
    private final EntryGuard guard;
    /** Made with the team it shares steps with; remade when the model's team changes. */
    private Workspace workspace;
    private final int layers;
    private final int hiddenSize;
    private final int inputSize;
    private final int outputWidth;
    private final boolean hasHead;
    private final GroupSlots slots;
    private final StepBlocks blocks;
    /** Each slot's states, {@code [L][H]}. */
    private final float[][] states;
    /** Each slot's steps since its join, reset or restore (the restored snapshot's count). */
    private final long[] steps;
    private long groupSteps;
    private long parameterVersion;

    StreamGroup(Model model, StackWeights weights, int capacity) {
        ModelConfig config = model.config();
        if (config.bidirectional()) {
            throw new IllegalArgumentException("a stream group needs a unidirectional model: the reverse direction of"
                    + " a bidirectional one reads the sequence from its end");
        }
        if (config.direction() == Direction.REVERSE) {
            throw new IllegalArgumentException("a stream group needs a forward model: a reverse one reads the sequence"
                    + " from its end");
        }
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1 stream, got " + capacity);
        }
        this.model = model;
        this.weights = weights;
        this.kernels = weights.kernels();
        this.guard = new EntryGuard("StreamGroup@" + Integer.toHexString(System.identityHashCode(this)) + " of "
                + model);
        this.layers = config.layers();
        this.hiddenSize = config.hiddenSize();
        this.inputSize = config.inputSize();
        this.outputWidth = config.outputWidth();
        this.hasHead = config.hasHead();
        this.slots = new GroupSlots(capacity);
        this.blocks = new StepBlocks(capacity, layers, hiddenSize, hasHead ? outputWidth : 0);
        this.states = new float[capacity][layers * hiddenSize];
        this.steps = new long[capacity];
        this.workspace = newWorkspace(weights.team());
    }

    private Workspace newWorkspace(Team team) {
        return kernels.newWorkspace(Math.max(inputSize, hiddenSize), hiddenSize, 1, blocks.rowsPerBlock(), team,
                WorkspacePurpose.INFERENCE);
    }

    /** @return the model this group runs */
    public Model model() {
        return model;
    }

    /** @return the most streams the group holds at once */
    public int capacity() {
        return slots.capacity();
    }

    /** @return the streams that are members now */
    public int size() {
        return slots.size();
    }

    /**
     * @param stream any number
     * @return whether it is the handle of a stream of this group now
     */
    public boolean isMember(int stream) {
        return slots.isMember(stream);
    }

    /**
     * Adds a stream at the zero state, as a new {@link StreamingSession}.
     *
     * @return its handle, {@code 0 … capacity − 1}
     * @throws IllegalStateException when the group is full (the message names the capacity)
     * @throws java.util.ConcurrentModificationException when another thread is inside this group
     */
    public int join() {
        guard.enter("join");
        try {
            int slot = slots.take();
            Arrays.fill(states[slot], 0f);
            steps[slot] = 0;
            return slot;
        } finally {
            guard.leave();
        }
    }

    /**
     * Removes a stream; its handle may be handed out again by a later {@link #join}.
     *
     * @param stream a member's handle
     * @throws IllegalArgumentException when it is not a member
     * @throws java.util.ConcurrentModificationException when another thread is inside this group
     */
    public void leave(int stream) {
        guard.enter("leave");
        try {
            slots.requireMember(stream, "stream");
            slots.give(stream);
        } finally {
            guard.leave();
        }
    }

    /**
     * Returns a stream to the zero state, as a new session.
     *
     * @param stream a member's handle
     * @throws IllegalArgumentException when it is not a member
     * @throws java.util.ConcurrentModificationException when another thread is inside this group
     */
    public void reset(int stream) {
        guard.enter("reset");
        try {
            slots.requireMember(stream, "stream");
            Arrays.fill(states[stream], 0f);
            steps[stream] = 0;
        } finally {
            guard.leave();
        }
    }

    /**
     * @param stream a member's handle
     * @return a copy of its state, restorable here, into another group or into a session
     * @throws IllegalArgumentException when it is not a member
     * @throws java.util.ConcurrentModificationException when another thread is inside this group
     */
    public StateSnapshot snapshot(int stream) {
        guard.enter("snapshot");
        try {
            slots.requireMember(stream, "stream");
            return new StateSnapshot(layers, hiddenSize, steps[stream], states[stream].clone());
        } finally {
            guard.leave();
        }
    }

    /**
     * Continues a stream from a saved state: its next step gives what the snapshotted stream's
     * next step would have given.
     *
     * @param stream a member's handle
     * @param snapshot from any group or session of a model with the same layers and hidden size
     * @throws IllegalArgumentException when the stream is not a member, or the snapshot is null or
     *     of another shape (the stream is then unchanged)
     * @throws java.util.ConcurrentModificationException when another thread is inside this group
     */
    public void restore(int stream, StateSnapshot snapshot) {
        if (snapshot == null) {
            throw new IllegalArgumentException("snapshot must not be null");
        }
        if (snapshot.layers() != layers || snapshot.hiddenSize() != hiddenSize) {
            throw new IllegalArgumentException("snapshot has " + snapshot.layers() + " layers of " + snapshot.hiddenSize()
                    + " units; this group's model has " + layers + " of " + hiddenSize);
        }
        guard.enter("restore");
        try {
            slots.requireMember(stream, "stream");
            System.arraycopy(snapshot.valuesView(), 0, states[stream], 0, layers * hiddenSize);
            steps[stream] = snapshot.steps();
        } finally {
            guard.leave();
        }
    }

    /**
     * A stream's state in one layer.
     *
     * @param stream a member's handle
     * @param layer 0 … L − 1
     * @return a copy of its {@code h_t}, {@code [H]}
     * @throws IllegalArgumentException when the stream is not a member or the layer is out of range
     * @throws java.util.ConcurrentModificationException when another thread is inside this group
     */
    public float[] hidden(int stream, int layer) {
        model.config().checkLayer(layer);
        guard.enter("hidden");
        try {
            slots.requireMember(stream, "stream");
            return Arrays.copyOfRange(states[stream], layer * hiddenSize, (layer + 1) * hiddenSize);
        } finally {
            guard.leave();
        }
    }

    /**
     * @param stream a member's handle
     * @return its steps since it joined or was last reset (or the restored snapshot's count plus
     *     the steps since)
     * @throws IllegalArgumentException when it is not a member
     */
    public long steps(int stream) {
        slots.requireMember(stream, "stream");
        return steps[stream];
    }

    /**
     * @return the parameter version ({@link Model#parameterVersion()}) the last step computed with,
     *     0 before the first step
     */
    public long parameterVersion() {
        return parameterVersion;
    }

    /**
     * Steps the first {@code count} streams of a list by one input each, together.
     *
     * @param streams member handles, distinct, in any order; only the first {@code count} are read
     * @param count how many streams to step, {@code 0 … streams.length} (0 does nothing)
     * @param inputs their inputs, {@code [count][I]} in list order from index 0; longer arrays are
     *     read only that far
     * @param outputs receives their outputs, {@code [count][W]} in list order from index 0 (W the
     *     head's width, or H without a head); floats beyond are left alone
     * @throws IllegalArgumentException when count is out of range, an array is null or too short,
     *     a listed handle is not a member or is listed twice, or an input is not finite (nothing
     *     is then changed)
     * @throws NonFiniteException when a new state or an output would not be finite (nothing is
     *     then changed, the caller's {@code outputs} included)
     * @throws java.util.ConcurrentModificationException when another thread is inside this group
     */
    public void step(int[] streams, int count, float[] inputs, float[] outputs) {
        guard.enter("step");
        try {
            checkStep(streams, count, inputs, outputs);
            if (count == 0) {
                return;
            }
            WeightVersion version = weights.acquire();
            long number;
            try {
                compute(streams, count, inputs, version);
                // Read while held: once released, the version may be reloaded under a new number.
                number = version.number();
            } finally {
                weights.release(version);
            }
            commit(streams, count, outputs);
            parameterVersion = number;
            groupSteps++;
        } finally {
            guard.leave();
        }
    }

    private void checkStep(int[] streams, int count, float[] inputs, float[] outputs) {
        if (streams == null) {
            throw new IllegalArgumentException("streams must not be null");
        }
        if (count < 0 || count > streams.length) {
            throw new IllegalArgumentException("count must be in 0 … " + streams.length + " (streams.length), got "
                    + count);
        }
        requireFloats("inputs", inputs, count, inputSize, "inputSize");
        requireFloats("outputs", outputs, count, outputWidth, "outputWidth");
        slots.requireDistinctMembers(streams, count);
        int end = count * inputSize;
        for (int i = 0; i < end; i++) {
            if (!Float.isFinite(inputs[i])) {
                int row = i / inputSize;
                throw new IllegalArgumentException("inputs[" + i + "] is " + inputs[i] + " (feature " + (i % inputSize)
                        + " of streams[" + row + "] = " + streams[row] + "): inputs must be finite");
            }
        }
    }

    private static void requireFloats(String name, float[] array, int count, int width, String widthName) {
        long needed = (long) count * width;
        if (array == null || array.length < needed) {
            throw new IllegalArgumentException(name + ": expected at least " + needed + " floats (count × " + widthName
                    + " = " + count + " × " + width + "), got " + (array == null ? "null" : "length " + array.length));
        }
    }

    /**
     * The new states and outputs of the listed streams, into the blocks; layer by layer, so that a
     * layer's weights serve every block while they are in cache, and each layer checked finite
     * before the next reads it.
     */
    private void compute(int[] streams, int count, float[] inputs, WeightVersion version) {
        Team team = weights.team();
        if (workspace.team() != team) {
            workspace = newWorkspace(team);
        }
        int blockCount = blocks.blocks(count);
        for (int l = 0; l < layers; l++) {
            RecurrentWeights layer = version.recurrent(l);
            for (int b = 0; b < blockCount; b++) {
                int first = blocks.first(b);
                int rows = blocks.rows(b, count);
                float[] h0 = blocks.gather(states, streams, first, rows, l);
                float[] x = l == 0 ? inputs : blocks.next(b, l - 1);
                int xOffset = l == 0 ? first * inputSize : 0;
                kernels.forward(layer, workspace, 1, rows, false, x, xOffset, h0, blocks.next(b, l), 0, null);
            }
            requireFinite(streams, count, l);
        }
        HeadWeights head = version.head();
        if (head != null) {
            for (int b = 0; b < blockCount; b++) {
                kernels.headForward(head, workspace, blocks.rows(b, count), blocks.next(b, layers - 1), 0,
                        blocks.outputs(b), 0);
            }
            requireFinite(streams, count, -1);
        }
    }

    /** Fails unless layer l's new states (l = −1: the head's outputs) of every block are finite. */
    private void requireFinite(int[] streams, int count, int layer) {
        int blockCount = blocks.blocks(count);
        int width = layer < 0 ? outputWidth : hiddenSize;
        for (int b = 0; b < blockCount; b++) {
            if (FiniteCheck.firstNonFinite(values(b, layer), 0, blocks.rows(b, count) * width) >= 0) {
                throw nonFinite(streams, count, layer, width);
            }
        }
    }

    private float[] values(int block, int layer) {
        return layer < 0 ? blocks.outputs(block) : blocks.next(block, layer);
    }

    /** Describes a layer's (or the output's) non-finite values over the whole step; built only when a step fails. */
    private NonFiniteException nonFinite(int[] streams, int count, int layer, int width) {
        long found = 0;
        float firstValue = 0f;
        int[] position = null;
        for (int b = 0; b < blocks.blocks(count); b++) {
            float[] values = values(b, layer);
            int end = blocks.rows(b, count) * width;
            for (int i = 0; i < end; i++) {
                if (!Float.isFinite(values[i])) {
                    if (found++ == 0) {
                        firstValue = values[i];
                        position = new int[] {streams[blocks.first(b) + i / width], i % width};
                    }
                }
            }
        }
        String quantity = layer < 0 ? "the output" : "the new state of layer " + layer;
        return new NonFiniteException("StreamGroup step " + (groupSteps + 1) + " of " + count + " streams", quantity,
                found, firstValue, layer < 0 ? FEATURE : UNIT, position, KEPT);
    }

    /** Every block is finite: the listed streams take their new states, the caller their outputs. */
    private void commit(int[] streams, int count, float[] outputs) {
        int blockCount = blocks.blocks(count);
        for (int b = 0; b < blockCount; b++) {
            int first = blocks.first(b);
            int rows = blocks.rows(b, count);
            for (int l = 0; l < layers; l++) {
                float[] next = blocks.next(b, l);
                int to = l * hiddenSize;
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(next, r * hiddenSize, states[streams[first + r]], to, hiddenSize);
                }
            }
            for (int r = 0; r < rows; r++) {
                steps[streams[first + r]]++;
            }
            float[] out = hasHead ? blocks.outputs(b) : blocks.next(b, layers - 1);
            System.arraycopy(out, 0, outputs, first * outputWidth, rows * outputWidth);
        }
    }
}
