package dev.elman.cli.tasks;

import dev.elman.engine.model.Direction;
import dev.elman.engine.model.Model;
import dev.elman.engine.model.ModelConfig;
import dev.elman.engine.model.SequenceBatch;
import dev.elman.engine.model.SequenceChunks;
import dev.elman.engine.model.StackRunner;
import dev.elman.engine.training.Loss;
import dev.elman.engine.training.LossFunctions;
import dev.elman.engine.training.LossScope;
import dev.elman.engine.training.TrainingBatch;
import dev.elman.kernels.WorkspacePurpose;

/**
 * A task's loss of a model on given batches, from zero initial states and without training: the
 * number to compare with {@link Task#baselineLoss()}. Computed in double over the same items the
 * trainer scores (see {@link Loss} and {@link LossScope}), with the trainer's per-item formulas
 * ({@link LossFunctions}), as the mean over all of them. Sequences run in chunks with the
 * states carried, so memory does not grow with their length.
 */
public final class Evaluation {
    /**
     * The most floats one evaluation's runner window holds (16 MiB): long sequences run in chunks
     * of this size instead of as one pass whose activations grow with T.
     */
    static final long WINDOW_FLOATS = 1L << 22;

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
     * @return the mean loss over every scored item; not finite when the model's outputs are not
     * @throws IllegalArgumentException when the model does not fit the task or batches is below 1
     */
    public static double loss(Model model, Task task, int batchSize, int batches, long seed) {
        return loss(model, task, batchSize, batches, seed, 0);
    }

    /**
     * {@link #loss(Model, Task, int, int, long)} in chunks of a given length (0: {@link #chunkSteps}),
     * for tests that cut the sequence in several places.
     */
    static double loss(Model model, Task task, int batchSize, int batches, long seed, int chunkSteps) {
        if (batches < 1) {
            throw new IllegalArgumentException("batches must be at least 1, got " + batches);
        }
        checkFits(model, task);
        var source = task.source(batchSize, seed);
        double sum = 0;
        long items = 0;
        for (int i = 0; i < batches; i++) {
            double[] totals = sum(model, source.next(), task.loss(), task.scope(), chunkSteps);
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

    /**
     * The steps per chunk of an evaluation: as many as keep the runner's window (its inputs,
     * states of every layer and direction, and outputs) within {@value #WINDOW_FLOATS} floats, at
     * least 1 and at most the sequence; the whole sequence for a model with a reverse direction,
     * which needs it in one pass.
     */
    public static int chunkSteps(Model model, int batch, int steps) {
        ModelConfig config = model.config();
        if (config.direction() != Direction.FORWARD) {
            return steps;
        }
        long perStep = (long) batch * (config.inputSize() + (long) config.layers() * config.hiddenSize()
                + config.outputWidth());
        return Math.clamp(WINDOW_FLOATS / Math.max(1, perStep), 1, steps);
    }

    /**
     * Runs a batch through the model in chunks of {@link #chunkSteps} steps, the states carried from
     * chunk to chunk, and sums the item
     * losses of each chunk as it goes, steps in order and sequences in order within a step. Memory
     * is that of one chunk, whatever the sequence length. Non-finite outputs give a non-finite sum.
     *
     * <p>On the SIMD kernels the outputs are those of one pass over the whole sequence bit for bit
     * (each step is float arithmetic, the same wherever the sequence is cut). The reference
     * kernels carry the state in double within a span, so there each cut rounds the carried state
     * to float once more: the loss agrees to float rounding, not bit for bit.
     *
     * @return {sum of the item losses, number of items}
     */
    private static double[] sum(Model model, TrainingBatch batch, Loss loss, LossScope scope, int chunkSteps) {
        SequenceBatch inputs = batch.inputs();
        int b = inputs.batch();
        int chunk = chunkSteps > 0 && model.config().direction() == Direction.FORWARD
                ? Math.min(chunkSteps, inputs.steps()) : chunkSteps(model, b, inputs.steps());
        int width = model.config().outputWidth();
        StackRunner runner = model.newRunner(chunk, b, WorkspacePurpose.INFERENCE);
        runner.reset(b, null);
        SequenceChunks chunks = new SequenceChunks(chunk);
        chunks.start(inputs, runner);
        double sum = 0;
        long items = 0;
        // Each chunk's window holds only its own steps: the window is emptied, the states kept.
        while (advance(runner, chunks)) {
            float[] output = runner.output();
            int first = chunks.first();
            for (int s = 0; s < chunks.steps(); s++) {
                int t = first + s;
                for (int n = 0; n < b; n++) {
                    int length = inputs.length(n);
                    if (t >= length || scope == LossScope.LAST_STEP && t != length - 1) {
                        continue;
                    }
                    int item = scope == LossScope.EVERY_STEP ? t * b + n : n;
                    int row = (s * b + n) * width;
                    if (loss == Loss.MEAN_SQUARED_ERROR) {
                        sum += LossFunctions.squaredError(output, row, batch.targets(), item * width, width);
                        items++;
                    } else {
                        int label = batch.labels()[item];
                        if (label == TrainingBatch.IGNORE) {
                            continue;
                        }
                        sum += LossFunctions.crossEntropy(output, row, width, label);
                        items++;
                    }
                }
            }
        }
        return new double[] {sum, items};
    }

    private static boolean advance(StackRunner runner, SequenceChunks chunks) {
        if (chunks.first() + chunks.steps() > 0) {
            runner.detach();
        }
        return chunks.next();
    }
}
