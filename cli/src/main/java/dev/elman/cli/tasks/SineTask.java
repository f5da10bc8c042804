package dev.elman.cli.tasks;

import dev.elman.engine.model.SequenceBatch;
import dev.elman.engine.training.Loss;
import dev.elman.engine.training.LossScope;
import dev.elman.engine.training.TrainingBatch;

import java.util.SplittableRandom;

/**
 * Next-value prediction of sine waves: each sequence is {@code s_t = sin(2π f t + φ)} with its own
 * frequency {@code f}, uniform in {@code [}{@value #MIN_FREQUENCY}{@code , }{@value #MAX_FREQUENCY}{@code ]}
 * cycles per step, and phase {@code φ}, uniform in {@code [0, 2π)}; the target at step {@code t} is
 * {@code s_{t+1}}. The network has to infer the frequency from what it has seen. A batch has
 * inputs {@code [T][B][1]} and targets {@code [T][B][1]}, scored at every step.
 *
 * <p>The baseline repeats the input ({@code ŝ_{t+1} = s_t}); its mean squared error, averaged over
 * phases and frequencies, is {@code E[1 − cos 2πf] = 1 − (sin 2πb − sin 2πa) / (2π(b − a))} for
 * {@code f} uniform on {@code [a, b]}: about 0.085. A model below it uses the dynamics.
 */
public final class SineTask extends SyntheticTask {
    /** The lowest frequency, cycles per step (a period of 40 steps). */
    public static final double MIN_FREQUENCY = 0.025;
    /** The highest frequency, cycles per step (a period of 10 steps). */
    public static final double MAX_FREQUENCY = 0.1;

    /**
     * @param steps T, at least 1
     * @throws IllegalArgumentException when steps is below 1
     */
    public SineTask(int steps) {
        super("sine", 1, 1, Loss.MEAN_SQUARED_ERROR, LossScope.EVERY_STEP, steps);
    }

    @Override
    TrainingBatch generate(int batchSize, SplittableRandom random) {
        int steps = steps();
        float[] x = new float[steps * batchSize];
        float[] targets = new float[steps * batchSize];
        for (int b = 0; b < batchSize; b++) {
            double frequency = MIN_FREQUENCY + (MAX_FREQUENCY - MIN_FREQUENCY) * random.nextDouble();
            double phase = 2 * Math.PI * random.nextDouble();
            for (int t = 0; t < steps; t++) {
                x[t * batchSize + b] = (float) Math.sin(2 * Math.PI * frequency * t + phase);
                targets[t * batchSize + b] = (float) Math.sin(2 * Math.PI * frequency * (t + 1) + phase);
            }
        }
        return TrainingBatch.withTargets(new SequenceBatch(x, steps, batchSize, 1), targets);
    }

    @Override
    public double baselineLoss() {
        double a = 2 * Math.PI * MIN_FREQUENCY;
        double b = 2 * Math.PI * MAX_FREQUENCY;
        return 1 - (Math.sin(b) - Math.sin(a)) / (b - a);
    }

    @Override
    public String baselineDescription() {
        return "repeat the input (ŝ_{t+1} = s_t)";
    }

    @Override
    public String toString() {
        return "sine next-value prediction, T = " + steps();
    }
}
