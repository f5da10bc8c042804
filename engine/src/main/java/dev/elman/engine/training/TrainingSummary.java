package dev.elman.engine.training;

/**
 * What a {@link Trainer#train} call did.
 *
 * @param batches batches processed
 * @param updates parameter updates applied
 * @param lastLoss the loss of the last update (NaN when there was none)
 * @param meanLoss the mean of the updates' losses (NaN when there was none)
 * @param sequenceSteps (step, sequence) pairs run forward
 * @param elapsedNanos wall-clock time of the call
 */
public record TrainingSummary(long batches, long updates, double lastLoss, double meanLoss, long sequenceSteps,
                              long elapsedNanos) {
}
