package dev.elman.engine;

import dev.elman.engine.model.Initialization;
import dev.elman.engine.model.Model;
import dev.elman.engine.model.ModelConfig;
import dev.elman.engine.model.SequenceBatch;
import dev.elman.engine.model.StreamingSession;
import dev.elman.engine.training.Adam;
import dev.elman.engine.training.GradientClipping;
import dev.elman.engine.training.Loss;
import dev.elman.engine.training.LossScope;
import dev.elman.engine.training.SequenceSource;
import dev.elman.engine.training.Trainer;
import dev.elman.engine.training.TrainingBatch;
import dev.elman.engine.training.TrainingConfig;
import dev.elman.engine.training.TrainingSummary;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The example of the package documentation, at a small size, runs as written. */
class ExampleTest {

    @Test
    void thePackageExampleRuns() {
        ModelConfig config = ModelConfig.builder().inputSize(2).hiddenSize(16).outputSize(1).build();
        Model model = Model.create(config, Initialization.orthogonal(), 42);

        TrainingConfig training = TrainingConfig.builder()
                .loss(Loss.MEAN_SQUARED_ERROR).scope(LossScope.LAST_STEP)
                .optimizer(new Adam(1e-3)).clipping(GradientClipping.globalNorm(1))
                .truncation(5, 10)
                .build();
        TrainingSummary summary = new Trainer(model, training).train(addingProblem(new Random(1), 20, 8), 20,
                p -> assertTrue(Double.isFinite(p.loss())));
        assertEquals(20, summary.updates(), "last-step loss: one update per batch");

        model.setThreads(2);
        StreamingSession session = model.newSession();
        float[] y = session.step(new float[] {0.5f, 1f});
        assertEquals(1, y.length);
        model.close();
    }

    /** The adding problem: the target is the sum of the two values marked with a 1. */
    private static SequenceSource addingProblem(Random random, int steps, int batch) {
        return () -> {
            float[] x = new float[steps * batch * 2];
            float[] sums = new float[batch];
            for (int b = 0; b < batch; b++) {
                int first = random.nextInt(steps / 2);
                int second = steps / 2 + random.nextInt(steps / 2);
                for (int t = 0; t < steps; t++) {
                    x[(t * batch + b) * 2] = random.nextFloat();
                }
                x[(first * batch + b) * 2 + 1] = 1;
                x[(second * batch + b) * 2 + 1] = 1;
                sums[b] = x[(first * batch + b) * 2] + x[(second * batch + b) * 2];
            }
            return TrainingBatch.withTargets(new SequenceBatch(x, steps, batch, 2), sums);
        };
    }
}
