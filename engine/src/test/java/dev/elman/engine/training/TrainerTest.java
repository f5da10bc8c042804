package dev.elman.engine.training;

import dev.elman.engine.model.Initialization;
import dev.elman.engine.model.Model;
import dev.elman.engine.model.ModelConfig;
import dev.elman.engine.model.Parameters;
import dev.elman.engine.model.SequenceBatch;
import dev.elman.engine.testing.Allocation;
import dev.elman.kernels.Activation;
import dev.elman.reference.ReferenceKernels;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The trainer's reporting, stopping, divergence handling and configuration checks. */
class TrainerTest {
    private static final ReferenceKernels REFERENCE = new ReferenceKernels();

    @Test
    void theListenerHearsEveryUpdateWithLossNormAndThroughput() {
        ModelConfig config = ModelConfig.builder().inputSize(1).hiddenSize(6).layers(2).outputSize(1).build();
        Model model = Model.create(config, Initialization.uniform(), 3, REFERENCE);
        TrainingConfig training = TrainingConfig.builder().optimizer(new Adam(1e-3)).truncation(4, 8)
                .clipping(GradientClipping.globalNorm(1e-3)).lagProbeInterval(2).build();
        Trainer trainer = new Trainer(model, training);
        OptimizerTest.DelayedSum task = new OptimizerTest.DelayedSum(new Random(1), 12, 4);
        List<String> seen = new ArrayList<>();
        TrainingSummary summary = trainer.train(task, 5, p -> {
            assertTrue(Double.isFinite(p.loss()) && p.loss() > 0, "loss " + p.loss());
            assertTrue(p.gradientNorm() > 1e-3 && p.clipped(), "norm " + p.gradientNorm() + " above the limit, clipped");
            assertTrue(p.sequenceStepsPerSecond() > 0 && p.updatesPerSecond() > 0);
            assertEquals((p.update() - 1) % 2 == 0, p.hasLagGradientNorms(), "probed every 2nd update");
            if (p.hasLagGradientNorms()) {
                // three updates per batch, windows of 4, 8 and 8 steps (k1 = 4, k2 = 8)
                assertEquals((p.update() - 1) % 3 == 0 ? 4 : 8, p.lagCount(), "window of update " + p.update());
                assertEquals(2, p.layers());
                assertTrue(p.lagGradientNorm(1, 0) > 0);
            }
            seen.add(p.update() + "@" + p.batch() + ":" + p.sequenceSteps());
        });
        // 12 steps, k1 = 4: three updates per batch, after 16, 32 and 48 (step, sequence) pairs.
        assertEquals(List.of("1@0:16", "2@0:32", "3@0:48", "4@1:64", "5@1:80", "6@1:96", "7@2:112", "8@2:128",
                "9@2:144", "10@3:160", "11@3:176", "12@3:192", "13@4:208", "14@4:224", "15@4:240"), seen);
        assertEquals(5, summary.batches());
        assertEquals(15, summary.updates());
        assertEquals(240, summary.sequenceSteps());
        assertTrue(summary.elapsedNanos() > 0 && Double.isFinite(summary.meanLoss()));
        assertEquals(15, trainer.updates());
    }

    @Test
    void anUpdateAllocatesNothingAfterWarmUp() {
        ModelConfig config = ModelConfig.builder().inputSize(1).hiddenSize(8).layers(2).outputSize(1).build();
        Model model = Model.create(config, Initialization.uniform(), 3, REFERENCE);
        Trainer trainer = new Trainer(model, TrainingConfig.builder().optimizer(new Adam(1e-3)).truncation(4, 8)
                .clipping(new GradientClipping(1, 0.5)).lagProbeInterval(5).build());
        OptimizerTest.DelayedSum task = new OptimizerTest.DelayedSum(new Random(4), 12, 4);
        double[] sink = {0};
        TrainingListener listener = p -> sink[0] += p.loss() + p.gradientNorm() + p.sequenceStepsPerSecond()
                + (p.hasLagGradientNorms() ? p.lagGradientNorm(0, p.lagCount() - 1) : 0);
        trainer.train(task, 3_000, listener);
        long allocated = Allocation.leastBytes(3, () -> trainer.train(task, 500, listener));
        // Each call returns one TrainingSummary (≈ 60 bytes); one object per update would be ≥ 24 000.
        assertTrue(allocated < 1_000, "1 500 updates allocated " + allocated + " bytes");
        assertEquals((3_000 + 3 * 500) * 3, trainer.updates(), "three updates per batch (12 steps, k1 = 4)");
        assertTrue(Double.isFinite(sink[0]));
    }

