package dev.elman.cli.tasks;

import dev.elman.engine.training.Loss;
import dev.elman.engine.training.LossScope;
import dev.elman.engine.training.SequenceSource;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * What every task has in common: its fixed description (name, widths, loss, scope, length), a
 * source seeded by one {@link SplittableRandom}, and metadata made of the name and the values that
 * rebuild the task. A task only says how its batches are drawn and what its baseline is.
 */
abstract class AbstractTask implements Task {
    private final String name;
    private final int inputSize;
    private final int outputSize;
    private final Loss loss;
    private final LossScope scope;
    private final int steps;

    /**
     * @param name the name on the command line, also the prefix of the length's error message
     * @param inputSize I
     * @param outputSize O
     * @param loss the loss
     * @param scope the steps that carry a target
     * @param steps T, at least 1
     * @throws IllegalArgumentException when steps is below 1
     */
    AbstractTask(String name, int inputSize, int outputSize, Loss loss, LossScope scope, int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException(name + " task: the length must be at least 1, got " + steps);
        }
        this.name = name;
        this.inputSize = inputSize;
        this.outputSize = outputSize;
        this.loss = loss;
        this.scope = scope;
        this.steps = steps;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final int inputSize() {
        return inputSize;
    }

    @Override
    public final int outputSize() {
        return outputSize;
    }

    @Override
    public final Loss loss() {
        return loss;
    }

    @Override
    public final LossScope scope() {
        return scope;
    }

    @Override
    public final int steps() {
        return steps;
    }

    @Override
    public final SequenceSource source(int batchSize, long seed) {
        checkBatchSize(batchSize);
        return source(batchSize, new SplittableRandom(seed));
    }

    /**
     * The source behind {@link #source(int, long)}, once the batch size is known to be valid.
     *
     * @param batchSize B, at least 1
     * @param random the source's only randomness, seeded
     * @return the source
     */
    abstract SequenceSource source(int batchSize, SplittableRandom random);

    @Override
    public final Map<String, String> metadata() {
        Map<String, String> metadata = new HashMap<>(parameters());
        metadata.put(Tasks.TASK_KEY, name);
        return Map.copyOf(metadata);
    }

    /**
     * The values beside the name that rebuild this task from a checkpoint; by default the length
     * under {@link Tasks#LENGTH_KEY}.
     *
     * @return the key/value pairs, without {@link Tasks#TASK_KEY}
     */
    Map<String, String> parameters() {
        return Map.of(Tasks.LENGTH_KEY, Integer.toString(steps));
    }

    /** @throws IllegalArgumentException when the batch size is below 1 */
    static void checkBatchSize(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
    }
}
