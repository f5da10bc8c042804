package dev.elman.engine.training;

import dev.elman.engine.model.Initialization;
import dev.elman.engine.model.Model;
import dev.elman.engine.model.ModelConfig;
import dev.elman.engine.model.Parameters;
import dev.elman.engine.model.SequenceBatch;
import dev.elman.engine.testing.DoubleModel;
import dev.elman.engine.testing.RandomData;
import dev.elman.reference.ReferenceKernels;
import dev.elman.testing.Trials;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The truncated-BPTT schedule computes, at every update, exactly the gradient of that update's loss
 * through its window: for random {@code k1 ≤ k2} and T (covering full BPTT, the chunked form and
 * {@code k1 < k2}), stacked models with and without a head, both losses and both scopes, variable
 * lengths — each update's gradient equals central finite differences, in double, of the
 * independent oracle run over the window {@code [e − min(k2, e), e)} from the (constant) states
 * the sequence had reached at its start, with the loss of the update's last {@code k1} steps.
 * Bidirectional models, which train only with full BPTT, are checked with the window covering the
 * batch. (With {@code k2 ≥ T} this is the statement that truncated BPTT whose window covers the
 * sequence equals full BPTT.)
 *
 * <p>Tolerance as in {@code ModelGradientCheckTest}: finite differences exact to ~1e-9, the
 * engine's float32 storage worth ~1e-6 of a tensor's largest gradient; we accept 1e-4 of it.
 */
class WindowGradientCheckTest {
    private static final double STEP = 1e-5;
    private static final double TOLERANCE = 1e-4;