    @Test
    void trainingStopsWhenTheSourceRunsOut() {
        ModelConfig config = ModelConfig.builder().inputSize(1).hiddenSize(2).outputSize(1).build();
        Model model = Model.create(config, Initialization.uniform(), 3, REFERENCE);
        Trainer trainer = new Trainer(model, TrainingConfig.builder().optimizer(new Sgd(0.1)).build());
        TrainingBatch batch = TrainingBatch.withTargets(new SequenceBatch(new float[3], 3, 1, 1), new float[3]);
        int[] left = {2};
        TrainingSummary summary = trainer.train(() -> left[0]-- > 0 ? batch : null, 100, null);
        assertEquals(2, summary.batches());
        assertEquals(2, summary.updates());
    }

    @Test
    void divergenceStopsTrainingBeforeTheBadUpdateTouchesTheModel() {
        // A linear RNN with a recurrent gain of 1.5 and an absurd learning rate blows up in a few updates.
        ModelConfig config = ModelConfig.builder().inputSize(1).hiddenSize(3).activation(Activation.IDENTITY)
                .outputSize(1).build();
        Model model = Model.create(config, Initialization.identity().withSpectralRadius(1.5), 3, REFERENCE);
        Trainer trainer = new Trainer(model, TrainingConfig.builder().optimizer(new Sgd(1e6)).build());
        OptimizerTest.DelayedSum task = new OptimizerTest.DelayedSum(new Random(2), 40, 2);
        List<Parameters> accepted = new ArrayList<>();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> trainer.train(task, 1_000, p -> accepted.add(model.parameters().copy())));
        assertTrue(e.getMessage().startsWith("training diverged at update " + (accepted.size() + 1) + ": loss NaN"),
                e.getMessage());
        assertFalse(accepted.isEmpty());
        // The parameters are those of the last accepted update, and the model still runs on them.
        Parameters last = accepted.get(accepted.size() - 1);
        for (int i = 0; i < last.count(); i++) {
            assertArrayEquals(last.get(i).data(), model.parameters().get(i).data(), last.names().get(i));
        }
        model.loadParameters();
    }

    @Test
    void configurationsAreCheckedWithClearMessages() {
        assertEquals("optimizer was not set: expected e.g. new Adam(1e-3), new Sgd(0.1, 0.9) or new Adagrad(0.01)",
                assertThrows(IllegalArgumentException.class, () -> TrainingConfig.builder().build()).getMessage());
        assertEquals("k2 (the backward window) must be at least k1 (steps between updates): got k1 = 8, k2 = 4",
                assertThrows(IllegalArgumentException.class, () -> TrainingConfig.builder().truncation(8, 4))
                        .getMessage());
        assertEquals("k1 (steps between updates) must be at least 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> TrainingConfig.builder().chunked(0)).getMessage());
        assertEquals("lagProbeInterval must be 0 (off) or positive, got -1",
                assertThrows(IllegalArgumentException.class, () -> TrainingConfig.builder().lagProbeInterval(-1))
                        .getMessage());
        assertEquals("unknown loss 'hinge': expected one of mse, cross-entropy",
                assertThrows(IllegalArgumentException.class, () -> Loss.parse("hinge")).getMessage());
        assertEquals(LossScope.LAST_STEP, LossScope.parse("Last-Step"));
        TrainingConfig config = TrainingConfig.builder().optimizer(new Adam(0.1)).chunked(16).build();
        assertEquals(16, config.stepsBetweenUpdates());
        assertEquals(16, config.backwardWindow());
        assertEquals(config.toString(), config.toBuilder().build().toString());
    }
}
