package dev.elman.cli.tasks;

import dev.elman.engine.model.SequenceBatch;
import dev.elman.engine.training.Loss;
import dev.elman.engine.training.LossScope;
import dev.elman.engine.training.TrainingBatch;

import java.util.SplittableRandom;

/**
 * The adding problem (Hochreiter and Schmidhuber 1997, in the form of Le, Jaitly and Hinton 2015):
 * each step has two inputs, a value drawn uniformly from {@code [0, 1]} and a marker that is 1 at
 * exactly two steps and 0 elsewhere; the target, read at the last step, is the sum of the two
 * marked values. One marker falls uniformly in the first half of the sequence and the other in the
 * second half, so the first one must be carried across at least {@code T/2} steps. A batch has
 * inputs {@code [T][B][2]} ({@link #VALUE}, {@link #MARKER}) and targets {@code [B][1]}, scored at
 * the last step.
 *
 * <p>The sum of two independent uniform values has mean 1 and variance {@code 2/12 = 1/6}, so
 * always answering 1 scores a mean squared error of {@value #BASELINE_MSE_TEXT}; that is the line a
 * network must get below to show it has learnt anything. (The paper quotes 0.1767.)
 */
public final class AddingProblem extends SyntheticTask {
    /** The mean squared error of always predicting 1: the variance of the sum, 1/6. */
    public static final double BASELINE_MSE = 1.0 / 6.0;
    /** {@link #BASELINE_MSE} as printed. */
    static final String BASELINE_MSE_TEXT = "1/6 ≈ 0.167";
    /** Input channel of the values. */
    public static final int VALUE = 0;
    /** Input channel of the markers. */
    public static final int MARKER = 1;

    /**
     * @param steps T, the sequence length, at least 2 (one step per half)
     * @throws IllegalArgumentException when steps is below 2
     */
    public AddingProblem(int steps) {
        if (steps < 2) {
            throw new IllegalArgumentException("the adding problem needs a length of at least 2 (one marker per half),"
                    + " got " + steps);
        }
        super("adding", 2, 1, Loss.MEAN_SQUARED_ERROR, LossScope.LAST_STEP, steps);
    }

    @Override
    TrainingBatch generate(int batchSize, SplittableRandom random) {
        int steps = steps();
        float[] x = new float[steps * batchSize * 2];
        float[] targets = new float[batchSize];
        int half = steps / 2;
        for (int b = 0; b < batchSize; b++) {
            for (int t = 0; t < steps; t++) {
                x[(t * batchSize + b) * 2 + VALUE] = (float) random.nextDouble();
            }
            int first = random.nextInt(half);
            int second = half + random.nextInt(steps - half);
            x[(first * batchSize + b) * 2 + MARKER] = 1f;
            x[(second * batchSize + b) * 2 + MARKER] = 1f;
            // The target is the float sum of the two stored float values, so it is exactly what a
            // reader of the inputs would compute.
            targets[b] = x[(first * batchSize + b) * 2 + VALUE] + x[(second * batchSize + b) * 2 + VALUE];
        }
        return TrainingBatch.withTargets(new SequenceBatch(x, steps, batchSize, 2), targets);
    }

    @Override
    public double baselineLoss() {
        return BASELINE_MSE;
    }

    @Override
    public String baselineDescription() {
        return "always 1, the mean of the sum";
    }

    @Override
    public String toString() {
        return "adding problem, T = " + steps();
    }
}
