package dev.elman.engine.training;

import dev.elman.engine.model.Initialization;
import dev.elman.engine.model.Model;
import dev.elman.engine.model.ModelConfig;
import dev.elman.engine.model.ParameterNames;
import dev.elman.engine.model.Parameters;
import dev.elman.engine.model.SequenceBatch;
import dev.elman.engine.testing.Allocation;
import dev.elman.engine.testing.RandomData;
import dev.elman.kernels.Activation;
import dev.elman.reference.ReferenceKernels;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scheduler's memory bound, batch continuation, allocation, lag probe and argument checks. */
class TruncatedBpttTest {
    private static final ReferenceKernels REFERENCE = new ReferenceKernels();

    @Test
    void memoryIsBoundedByTheWindowHoweverLongTheSequence() {
        ModelConfig config = ModelConfig.builder().inputSize(1).hiddenSize(4).outputSize(1).build();
        Model model = Model.create(config, Initialization.uniform(), 1, REFERENCE);
        TruncatedBptt scheduler = new TruncatedBptt(model, Loss.MEAN_SQUARED_ERROR, LossScope.EVERY_STEP, 5, 12, 0);
        int steps = 20_000;
        SequenceBatch inputs = new SequenceBatch(RandomData.uniform(new Random(1), steps * 2, 1), steps, 2, 1);
        long[] updates = {0};
        int[] largestWindow = {0};
        scheduler.process(TrainingBatch.withTargets(inputs, new float[steps * 2]), u -> {
            updates[0]++;
            largestWindow[0] = Math.max(largestWindow[0], u.windowSteps());
        });
        assertEquals(12, scheduler.windowCapacity(), "buffers hold k2 steps, not T");
        assertEquals(12, largestWindow[0]);
        assertEquals(steps / 5, updates[0]);
        assertEquals(steps * 2L, scheduler.sequenceSteps());
    }

