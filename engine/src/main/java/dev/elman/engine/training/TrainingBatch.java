package dev.elman.engine.training;

import dev.elman.engine.model.SequenceBatch;

/**
 * A batch of input sequences with their targets: float rows for {@link Loss#MEAN_SQUARED_ERROR},
 * class labels for {@link Loss#SOFTMAX_CROSS_ENTROPY}, shaped as the {@link LossScope} says (the
 * trainer checks the shape against its configuration and names what differs).
 *
 * <p>A batch may {@linkplain #continuing() continue} the previous one: the same B sequences, their
 * next steps. The state then carries over from the previous batch (gradients do not: each batch's
 * backward window starts at its first step), which lets a long stream be fed in chunks.
 *
 * <p>Arrays are kept, not copied: do not change them while the batch is in use.
 */
public final class TrainingBatch {
    /** The label of an item without a target (cross-entropy only). */
    public static final int IGNORE = -1;

    private final SequenceBatch inputs;
    private final float[] targets;
    private final int[] labels;
    private final boolean continuesPrevious;

    private TrainingBatch(SequenceBatch inputs, float[] targets, int[] labels, boolean continuesPrevious) {
        this.inputs = inputs;
        this.targets = targets;
        this.labels = labels;
        this.continuesPrevious = continuesPrevious;
    }

    /**
     * A batch with float targets, for mean squared error.
     *
     * @param inputs the sequences
     * @param targets {@code [T][B][W]} for {@link LossScope#EVERY_STEP}, {@code [B][W]} for
     *     {@link LossScope#LAST_STEP}; every value finite
     * @return the batch
     * @throws IllegalArgumentException when an argument is null or a target is not finite
     */
    public static TrainingBatch withTargets(SequenceBatch inputs, float[] targets) {
        requireInputs(inputs);
        if (targets == null) {
            throw new IllegalArgumentException("targets must not be null");
        }
        for (int i = 0; i < targets.length; i++) {
            if (!Float.isFinite(targets[i])) {
                throw new IllegalArgumentException("targets[" + i + "] is " + targets[i] + ": targets must be finite");
            }
        }
        return new TrainingBatch(inputs, targets, null, false);
    }

    /**
     * A batch with class labels, for softmax cross-entropy.
     *
     * @param inputs the sequences
     * @param labels {@code [T][B]} for {@link LossScope#EVERY_STEP}, {@code [B]} for
     *     {@link LossScope#LAST_STEP}; each in {@code 0 … W − 1} or {@link #IGNORE}
     * @return the batch
     * @throws IllegalArgumentException when an argument is null or a label is below {@link #IGNORE}
     */
    public static TrainingBatch withLabels(SequenceBatch inputs, int[] labels) {
        requireInputs(inputs);
        if (labels == null) {
            throw new IllegalArgumentException("labels must not be null");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < IGNORE) {
                throw new IllegalArgumentException("labels[" + i + "] = " + labels[i]
                        + ": expected a class index ≥ 0 or IGNORE (−1)");
            }
        }
        return new TrainingBatch(inputs, null, labels, false);
    }

    /**
     * This batch, marked as the continuation of the previous batch's sequences (same B).
     *
     * @return a new batch sharing these arrays
     */
    public TrainingBatch continuing() {
        return new TrainingBatch(inputs, targets, labels, true);
    }

    /** @return the input sequences */
    public SequenceBatch inputs() {
        return inputs;
    }

    /** @return the float targets (live), or null when this batch has labels */
    public float[] targets() {
        return targets;
    }

    /** @return the class labels (live), or null when this batch has float targets */
    public int[] labels() {
        return labels;
    }

    /** @return whether this batch continues the previous batch's sequences */
    public boolean continuesPrevious() {
        return continuesPrevious;
    }

    private static void requireInputs(SequenceBatch inputs) {
        if (inputs == null) {
            throw new IllegalArgumentException("inputs must not be null");
        }
    }

    @Override
    public String toString() {
        return "TrainingBatch[" + inputs + (targets != null ? ", " + targets.length + " targets" : ", "
                + labels.length + " labels") + (continuesPrevious ? ", continuing" : "") + "]";
    }
}
