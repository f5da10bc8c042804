package dev.elman.simd;

import dev.elman.kernels.HeadGradients;
import dev.elman.kernels.Team;

/**
 * The output head's forward or backward pass shared with a team: the arguments of one call, held
 * by the workspace (so handing it to the team allocates nothing), and each participant's share.
 *
 * <p>Forward: a fixed share of the rows of {@code Y = H·Wyᵀ + by}. Backward: a fixed share of the
 * rows of {@code dWy} (output units, each over every row of the pass), of whole column blocks of
 * {@code dby}, and of the rows of {@code dH = dY·Wy}. Every element is computed in the one order of
 * {@link RegisterTiles} (and {@link ColumnSums}), so the result is the one-thread result bit for bit.
 */
final class HeadPass implements Team.Task {
    /**
     * The fewest multiply-adds a shared head pass must have ({@code rows·F·O}): below it, waking the
     * team costs more than the work it shares (as {@link SpanSplit#MIN_SPLIT_WORK}).
     */
    static final long MIN_SPLIT_WORK = SpanSplit.MIN_SPLIT_WORK;

    private boolean backward;
    private PackedHead head;
    private int rows;
    private float[] h;
    private int hOffset;
    private float[] y;
    private int yOffset;
    private float[] dy;
    private int dyOffset;
    private HeadGradients gradients;
    private float[] dh;
    private int dhOffset;

    /** @return whether a head pass of this shape is worth sharing with {@code threads} participants */
    static boolean shares(int threads, int rows, int inputSize, int outputSize) {
        return threads > 1 && rows >= threads * RegisterTiles.WIDE_ROWS
                && (long) rows * inputSize * outputSize >= MIN_SPLIT_WORK;
    }

    void forward(PackedHead head, int rows, float[] h, int hOffset, float[] y, int yOffset) {
        this.backward = false;
        this.head = head;
        this.rows = rows;
        this.h = h;
        this.hOffset = hOffset;
        this.y = y;
        this.yOffset = yOffset;
    }

    void backward(PackedHead head, int rows, float[] h, int hOffset, float[] dy, int dyOffset, HeadGradients gradients,
                  float[] dh, int dhOffset) {
        this.backward = true;
        this.head = head;
        this.rows = rows;
        this.h = h;
        this.hOffset = hOffset;
        this.dy = dy;
        this.dyOffset = dyOffset;
        this.gradients = gradients;
        this.dh = dh;
        this.dhOffset = dhOffset;
    }

    /** Drops the references to the caller's arrays once the pass is done. */
    void clear() {
        head = null;
        h = null;
        y = null;
        dy = null;
        gradients = null;
        dh = null;
    }

    @Override
    public void run(int participant, int participants) {
        int inputSize = head.inputSize();
        int outputSize = head.outputSize();
        int rowFrom = SpanSplit.shareStart(participant, participants, rows);
        int rowTo = SpanSplit.shareStart(participant + 1, participants, rows);
        if (!backward) {
            if (rowTo > rowFrom) {
                Gemm.project(rowTo - rowFrom, outputSize, inputSize, h, hOffset + rowFrom * inputSize,
                        head.wyTransposed, head.hasBias() ? head.bias : null, y, yOffset + rowFrom * outputSize);
            }
            return;
        }
        // dWy += dYᵀ·H by output units, each over every row.
        Gemm.addOuterProducts(SpanSplit.shareStart(participant, participants, outputSize),
                SpanSplit.shareStart(participant + 1, participants, outputSize), outputSize, inputSize, rows, dy,
                dyOffset, h, hOffset, gradients.dW());
        if (head.hasBias()) {
            int columnFrom = SpanSplit.columnStart(participant, participants, outputSize);
            int columnTo = SpanSplit.columnStart(participant + 1, participants, outputSize);
            if (columnTo > columnFrom) {
                ColumnSums.addTo(dy, dyOffset, rows, outputSize, columnFrom, columnTo, gradients.db());
            }
        }
        // dH = dY·Wy by rows.
        if (dh != null && rowTo > rowFrom) {
            Gemm.propagate(rowTo - rowFrom, inputSize, outputSize, dy, dyOffset + rowFrom * outputSize, head.wy, dh,
                    dhOffset + rowFrom * inputSize);
        }
    }
}
