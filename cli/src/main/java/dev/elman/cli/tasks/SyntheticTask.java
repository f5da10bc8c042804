package dev.elman.cli.tasks;

import dev.elman.engine.training.Loss;
import dev.elman.engine.training.LossScope;
import dev.elman.engine.training.SequenceSource;
import dev.elman.engine.training.TrainingBatch;

import java.util.SplittableRandom;

/**
 * A task with generated data in which every batch is independent of the last: the source draws
 * each batch afresh from the next values of its random, so batch k of a seed is the same whatever
 * was done with batches 0 … k − 1.
 */
abstract class SyntheticTask extends AbstractTask {

    SyntheticTask(String name, int inputSize, int outputSize, Loss loss, LossScope scope, int steps) {
        super(name, inputSize, outputSize, loss, scope, steps);
    }

    @Override
    final SequenceSource source(int batchSize, SplittableRandom random) {
        return () -> generate(batchSize, random);
    }

    /**
     * One batch of B new sequences, laid out as the task's description says.
     *
     * @param batchSize B, at least 1
     * @param random where the sequences' random values come from
     * @return the batch
     * @throws IllegalArgumentException when batchSize is below 1
     */
    public final TrainingBatch batch(int batchSize, SplittableRandom random) {
        checkBatchSize(batchSize);
        return generate(batchSize, random);
    }

    /**
     * Draws one batch; the batch size is already checked.
     *
     * @param batchSize B, at least 1
     * @param random where the sequences' random values come from
     * @return the batch
     */
    abstract TrainingBatch generate(int batchSize, SplittableRandom random);
}
