package dev.elman.engine.model;

/**
 * The buffers a {@link StreamGroup} step computes in: the listed streams cut into blocks of at
 * most {@link #MAX_ROWS} consecutive entries of the list, each block's gathered previous states
 * and its new states and outputs, kept apart from the streams' states until the whole step is
 * known to be finite.
 *
 * <h2>Why blocks, and why exactly these buffers</h2>
 * The kernels take a step's previous state {@code h0} as an array of exactly {@code B·H} floats
 * (see {@link dev.elman.kernels.RecurrentKernels}): a longer array with an offset is refused. A
 * step of any subset of the group therefore needs an {@code h0} array of exactly its size, and
 * holding one for every size up to the capacity would cost {@code capacity²·H/2} floats. Cut into
 * blocks of at most {@code K = MAX_ROWS} rows, a step needs one array per size {@code 1 … K},
 * {@code K·(K+1)/2·H} floats in all (528·H for K = 32, a quarter of a layer's weights at
 * H = 1024), all allocated here, once. The price is one pass over the weights per block rather
 * than one per step; but a block of 32 rows already does 32 multiply-adds per weight it reads,
 * against one in a session's step, so for larger steps the extra passes should matter little beside
 * the arithmetic (and the blocks of one layer run one after the other, while its weights are in
 * cache). Not measured on its own: {@code StreamGroupBenchmark} at 256 streams (8 blocks) includes it.
 *
 * <p>The new states ({@code [rows][H]} per block and layer) and outputs ({@code [rows][W]} per
 * block, with a head) of every block that a step of the whole group could need are allocated here
 * too: {@code capacity·L·H} floats beside the streams' own states, so a step allocates nothing.
 */
final class StepBlocks {
    /**
     * The most streams one block steps together: enough rows that each weight read serves many
     * streams, few enough that an exact {@code h0} buffer for every block size stays small.
     */
    static final int MAX_ROWS = 32;

    private final int hiddenSize;
    private final int rowsPerBlock;
    /** {@code gathered[n]} holds the previous states of a block of {@code n} streams, exactly {@code n·H}. */
    private final float[][] gathered;
    /** {@code next[b][l]}: block b's new states of layer l, {@code [rows][H]}. */
    private final float[][][] next;
    /** {@code outputs[b]}: block b's head outputs, {@code [rows][O]}; null without a head. */
    private final float[][] outputs;

    /**
     * @param capacity the most streams a step lists
     * @param layers L
     * @param hiddenSize H
     * @param outputSize O, the head's width, or 0 without a head
     */
    StepBlocks(int capacity, int layers, int hiddenSize, int outputSize) {
        this.hiddenSize = hiddenSize;
        this.rowsPerBlock = Math.min(MAX_ROWS, capacity);
        this.gathered = new float[rowsPerBlock + 1][];
        for (int n = 1; n <= rowsPerBlock; n++) {
            gathered[n] = new float[n * hiddenSize];
        }
        int blocks = blocks(capacity);
        this.next = new float[blocks][layers][];
        this.outputs = outputSize > 0 ? new float[blocks][] : null;
        for (int b = 0; b < blocks; b++) {
            int rows = rows(b, capacity);
            for (int l = 0; l < layers; l++) {
                next[b][l] = new float[rows * hiddenSize];
            }
            if (outputs != null) {
                outputs[b] = new float[rows * outputSize];
            }
        }
    }

    /** @return the rows of a full block: {@link #MAX_ROWS}, or the capacity when smaller */
    int rowsPerBlock() {
        return rowsPerBlock;
    }

    /** @return how many blocks a step of {@code count} streams takes */
    int blocks(int count) {
        return (count + rowsPerBlock - 1) / rowsPerBlock;
    }

    /** @return the list position of block {@code b}'s first stream */
    int first(int block) {
        return block * rowsPerBlock;
    }

    /** @return the streams of block {@code b} in a step of {@code count} */
    int rows(int block, int count) {
        return Math.min(rowsPerBlock, count - block * rowsPerBlock);
    }

    /**
     * Copies layer {@code l}'s state of the block's streams, in list order, into the block-sized
     * {@code h0} array and returns it; valid until the next gather of a block of the same size.
     *
     * @param states every slot's states, {@code [L][H]} each
     * @param streams the step's list
     * @param first the block's first list position
     * @param rows the block's streams
     * @param layer l
     */
    float[] gather(float[][] states, int[] streams, int first, int rows, int layer) {
        float[] into = gathered[rows];
        int from = layer * hiddenSize;
        for (int r = 0; r < rows; r++) {
            System.arraycopy(states[streams[first + r]], from, into, r * hiddenSize, hiddenSize);
        }
        return into;
    }

    /** @return block b's new states of layer l, {@code [rows][H]} */
    float[] next(int block, int layer) {
        return next[block][layer];
    }

    /** @return block b's head outputs, {@code [rows][O]} (only with a head) */
    float[] outputs(int block) {
        return outputs[block];
    }
}
