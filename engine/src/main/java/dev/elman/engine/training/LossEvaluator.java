package dev.elman.engine.training;

import dev.elman.engine.model.SequenceBatch;

import java.util.Arrays;

/**
 * Computes a {@link Loss} over the output rows of a block of steps and writes {@code dL/dy} for
 * them, in double, without allocating: it picks the items that carry a target and sums their
 * {@link LossFunctions} in a fixed order.
 */
final class LossEvaluator {
    private final Loss loss;
    private final LossScope scope;
    private final int width;
    private double value;

    LossEvaluator(Loss loss, LossScope scope, int width) {
        this.loss = loss;
        this.scope = scope;
        this.width = width;
    }

    /** @return the mean loss of the last {@link #evaluate} that found items */
    double value() {
        return value;
    }

    /**
     * Evaluates steps {@code [firstStep, firstStep + steps)} of a batch.
     *
     * @param y output rows of those steps, {@code [steps][B][W]} from {@code offset}
     * @param dy where {@code dL/dy} goes, same layout and offset; rows without a target get zeros
     * @return N, the number of items with a target (0: nothing to learn from, dy all zeros)
     */
    int evaluate(TrainingBatch batch, int firstStep, int steps, float[] y, float[] dy, int offset) {
        SequenceBatch inputs = batch.inputs();
        int b = inputs.batch();
        int items = 0;
        for (int t = firstStep; t < firstStep + steps; t++) {
            for (int n = 0; n < b; n++) {
                if (hasTarget(batch, t, n, b)) {
                    items++;
                }
            }
        }
        Arrays.fill(dy, offset, offset + steps * b * width, 0f);
        if (items == 0) {
            return 0;
        }
        double scale = 1.0 / items;
        double sum = 0;
        for (int t = firstStep; t < firstStep + steps; t++) {
            for (int n = 0; n < b; n++) {
                if (!hasTarget(batch, t, n, b)) {
                    continue;
                }
                int row = offset + ((t - firstStep) * b + n) * width;
                int item = scope == LossScope.EVERY_STEP ? t * b + n : n;
                sum += loss == Loss.MEAN_SQUARED_ERROR
                        ? LossFunctions.squaredError(y, row, batch.targets(), item * width, width, scale, dy)
                        : LossFunctions.crossEntropy(y, row, width, batch.labels()[item], scale, dy);
            }
        }
        value = sum * scale;
        return items;
    }

    private boolean hasTarget(TrainingBatch batch, int t, int n, int b) {
        int length = batch.inputs().length(n);
        if (t >= length) {
            return false;
        }
        int item;
        if (scope == LossScope.EVERY_STEP) {
            item = t * b + n;
        } else {
            if (t != length - 1) {
                return false;
            }
            item = n;
        }
        return loss == Loss.MEAN_SQUARED_ERROR || batch.labels()[item] != TrainingBatch.IGNORE;
    }
}