    @Test
    void aContinuingBatchCarriesTheStateOn() {
        // Chunked BPTT over one long batch equals the same chunks fed as continuing batches.
        Random random = new Random(3);
        ModelConfig config = ModelConfig.builder().inputSize(2).hiddenSize(5).layers(2).outputSize(2).build();
        Model model = Model.create(config, Initialization.uniform(), 4, REFERENCE);
        int steps = 12;
        int batch = 3;
        float[] x = RandomData.uniform(random, steps * batch * 2, 1);
        float[] targets = RandomData.uniform(random, steps * batch * 2, 1);
        List<float[]> whole = gradients(model, 4, List.of(TrainingBatch.withTargets(
                new SequenceBatch(x, steps, batch, 2), targets)));

        List<TrainingBatch> parts = new ArrayList<>();
        for (int part = 0; part < 3; part++) {
            int from = part * 4 * batch * 2;
            int to = (part + 1) * 4 * batch * 2;
            TrainingBatch b = TrainingBatch.withTargets(new SequenceBatch(Arrays.copyOfRange(x, from, to), 4, batch, 2),
                    Arrays.copyOfRange(targets, from, to));
            parts.add(part == 0 ? b : b.continuing());
        }
        List<float[]> chunked = gradients(model, 4, parts);
        assertEquals(3, whole.size());
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(whole.get(i), chunked.get(i), "update " + i);
        }
    }

    private static List<float[]> gradients(Model model, int window, List<TrainingBatch> batches) {
        TruncatedBptt scheduler = new TruncatedBptt(model, Loss.MEAN_SQUARED_ERROR, LossScope.EVERY_STEP, window, window, 0);
        List<float[]> result = new ArrayList<>();
        for (TrainingBatch b : batches) {
            scheduler.process(b, u -> result.add(flatten(u.gradients().parameters())));
        }
        return result;
    }

    private static float[] flatten(Parameters p) {
        float[] all = new float[(int) p.valueCount()];
        int at = 0;
        for (int i = 0; i < p.count(); i++) {
            float[] d = p.get(i).data();
            System.arraycopy(d, 0, all, at, d.length);
            at += d.length;
        }
        return all;
    }

    @Test
    void processingABatchAllocatesNothingAfterTheFirst() {
        ModelConfig config = ModelConfig.builder().inputSize(3).hiddenSize(8).layers(2).outputSize(4).build();
        Model model = Model.create(config, Initialization.uniform(), 2, REFERENCE);
        Random random = new Random(9);
        int steps = 16;
        int batch = 4;
        SequenceBatch inputs = new SequenceBatch(RandomData.uniform(random, steps * batch * 3, 1), steps, batch, 3,
                new int[] {16, 9, 16, 3});
        int[] labels = new int[steps * batch];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = random.nextInt(4);
        }
        TrainingBatch trainingBatch = TrainingBatch.withLabels(inputs, labels);
        TruncatedBptt scheduler = new TruncatedBptt(model, Loss.SOFTMAX_CROSS_ENTROPY, LossScope.EVERY_STEP, 4, 8, 3);
        double[] sink = {0};
        TruncatedBptt.UpdateHandler handler = u -> sink[0] += u.loss() + u.gradients().norm()
                + (u.hasLagGradientNorms() ? u.lagGradientNorm(0, 0) : 0);
        for (int i = 0; i < 3_000; i++) {
            scheduler.process(trainingBatch, handler);
        }
        long allocated = Allocation.leastBytes(3, () -> {
            for (int i = 0; i < 500; i++) {
                scheduler.process(trainingBatch, handler);
            }
        });
        assertTrue(allocated < 1_000, "500 batches (2 000 updates) allocated " + allocated + " bytes");
        assertTrue(Double.isFinite(sink[0]));
    }

    @Test
    void lagNormsOfALinearRnnFollowPowersOfTheTransposedWeights() {
        // Identity activation, loss on the last step only: dL/dh_{T−1−k} = (Whᵀ)^k dL/dh_{T−1}.
        ModelConfig config = ModelConfig.builder().inputSize(2).hiddenSize(4).activation(Activation.IDENTITY)
                .outputSize(1).build();
        Model model = Model.create(config, Initialization.orthogonal().withSpectralRadius(0.8), 5, REFERENCE);
        int steps = 10;
        Random random = new Random(8);
        SequenceBatch inputs = new SequenceBatch(RandomData.uniform(random, steps * 2, 1), steps, 1, 2);
        TrainingBatch batch = TrainingBatch.withTargets(inputs, new float[] {3f});
        TruncatedBptt scheduler = new TruncatedBptt(model, Loss.MEAN_SQUARED_ERROR, LossScope.LAST_STEP,
                TrainingConfig.WHOLE_SEQUENCE, TrainingConfig.WHOLE_SEQUENCE, 1);
        double[][] measured = new double[1][];
        scheduler.process(batch, u -> {
            assertTrue(u.hasLagGradientNorms());
            measured[0] = new double[u.lagCount()];
            for (int k = 0; k < u.lagCount(); k++) {
                measured[0][k] = u.lagGradientNorm(0, k);
            }
        });
        assertEquals(steps, measured[0].length);
        float[] y = model.forward(inputs).output();
        float[] wy = model.parameters().get(ParameterNames.HEAD_WEIGHTS).data();
        float[] wh = model.parameters().get(ParameterNames.recurrentWeights(0, false)).data();
        double dy = 2 * (y[steps - 1] - 3.0);
        double[] g = new double[4];
        for (int i = 0; i < 4; i++) {
            g[i] = dy * wy[i];
        }
        for (int k = 0; k < steps; k++) {
            double norm = Math.sqrt(Arrays.stream(g).map(v -> v * v).sum());
            // float32 storage of states and carried gradients: relative 1e-6 covers 10 steps of it
            assertEquals(norm, measured[0][k], 1e-5 * norm, "lag " + k);
            double[] next = new double[4];
            for (int j = 0; j < 4; j++) {
                for (int i = 0; i < 4; i++) {
                    next[j] += wh[i * 4 + j] * g[i];
                }
            }
            g = next;
        }
    }

    @Test
    void badBatchesAreRejectedNamingWhatIsWrong() {
        ModelConfig config = ModelConfig.builder().inputSize(2).hiddenSize(3).outputSize(3).build();
        Model model = Model.create(config, Initialization.uniform(), 1, REFERENCE);
        SequenceBatch inputs = new SequenceBatch(new float[4 * 2 * 2], 4, 2, 2);
        TruncatedBptt mse = new TruncatedBptt(model, Loss.MEAN_SQUARED_ERROR, LossScope.EVERY_STEP, 2, 2, 0);
        TruncatedBptt.UpdateHandler none = u -> { };
        assertMessage("batch targets: expected length 24 (steps × batch × output width, for scope every-step), got 6",
                () -> mse.process(TrainingBatch.withTargets(inputs, new float[6]), none));
        assertMessage("batch has labels, but the loss mse needs float targets",
                () -> mse.process(TrainingBatch.withLabels(inputs, new int[8]), none));
        TruncatedBptt last = new TruncatedBptt(model, Loss.SOFTMAX_CROSS_ENTROPY, LossScope.LAST_STEP, 2, 2, 0);
        assertMessage("batch labels: expected length 2 (batch, for scope last-step), got 8",
                () -> last.process(TrainingBatch.withLabels(inputs, new int[8]), none));
        assertMessage("batch labels[1] = 3 is not a class: expected 0 … 2 (the output width) or IGNORE (−1)",
                () -> last.process(TrainingBatch.withLabels(inputs, new int[] {0, 3}), none));
        assertMessage("batch: inputSize 1 does not match the model's 2",
                () -> mse.process(TrainingBatch.withTargets(new SequenceBatch(new float[8], 4, 2, 1), new float[24]), none));
        assertMessage("batch continues the previous batch, but there was none",
                () -> mse.process(TrainingBatch.withTargets(inputs, new float[24]).continuing(), none));
        mse.process(TrainingBatch.withTargets(inputs, new float[24]), none);
        SequenceBatch three = new SequenceBatch(new float[4 * 3 * 2], 4, 3, 2);
        assertMessage("batch continues the previous batch, but that had 2 sequences and this has 3",
                () -> mse.process(TrainingBatch.withTargets(three, new float[36]).continuing(), none));

        ModelConfig bi = ModelConfig.builder().inputSize(2).hiddenSize(3).bidirectional(true).outputSize(3).build();
        Model biModel = Model.create(bi, Initialization.uniform(), 1, REFERENCE);
        TruncatedBptt biScheduler = new TruncatedBptt(biModel, Loss.MEAN_SQUARED_ERROR, LossScope.EVERY_STEP, 2, 3, 0);
        assertMessage("a bidirectional model trains with full BPTT: k1 and k2 must cover the batch's 4 steps, got k1 = 2,"
                + " k2 = 3", () -> biScheduler.process(TrainingBatch.withTargets(inputs, new float[24]), none));

        assertMessage("expected 1 ≤ k1 ≤ k2 (steps between updates ≤ backward window), got k1 = 3, k2 = 2",
                () -> new TruncatedBptt(model, Loss.MEAN_SQUARED_ERROR, LossScope.EVERY_STEP, 3, 2, 0));
        assertMessage("targets[1] is NaN: targets must be finite",
                () -> TrainingBatch.withTargets(inputs, new float[] {0, Float.NaN}));
        assertMessage("labels[0] = -2: expected a class index ≥ 0 or IGNORE (−1)",
                () -> TrainingBatch.withLabels(inputs, new int[] {-2}));
    }

    @Test
    void aBatchWithoutTargetsInABlockMakesNoUpdateForIt() {
        ModelConfig config = ModelConfig.builder().inputSize(1).hiddenSize(3).outputSize(1).build();
        Model model = Model.create(config, Initialization.uniform(), 1, REFERENCE);
        SequenceBatch inputs = new SequenceBatch(new float[10], 10, 1, 1);
        TruncatedBptt scheduler = new TruncatedBptt(model, Loss.MEAN_SQUARED_ERROR, LossScope.LAST_STEP, 3, 3, 0);
        List<Integer> windows = new ArrayList<>();
        scheduler.process(TrainingBatch.withTargets(inputs, new float[] {1}), u -> windows.add(u.windowSteps()));
        // Only the last block (step 9 alone) has a target: one update, whose window reaches k2 = 3 steps back.
        assertEquals(List.of(3), windows);
        assertEquals(1, scheduler.updates());
    }

    private static void assertMessage(String expected, Runnable action) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action::run);
        assertEquals(expected, e.getMessage());
    }
}
