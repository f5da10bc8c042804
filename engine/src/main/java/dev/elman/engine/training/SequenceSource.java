package dev.elman.engine.training;

/**
 * Where a {@link Trainer} takes its batches from: a data set, a generator of synthetic tasks, a
 * stream cut into chunks.
 */
@FunctionalInterface
public interface SequenceSource {
    /**
     * The next batch. A source may return the same instance again with new contents (to avoid
     * allocating), since the trainer is done with a batch when it asks for the next.
     *
     * @return the next batch, or null when there are no more
     */
    TrainingBatch next();
}
