package dev.elman.cli.tasks;

import dev.elman.engine.training.LossScope;
import dev.elman.engine.training.TrainingBatch;
import dev.elman.testing.Trials;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AddingProblemTest {
    static LongStream seeds() {
        return Trials.seeds("adding problem", 40);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theTargetIsTheSumOfTheTwoMarkedValuesOneInEachHalf(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int steps = 2 + random.nextInt(60);
        int b = 1 + random.nextInt(9);
        AddingProblem task = new AddingProblem(steps);
        TrainingBatch batch = task.batch(b, random);
        float[] x = batch.inputs().inputs();
        assertEquals(steps, batch.inputs().steps());
        assertEquals(b, batch.inputs().batch());
        assertEquals(2, batch.inputs().inputSize());
        assertEquals(b, batch.targets().length, "one target per sequence: scope last-step");
        int half = steps / 2;
        for (int n = 0; n < b; n++) {
            int markers = 0;
            int firstHalf = 0;
            float sum = 0;
            for (int t = 0; t < steps; t++) {
                float value = x[(t * b + n) * 2 + AddingProblem.VALUE];
                float marker = x[(t * b + n) * 2 + AddingProblem.MARKER];
                assertTrue(value >= 0 && value <= 1, "value " + value);
                assertTrue(marker == 0 || marker == 1, "marker " + marker);
                if (marker == 1) {
                    markers++;
                    firstHalf += t < half ? 1 : 0;
                    sum += value;
                }
            }
            assertEquals(2, markers, "sequence " + n + " of T = " + steps);
            assertEquals(1, firstHalf, "one marker in each half");
            // Two float values added once in float, as the generator does: exactly equal.
            assertEquals(sum, batch.targets()[n], 0f);
        }
    }

    @Test
    void sourcesAreReproducibleFromTheirSeed() {
        AddingProblem task = new AddingProblem(30);
        TrainingBatch first = task.source(4, 7).next();
        TrainingBatch again = task.source(4, 7).next();
        TrainingBatch other = task.source(4, 8).next();
        assertArrayEquals(first.inputs().inputs(), again.inputs().inputs());
        assertArrayEquals(first.targets(), again.targets());
        assertTrue(!java.util.Arrays.equals(first.inputs().inputs(), other.inputs().inputs()));
    }

    @Test
    void alwaysAnsweringOneScoresTheBaseline() {
        // (u1 + u2 − 1)² has mean 1/6 and standard deviation √(1/15 − 1/36) ≈ 0.197 for independent
        // uniform u1, u2; over 40 000 sums the mean's standard error is 0.001, so 0.005 is 5σ.
        AddingProblem task = new AddingProblem(10);
        TrainingBatch batch = task.source(40_000, 3).next();
        double sum = 0;
        for (float target : batch.targets()) {
            sum += (target - 1.0) * (target - 1.0);
        }
        assertEquals(AddingProblem.BASELINE_MSE, sum / batch.targets().length, 0.005);
        assertEquals(1.0 / 6, task.baselineLoss());
        assertEquals(LossScope.LAST_STEP, task.scope());
    }

    @Test
    void rejectsLengthsThatCannotHoldBothMarkers() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new AddingProblem(1));
        assertTrue(e.getMessage().contains("at least 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new AddingProblem(5).source(0, 1));
    }
}
