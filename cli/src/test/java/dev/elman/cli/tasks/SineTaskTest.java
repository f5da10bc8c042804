package dev.elman.cli.tasks;

import dev.elman.engine.training.TrainingBatch;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SineTaskTest {
    @Test
    void eachTargetIsTheNextInput() {
        SineTask task = new SineTask(50);
        TrainingBatch batch = task.source(7, 11).next();
        float[] x = batch.inputs().inputs();
        float[] y = batch.targets();
        int b = 7;
        for (int n = 0; n < b; n++) {
            for (int t = 0; t + 1 < 50; t++) {
                // Both are (float) sin of the same double argument, computed once each.
                assertEquals(x[(t + 1) * b + n], y[t * b + n], 0f, "t = " + t);
                assertTrue(Math.abs(x[t * b + n]) <= 1f);
            }
        }
    }

    @Test
    void repeatingTheInputScoresTheBaseline() {
        // Over a sequence of frequency f, the mean of (s_{t+1} − s_t)² is 1 − cos 2πf plus an
        // oscillating remainder that 200 steps (5 to 20 periods) average away. Across sequences
        // 1 − cos 2πf ranges over [0.012, 0.191] with a standard deviation of about 0.05, so the mean
        // of 500 sequences has a standard error of 0.05/√500 ≈ 0.0022: 0.01 is 4.5σ, and still far
        // from the zero predictor's 0.5 or a formula off by a factor.
        SineTask task = new SineTask(200);
        int b = 500;
        TrainingBatch batch = task.source(b, 5).next();
        float[] x = batch.inputs().inputs();
        float[] y = batch.targets();
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            sum += (y[i] - (double) x[i]) * (y[i] - (double) x[i]);
        }
        double mse = sum / x.length;
        assertEquals(task.baselineLoss(), mse, 0.01);
        assertEquals(0.0845, task.baselineLoss(), 0.0005, "1 − (sin 0.2π − sin 0.05π)/(0.15π)");
    }
}
