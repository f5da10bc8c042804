package dev.elman.simd;

/**
 * How a recurrent pass shares its work with a team: the choice {@link VectorKernels} makes from
 * the team's size and the span's shape. Whatever it chooses, the result is the one-thread result
 * bit for bit (see {@link RegisterTiles}); the choice only decides the speed.
 */
enum SpanSplit {
    /** The caller alone. */
    NONE,
    /**
     * By sequences: each participant runs the whole recurrence of a fixed slice of the batch, with
     * no synchronisation per step.
     */
    BATCH,
    /**
     * By hidden units: each participant computes a fixed slice of the columns of every step's
     * product (its panels of {@code Wh} stay in its core's cache), and the step ends at a barrier
     * that publishes the new state.
     */
    ROWS;

    /** The fewest sequences per participant of a batch split: below it, the row split or none. */
    static final int MIN_SLICE_SEQUENCES = 4;
    /**
     * The fewest multiply-adds a split pass must have ({@code T·B·H·(I+H)}): below it, waking the
     * team costs more than the work it shares. Measured on one-step spans (a stream group's
     * blocks of 32 streams): at 2¹⁸ (B = 32, H = 64, 4 µs of work) two threads were slower than
     * one; from 2²⁰ (B = 32, H = 128; B = 8, H = 256) faster.
     */
    static final long MIN_SPLIT_WORK = 1L << 19;
    /**
     * The smallest hidden size of a row split: a step must take long enough for a barrier per step
     * to pay (and {@code Wh} large enough that halving it per core helps the cache).
     */
    static final int MIN_ROW_SPLIT_HIDDEN = 512;

    /**
     * The split of a span of this shape over a team of {@code threads} participants.
     *
     * @param threads the team's size
     * @param steps T
     * @param batch B
     * @param inputSize I
     * @param hiddenSize H
     * @return how to split
     */
    static SpanSplit choose(int threads, int steps, int batch, int inputSize, int hiddenSize) {
        SpanSplit chosen = chooseByShape(threads, steps, batch, inputSize, hiddenSize);
        if (chosen == NONE || FORCED == null) {
            return chosen;
        }
        return FORCED == ROWS && columnBlocks(hiddenSize) < 2 ? chosen : FORCED;
    }

    /**
     * {@code -Delman.simd.split=batch|rows|none} forces a split wherever one is possible, for
     * measuring one against the other; unset (or {@code auto}) the shape decides.
     */
    private static final SpanSplit FORCED = forced(System.getProperty("elman.simd.split", "auto"));

    private static SpanSplit forced(String value) {
        return switch (value) {
            case "auto" -> null;
            case "batch" -> BATCH;
            case "rows" -> ROWS;
            case "none" -> NONE;
            default -> throw new IllegalArgumentException("elman.simd.split: expected auto, batch, rows or none, got '"
                    + value + "'");
        };
    }

    private static SpanSplit chooseByShape(int threads, int steps, int batch, int inputSize, int hiddenSize) {
        if (threads < 2 || (long) steps * batch * hiddenSize * (inputSize + hiddenSize) < MIN_SPLIT_WORK) {
            return NONE;
        }
        if (batch >= 2 * MIN_SLICE_SEQUENCES) {
            return BATCH;
        }
        if (hiddenSize >= MIN_ROW_SPLIT_HIDDEN && columnBlocks(hiddenSize) >= 2) {
            return ROWS;
        }
        return NONE;
    }

    /** @return the number of {@link Gemm#COLUMN_BLOCK}-wide blocks the hidden units make */
    static int columnBlocks(int hiddenSize) {
        return (hiddenSize + Gemm.COLUMN_BLOCK - 1) / Gemm.COLUMN_BLOCK;
    }

    /** @return the first of {@code count} items of participant {@code p} of {@code n}, in fixed equal shares */
    static int shareStart(int p, int n, int count) {
        return (int) ((long) p * count / n);
    }

    /**
     * @return the first hidden unit of participant {@code p} of {@code n}'s share of whole column
     *     blocks ({@code hiddenSize} for the end)
     */
    static int columnStart(int p, int n, int hiddenSize) {
        return Math.min(hiddenSize, shareStart(p, n, columnBlocks(hiddenSize)) * Gemm.COLUMN_BLOCK);
    }
}