    static LongStream seeds() {
        return Trials.seeds("window gradient", 120);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void everyUpdateIsTheGradientOfItsWindowLoss(long seed) {
        Random random = new Random(seed);
        ModelConfig config = RandomData.config(random, 2);
        int steps = 3 + random.nextInt(7);
        int batch = 1 + random.nextInt(3);
        int k1;
        int k2;
        // Each schedule a quarter of the time (bidirectional models only train with full BPTT).
        switch (config.bidirectional() ? 0 : random.nextInt(4)) {
            case 0 -> { // full BPTT
                k1 = TrainingConfig.WHOLE_SEQUENCE;
                k2 = TrainingConfig.WHOLE_SEQUENCE;
            }
            case 1 -> { // chunked, k1 = k2 < T
                k1 = 1 + random.nextInt(steps - 1);
                k2 = k1;
            }
            case 2 -> { // k1 < k2 < T: the window slides and drops its oldest steps
                k1 = 1 + random.nextInt(steps - 2);
                k2 = k1 + 1 + random.nextInt(steps - 1 - k1);
            }
            default -> { // k1 < T ≤ k2: the window covers every prefix
                k1 = 1 + random.nextInt(steps - 1);
                k2 = steps + random.nextInt(3);
            }
        }
        Loss loss = random.nextBoolean() ? Loss.MEAN_SQUARED_ERROR : Loss.SOFTMAX_CROSS_ENTROPY;
        LossScope scope = random.nextBoolean() ? LossScope.EVERY_STEP : LossScope.LAST_STEP;
        int[] lengths = random.nextBoolean() ? RandomData.lengths(random, steps, batch) : null;
        Model model = Model.create(config, Initialization.uniform(), random.nextLong(), new ReferenceKernels());
        float[] x = RandomData.uniform(random, steps * batch * config.inputSize(), 1.0);
        int w = config.outputWidth();
        int items = scope == LossScope.EVERY_STEP ? steps * batch : batch;
        SequenceBatch inputs = new SequenceBatch(x, steps, batch, config.inputSize(), lengths);
        TrainingBatch trainingBatch;
        if (loss == Loss.MEAN_SQUARED_ERROR) {
            trainingBatch = TrainingBatch.withTargets(inputs, RandomData.uniform(random, items * w, 1.0));
        } else {
            int[] labels = new int[items];
            for (int i = 0; i < items; i++) {
                labels[i] = random.nextInt(5) == 0 ? TrainingBatch.IGNORE : random.nextInt(w);
            }
            trainingBatch = TrainingBatch.withLabels(inputs, labels);
        }
        String name = config + " T=" + steps + " B=" + batch + " k1=" + k1 + " k2=" + k2 + " " + loss.label() + " "
                + scope.label() + " lengths=" + Arrays.toString(lengths);

        TruncatedBptt scheduler = new TruncatedBptt(model, loss, scope, k1, k2, 0);
        List<Parameters> gradients = new ArrayList<>();
        List<int[]> windows = new ArrayList<>();
        List<Double> losses = new ArrayList<>();
        scheduler.process(trainingBatch, update -> {
            gradients.add(update.gradients().parameters().copy());
            losses.add(update.loss());
            windows.add(new int[] {update.windowSteps(), update.newSteps()});
        });
        assertEquals(expectedUpdates(trainingBatch, loss, scope, Math.min(k1, steps)), gradients.size(),
                name + ": number of updates");

        DoubleModel oracle = new DoubleModel(config, model.parameters());
        int next = 0;
        for (int first = 0; first < steps; first += Math.min(k1, steps)) {
            int m = Math.min(Math.min(k1, steps), steps - first);
            int e = first + m;
            if (countItems(trainingBatch, loss, scope, first, e) == 0) {
                continue;
            }
            int[] window = windows.get(next);
            int n = Math.min(Math.min(k2, steps), e);
            assertEquals(n, window[0], name + ": window of the update ending at " + e);
            assertEquals(m, window[1], name + ": new steps of the update ending at " + e);
            int s = e - n;
            WindowLoss windowLoss = new WindowLoss(oracle, config, trainingBatch, loss, scope, s, e, first);
            double value = windowLoss.value();
            if (!(Math.abs(value - losses.get(next)) <= 1e-5 * (1 + Math.abs(value)))) {
                fail(name + ": loss of the update ending at " + e + ": oracle " + value + ", engine " + losses.get(next));
            }
            Parameters analytic = gradients.get(next);
            for (String parameter : analytic.names()) {
                compare(name + ": update ending at " + e + ", d" + parameter, oracle.parameters.get(parameter),
                        analytic.get(parameter).data(), windowLoss);
            }
            next++;
        }
        assertEquals(gradients.size(), next, name + ": updates checked");
    }

    private static int expectedUpdates(TrainingBatch batch, Loss loss, LossScope scope, int k1) {
        int steps = batch.inputs().steps();
        int count = 0;
        for (int first = 0; first < steps; first += k1) {
            if (countItems(batch, loss, scope, first, Math.min(steps, first + k1)) > 0) {
                count++;
            }
        }
        return count;
    }

    /** Items with a target among steps {@code [from, to)}, by the definition of the scopes. */
    static int countItems(TrainingBatch batch, Loss loss, LossScope scope, int from, int to) {
        int b = batch.inputs().batch();
        int count = 0;
        for (int t = from; t < to; t++) {
            for (int n = 0; n < b; n++) {
                int length = batch.inputs().length(n);
                boolean target = scope == LossScope.EVERY_STEP ? t < length : t == length - 1;
                if (target && loss == Loss.SOFTMAX_CROSS_ENTROPY) {
                    target = batch.labels()[scope == LossScope.EVERY_STEP ? t * b + n : n] != TrainingBatch.IGNORE;
                }
                if (target) {
                    count++;
                }
            }
        }
        return count;
    }

    /**
     * The loss of one update as a function of the oracle's parameters: the states at the window's
     * start come from a forward pass of the oracle over the steps before it (with the parameters as
     * they are when the window starts, held fixed), then the oracle runs the window and the loss is
     * taken on the update's steps {@code [lossFrom, e)}.
     */
    private static final class WindowLoss {
        private final DoubleModel oracle;
        private final ModelConfig config;
        private final TrainingBatch batch;
        private final Loss loss;
        private final LossScope scope;
        private final int start;
        private final int end;
        private final int lossFrom;
        private final double[] startStates;

        WindowLoss(DoubleModel oracle, ModelConfig config, TrainingBatch batch, Loss loss, LossScope scope, int start,
                   int end, int lossFrom) {
            this.oracle = oracle;
            this.config = config;
            this.batch = batch;
            this.loss = loss;
            this.scope = scope;
            this.start = start;
            this.end = end;
            this.lossFrom = lossFrom;
            int b = batch.inputs().batch();
            if (start == 0) {
                startStates = null;
            } else {
                DoubleModel.Result prefix = oracle.forward(rows(0, start), start, b, lengths(0, start), null);
                startStates = prefix.finalStates();
            }
        }

        double value() {
            int b = batch.inputs().batch();
            int n = end - start;
            int w = config.outputWidth();
            double[] y = oracle.forward(rows(start, end), n, b, lengths(start, end), startStates).output();
            int items = countItems(batch, loss, scope, lossFrom, end);
            double sum = 0;
            for (int t = lossFrom; t < end; t++) {
                for (int k = 0; k < b; k++) {
                    int length = batch.inputs().length(k);
                    boolean target = scope == LossScope.EVERY_STEP ? t < length : t == length - 1;
                    int item = scope == LossScope.EVERY_STEP ? t * b + k : k;
                    int row = ((t - start) * b + k) * w;
                    if (!target) {
                        continue;
                    }
                    if (loss == Loss.MEAN_SQUARED_ERROR) {
                        for (int j = 0; j < w; j++) {
                            double d = y[row + j] - batch.targets()[item * w + j];
                            sum += d * d / w;
                        }
                    } else {
                        int label = batch.labels()[item];
                        if (label == TrainingBatch.IGNORE) {
                            continue;
                        }
                        double max = Double.NEGATIVE_INFINITY;
                        for (int j = 0; j < w; j++) {
                            max = Math.max(max, y[row + j]);
                        }
                        double z = 0;
                        for (int j = 0; j < w; j++) {
                            z += Math.exp(y[row + j] - max);
                        }
                        sum += Math.log(z) + max - y[row + label];
                    }
                }
            }
            return sum / items;
        }

        private double[] rows(int from, int to) {
            int b = batch.inputs().batch();
            int in = config.inputSize();
            double[] all = DoubleModel.widen(batch.inputs().inputs());
            return Arrays.copyOfRange(all, from * b * in, to * b * in);
        }

        private int[] lengths(int from, int to) {
            int b = batch.inputs().batch();
            int[] lengths = new int[b];
            for (int k = 0; k < b; k++) {
                lengths[k] = Math.clamp(batch.inputs().length(k) - from, 0, to - from);
            }
            return lengths;
        }
    }

    private static void compare(String what, double[] values, float[] analytic, WindowLoss loss) {
        double scale = 1;
        for (float a : analytic) {
            scale = Math.max(scale, Math.abs(a));
        }
        for (int i = 0; i < values.length; i++) {
            double saved = values[i];
            values[i] = saved + STEP;
            double plus = loss.value();
            values[i] = saved - STEP;
            double minus = loss.value();
            values[i] = saved;
            double fd = (plus - minus) / (2 * STEP);
            if (!(Math.abs(fd - analytic[i]) <= TOLERANCE * scale)) {
                fail(what + "[" + i + "]: finite difference " + fd + ", engine " + analytic[i]
                        + " (tolerance " + TOLERANCE + " × " + scale + ")");
            }
        }
    }
}
