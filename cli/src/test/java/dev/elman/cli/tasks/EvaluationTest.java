package dev.elman.cli.tasks;

import dev.elman.engine.model.Initialization;
import dev.elman.engine.model.Model;
import dev.elman.engine.model.ModelConfig;
import dev.elman.engine.model.ParameterNames;
import dev.elman.engine.model.Parameters;
import dev.elman.engine.training.Sgd;
import dev.elman.engine.training.Trainer;
import dev.elman.engine.training.TrainingBatch;
import dev.elman.engine.training.TrainingConfig;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
}
