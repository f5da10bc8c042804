package dev.elman.engine.model;

import java.util.Arrays;

/**
 * Feeds a batch to a {@link StackRunner} in consecutive chunks of at most {@code k} steps, each
 * sequence's length clipped to the chunk: the one chunking under {@link Model#gradient} (chunks of
 * the window, detached in between) and truncated-BPTT training ({@code k1} steps between updates,
 * the window sliding over {@code k2}). What happens between chunks is the caller's.
 *
 * <pre>{@code
 * chunks.start(batch, runner);
 * while (chunks.next()) {
 *     // the runner's window ends with steps [chunks.first(), chunks.first() + chunks.steps())
 * }
 * }</pre>
 *
 * <p>Allocates only when a batch of another size arrives. Not thread-safe.
 */
public final class SequenceChunks {
    private final int chunkSteps;
    private SequenceBatch batch;
    private StackRunner runner;
    private int[] lengths;
    private int first;
    private int steps;

    /**
     * A chunking.
     *
     * @param chunkSteps k, the longest chunk, at least 1 ({@code Integer.MAX_VALUE}: the whole batch
     *     at once); the runner's capacity must hold it, or the batch's length if shorter
     * @throws IllegalArgumentException when chunkSteps is below 1
     */
    public SequenceChunks(int chunkSteps) {
        if (chunkSteps < 1) {
            throw new IllegalArgumentException("chunkSteps must be at least 1, got " + chunkSteps);
        }
        this.chunkSteps = chunkSteps;
    }

    /** @return k, the longest chunk */
    public int chunkSteps() {
        return chunkSteps;
    }

    /**
     * Starts a batch: the next {@link #next()} feeds its first chunk.
     *
     * @param batch the sequences
     * @param runner the runner to advance, already {@link StackRunner#reset reset} (or detached) for
     *     the batch's B sequences
     * @throws IllegalArgumentException when an argument is null
     */
    public void start(SequenceBatch batch, StackRunner runner) {
        if (batch == null || runner == null) {
            throw new IllegalArgumentException("batch and runner must not be null");
        }
        this.batch = batch;
        this.runner = runner;
        if (batch.hasPadding() && (lengths == null || lengths.length != batch.batch())) {
            lengths = new int[batch.batch()];
        }
        first = 0;
        steps = 0;
    }

    /**
     * Advances the runner by the next chunk.
     *
     * @return false when the batch had no steps left (the runner is then unchanged)
     * @throws IllegalStateException before {@link #start}
     * @throws IllegalArgumentException when the runner refuses the chunk (see {@link StackRunner#advance})
     */
    public boolean next() {
        if (batch == null) {
            throw new IllegalStateException("call start(batch, runner) first");
        }
        int from = first + steps;
        int total = batch.steps();
        if (from >= total) {
            return false;
        }
        int m = Math.min(chunkSteps, total - from);
        int b = batch.batch();
        int[] clipped = batch.lengthsView();
        if (clipped != null) {
            for (int n = 0; n < b; n++) {
                lengths[n] = Math.clamp(clipped[n] - from, 0, m);
            }
            clipped = lengths;
        }
        runner.advance(m, batch.inputs(), from * b * batch.inputSize(), clipped);
        first = from;
        steps = m;
        return true;
    }

    /** @return the batch's first step in the chunk last fed */
    public int first() {
        return first;
    }

    /** @return the steps of the chunk last fed */
    public int steps() {
        return steps;
    }

    /**
     * Zeroes the rows of the chunk last fed that are padding (past their sequence's end), e.g. in
     * an output gradient: padding outputs are constants.
     *
     * @param rows {@code [steps][B][width]} from {@code offset}
     * @param offset where the chunk's rows start
     * @param width the width of a row, at least 1
     * @throws IllegalStateException before {@link #start}
     * @throws IllegalArgumentException when the chunk's rows do not fit in {@code rows}
     */
    public void zeroPadding(float[] rows, int offset, int width) {
        if (batch == null) {
            throw new IllegalStateException("call start(batch, runner) first");
        }
        int b = batch.batch();
        long count = (long) steps * b * width;
        if (width < 1 || rows == null || offset < 0 || offset + count > rows.length) {
            throw new IllegalArgumentException("rows: expected " + count + " floats (steps × batch × width = " + steps
                    + " × " + b + " × " + width + ") from offset " + offset + ", got "
                    + (rows == null ? "null" : "length " + rows.length));
        }
        if (!batch.hasPadding()) {
            return;
        }
        for (int t = 0; t < steps; t++) {
            for (int n = 0; n < b; n++) {
                if (t >= lengths[n]) {
                    int row = offset + (t * b + n) * width;
                    Arrays.fill(rows, row, row + width, 0f);
                }
            }
        }
    }
}
