package dev.elman.engine.model;

/**
 * How a bidirectional layer's two directions become the features it hands on, and back: forward,
 * the {@link Merge} of both directions' states into one row per step; backward, the split of the
 * features' gradient into each direction's {@code dL/dh}.
 */
final class BidirectionalMerge {
    private final int hiddenSize;
    private final boolean concat;
    /** Each direction's share of concatenated feature gradients, {@code [C][Bm][H]}; null when summing. */
    private final float[] dForward;
    private final float[] dReverse;

    BidirectionalMerge(StackShape shape) {
        this.hiddenSize = shape.hiddenSize();
        this.concat = shape.concat();
        dForward = concat ? shape.rows(hiddenSize, "steps × batch × hiddenSize") : null;
        dReverse = concat ? shape.rows(hiddenSize, "steps × batch × hiddenSize") : null;
    }

    /**
     * Writes the merged features of rows {@code [fromRow, toRow)}: {@code [h_forward, h_reverse]}
     * ({@code [rows][2H]}) or {@code h_forward + h_reverse} ({@code [rows][H]}).
     */
    void merge(float[] forward, float[] reverse, float[] target, int fromRow, int toRow) {
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

    /**
     * Prepares {@link #directionGradient} for the first {@code rows} rows of a features' gradient:
     * concatenated features are split into the two directions' halves; a sum hands its whole
     * gradient to both, so there is nothing to do.
     */
    void split(float[] dFeatures, int rows) {
        if (!concat) {
            return;
        }
        int hs = hiddenSize;
        for (int r = 0; r < rows; r++) {
            System.arraycopy(dFeatures, r * 2 * hs, dForward, r * hs, hs);
            System.arraycopy(dFeatures, r * 2 * hs + hs, dReverse, r * hs, hs);
        }
    }

    /**
     * @param direction 0 (forward) or 1 (reverse)
     * @param dFeatures the features' gradient last given to {@link #split}
     * @return that direction's {@code dL/dh}, {@code [rows][H]}
     */
    float[] directionGradient(int direction, float[] dFeatures) {
        if (!concat) {
            return dFeatures;
        }
        return direction == 0 ? dForward : dReverse;
    }
}
