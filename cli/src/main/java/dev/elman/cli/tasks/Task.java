package dev.elman.cli.tasks;

import dev.elman.engine.training.Loss;
import dev.elman.engine.training.LossScope;
import dev.elman.engine.training.SequenceSource;

import java.util.Map;

/**
 * A training task: what a model reads and writes per step, the loss it is trained on, and an
 * endless, reproducible supply of batches.
 *
 * <p>Every source is deterministic: the same task, batch size and seed give the same batches on any
 * machine ({@link java.util.SplittableRandom}). Held-out data is simply a source with another seed.
 */
public interface Task {

    /** @return the task's name on the command line ({@code adding}, {@code copy}, {@code sine}, {@code chars}) */
    String name();

    /** @return I, the features per input step */
    int inputSize();

    /** @return O, the width of the output head the task needs */
    int outputSize();

    /** @return the loss the task is scored with */
    Loss loss();

    /** @return which steps carry a target */
    LossScope scope();

    /** @return T, the steps of each batch */
    int steps();

    /**
     * An endless source of batches.
     *
     * @param batchSize B, at least 1
     * @param seed the random seed
     * @return the source; it never returns null
     * @throws IllegalArgumentException when batchSize is below 1
     */
    SequenceSource source(int batchSize, long seed);

    /**
     * The loss of the trivial predictor named by {@link #baselineDescription()}: a model whose loss
     * stays near this number has learnt nothing about the task's structure.
     *
     * @return the baseline loss, in the units of {@link #loss()}
     */
    double baselineLoss();

    /** @return what the baseline predicts, e.g. "always 1 (the mean of the target)" */
    String baselineDescription();

    /**
     * What a checkpoint must remember to rebuild this task (see {@link Tasks#fromMetadata}); the
     * key {@code task} holds {@link #name()}.
     *
     * @return the key/value pairs
     */
    Map<String, String> metadata();
}
