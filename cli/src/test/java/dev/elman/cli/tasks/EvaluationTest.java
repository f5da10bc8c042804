package dev.elman.cli.tasks;

import dev.elman.engine.model.Direction;
import dev.elman.engine.model.ForwardResult;
import dev.elman.engine.model.Initialization;
import dev.elman.engine.model.Model;
import dev.elman.engine.model.ModelConfig;
import dev.elman.engine.model.ParameterNames;
import dev.elman.engine.model.Parameters;
import dev.elman.engine.model.SequenceBatch;
import dev.elman.engine.training.Loss;
import dev.elman.engine.training.LossFunctions;
import dev.elman.engine.training.LossScope;
import dev.elman.engine.training.Sgd;
import dev.elman.engine.training.Trainer;
import dev.elman.engine.training.TrainingBatch;
import dev.elman.engine.training.TrainingConfig;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvaluationTest {
    /** A model whose output is the constant {@code c} in every channel: every weight zero, head bias c. */
    private static Model constant(int inputSize, int outputSize, float c) {
        ModelConfig config = ModelConfig.builder().inputSize(inputSize).hiddenSize(3).outputSize(outputSize).build();
        Parameters parameters = Parameters.zeros(config);
        Arrays.fill(parameters.get(ParameterNames.HEAD_BIAS).data(), c);
        return Model.withParameters(parameters);
    }

    @Test
    void meanSquaredErrorAtTheLastStepOfTheAddingProblem() {
        AddingProblem task = new AddingProblem(12);
        Model model = constant(2, 1, 1f);
        double expected = 0;
        var source = task.source(50, 77);
        for (int i = 0; i < 3; i++) {
            for (float target : source.next().targets()) {
                expected += (target - 1.0) * (target - 1.0);
            }
        }
        assertEquals(expected / 150, Evaluation.loss(model, task, 50, 3, 77), 1e-12);
    }

    @Test
    void crossEntropyCountsOnlyTheRecallSteps() {
        // Equal logits: −log softmax = ln K at every scored step, whatever the labels.
        CopyTask task = new CopyTask(4, 6, 3);
        assertEquals(Math.log(6), Evaluation.loss(constant(8, 6, 0.25f), task, 5, 2, 1), 1e-12);
    }

    @Test
    void agreesWithTheTrainersLossOnTheSameBatch() {
        // The trainer reports the loss of an update before applying it; with full BPTT there is one
        // update per batch, so its loss is the evaluation of the model before that batch.
        SineTask task = new SineTask(9);
        Model model = Model.create(ModelConfig.builder().inputSize(1).hiddenSize(5).outputSize(1).build(),
                Initialization.uniform(), 3);
        TrainingBatch batch = task.source(4, 12).next();
        double evaluated = Evaluation.loss(model, task, 4, 1, 12);
        double reported = new Trainer(model, TrainingConfig.builder().loss(task.loss()).scope(task.scope())
                .optimizer(new Sgd(1e-3)).build()).train(batch).lastLoss();
        // Both sum the same float outputs in double; only the order of the sums differs.
        assertEquals(evaluated, reported, 1e-12 * Math.max(1, reported));
    }

    @Test
    void agreesWithTheTrainersCrossEntropyOnTheSameBatch() {
        // Both score the copy task's recall steps with LossFunctions.crossEntropy and skip the
        // ignored steps; only the order in which the item losses are summed differs.
        CopyTask task = new CopyTask(3, 5, 4);
        Model model = Model.create(ModelConfig.builder().inputSize(task.inputSize()).hiddenSize(6)
                .outputSize(task.outputSize()).build(), Initialization.uniform(), 5);
        TrainingBatch batch = task.source(3, 21).next();
        double evaluated = Evaluation.loss(model, task, 3, 1, 21);
        double reported = new Trainer(model, TrainingConfig.builder().loss(task.loss()).scope(task.scope())
                .optimizer(new Sgd(1e-3)).build()).train(batch).lastLoss();
        assertEquals(evaluated, reported, 1e-12 * Math.max(1, reported));
    }

    @Test
    void namesTheWidthThatDoesNotFit() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Evaluation.loss(constant(3, 1, 0), new AddingProblem(5), 2, 1, 1));
        assertEquals("the model reads 3 features per step, the adding task gives 2", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Evaluation.checkFits(constant(2, 4, 0), new AddingProblem(5)));
        assertEquals("the model writes 4 features per step, the adding task needs 1", e.getMessage());
    }

    /**
     * The evaluation runs a sequence in chunks with the states carried; whatever the cut, the loss
     * is that of one whole-sequence {@link Model#forward} summed in the same order (steps, then
     * sequences), bit for bit on the SIMD kernels: every step and output row is the same float
     * arithmetic wherever the sequence is cut, and the sums are taken in one fixed order. (The
     * reference kernels carry the state in double within a span; there a cut rounds it once more.)
     */
    @Test
    void chunksGiveTheWholeSequencesLossBitForBit() {
        List<Task> tasks = List.of(new SineTask(37), new AddingProblem(23), new CopyTask(3, 5, 4));
        for (Task task : tasks) {
            Model model = Model.create(ModelConfig.builder().inputSize(task.inputSize()).hiddenSize(7).layers(2)
                    .outputSize(task.outputSize()).build(), Initialization.uniform(), 9);
            assertEquals("simd", model.kernels().name(), "the cli's tests run with the Vector API");
            double whole = wholeSequenceLoss(model, task, 3, 2, 41);
            for (int chunk : new int[] {1, 2, 5, 16, 1000, 0}) {
                assertEquals(whole, Evaluation.loss(model, task, 3, 2, 41, chunk), 0.0, task.name() + " in chunks of "
                        + chunk);
            }
            assertEquals(whole, Evaluation.loss(model, task, 3, 2, 41), 0.0, task.name());
        }
    }

    /**
     * Memory is one chunk's: a chunk's window (inputs, every layer's states, outputs) stays within
     * {@link Evaluation#WINDOW_FLOATS} whatever T, so the held-out sequence of
     * {@code train --length 256000} is not one pass of 256 000 steps.
     */
    @Test
    void aChunkHoldsABoundedWindowWhateverTheSequenceLength() {
        Model model = Model.create(ModelConfig.builder().inputSize(1).hiddenSize(64).layers(2).outputSize(1).build(),
                Initialization.uniform(), 1);
        for (int steps : new int[] {256_000, 2_000_000}) {
            for (int batch : new int[] {1, 32}) {
                int chunk = Evaluation.chunkSteps(model, batch, steps);
                long floats = (long) chunk * batch * (1 + 2 * 64 + 1);
                assertTrue(chunk >= 1 && chunk < steps && floats <= Evaluation.WINDOW_FLOATS,
                        "T=" + steps + " B=" + batch + ": chunks of " + chunk + " steps, " + floats + " floats");
            }
        }
        assertEquals(40, Evaluation.chunkSteps(model, 1, 40), "a short sequence is one chunk");
        Model bidirectional = Model.create(ModelConfig.builder().inputSize(1).hiddenSize(4)
                .direction(Direction.BIDIRECTIONAL).outputSize(1).build(), Initialization.uniform(), 1);
        assertEquals(5000, Evaluation.chunkSteps(bidirectional, 1, 5000), "a reverse direction needs the whole sequence");
    }

    /** The oracle: one {@link Model#forward} per batch, item losses summed steps first, then sequences. */
    private static double wholeSequenceLoss(Model model, Task task, int batchSize, int batches, long seed) {
        var source = task.source(batchSize, seed);
        double sum = 0;
        long items = 0;
        for (int i = 0; i < batches; i++) {
            TrainingBatch batch = source.next();
            SequenceBatch inputs = batch.inputs();
            ForwardResult result = model.forward(inputs);
            int b = inputs.batch();
            int width = result.width();
            double batchSum = 0;
            long batchItems = 0;
            for (int t = 0; t < inputs.steps(); t++) {
                for (int n = 0; n < b; n++) {
                    int length = inputs.length(n);
                    if (t >= length || task.scope() == LossScope.LAST_STEP && t != length - 1) {
                        continue;
                    }
                    int item = task.scope() == LossScope.EVERY_STEP ? t * b + n : n;
                    int row = (t * b + n) * width;
                    if (task.loss() == Loss.MEAN_SQUARED_ERROR) {
                        batchSum += LossFunctions.squaredError(result.output(), row, batch.targets(), item * width,
                                width);
                        batchItems++;
                    } else if (batch.labels()[item] != TrainingBatch.IGNORE) {
                        batchSum += LossFunctions.crossEntropy(result.output(), row, width, batch.labels()[item]);
                        batchItems++;
                    }
                }
            }
            sum += batchSum;
            items += batchItems;
        }
        return sum / items;
    }
}
