package dev.elman.cli.tasks;

import dev.elman.engine.model.ForwardResult;
import dev.elman.engine.model.Model;
import dev.elman.engine.model.SequenceBatch;
import dev.elman.engine.training.Loss;
import dev.elman.engine.training.LossFunctions;
import dev.elman.engine.training.LossScope;
import dev.elman.engine.training.TrainingBatch;

/**
 * A task's loss of a model on given batches, from zero initial states and without training: the
 * number to compare with {@link Task#baselineLoss()}. Computed in double over the same items the
 * trainer scores (see {@link Loss} and {@link LossScope}), with the trainer's per-item formulas
 * ({@link LossFunctions}), as the mean over all of them.
 */
public final class Evaluation {
    private Evaluation() {
    }

    /**
     * Runs {@code batches} batches of a task's held-out source and returns the mean loss.
     *
     * @param model the model, with the task's input and output widths
     * @param task the task
     * @param batchSize sequences per batch
     * @param batches the number of batches, at least 1
     * @param seed the held-out source's seed (use one the training source does not)
     * @return the mean loss over every scored item
     * @throws IllegalArgumentException when the model does not fit the task
     */
    public static double loss(Model model, Task task, int batchSize, int batches, long seed) {
        if (batches < 1) {
            throw new IllegalArgumentException("batches must be at least 1, got " + batches);
        }
        checkFits(model, task);
        var source = task.source(batchSize, seed);
        double sum = 0;
        long items = 0;
        for (int i = 0; i < batches; i++) {
            double[] totals = sum(model, source.next(), task.loss(), task.scope());
            sum += totals[0];
            items += (long) totals[1];
        }
        return items == 0 ? Double.NaN : sum / items;
    }

    /**
     * Checks that a model reads and writes what a task needs.
     *
     * @param model the model
     * @param task the task
     * @throws IllegalArgumentException naming the width that differs
     */
    public static void checkFits(Model model, Task task) {
        if (model.config().inputSize() != task.inputSize()) {
            throw new IllegalArgumentException("the model reads " + model.config().inputSize() + " features per step, the "
                    + task.name() + " task gives " + task.inputSize());
        }
        if (model.config().outputWidth() != task.outputSize()) {
            throw new IllegalArgumentException("the model writes " + model.config().outputWidth() + " features per step, the "
                    + task.name() + " task needs " + task.outputSize());
        }
    }

    /** @return {sum of the item losses, number of items} */
    private static double[] sum(Model model, TrainingBatch batch, Loss loss, LossScope scope) {
        SequenceBatch inputs = batch.inputs();
        ForwardResult result = model.forward(inputs);
        int b = inputs.batch();
        int width = result.width();
        double sum = 0;
        long items = 0;
        for (int n = 0; n < b; n++) {
            int length = inputs.length(n);
            int first = scope == LossScope.EVERY_STEP ? 0 : length - 1;
            for (int t = first; t < length; t++) {
                int item = scope == LossScope.EVERY_STEP ? t * b + n : n;
                int row = (t * b + n) * width;
                if (loss == Loss.MEAN_SQUARED_ERROR) {
                    sum += LossFunctions.squaredError(result.output(), row, batch.targets(), item * width, width);
                    items++;
                } else {
                    int label = batch.labels()[item];
                    if (label == TrainingBatch.IGNORE) {
                        continue;
                    }
                    sum += LossFunctions.crossEntropy(result.output(), row, width, label);
                    items++;
                }
            }
        }
        return new double[] {sum, items};
    }
}
