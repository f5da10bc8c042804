package dev.elman.cli.tasks;

import dev.elman.engine.training.TrainingBatch;
import dev.elman.testing.Trials;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.SplittableRandom;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CopyTaskTest {
    static LongStream seeds() {
        return Trials.seeds("copy task", 40);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theRecallStepsAskForTheSymbolsReadAtTheStartInOrder(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int symbols = 1 + random.nextInt(12);
        int alphabet = 2 + random.nextInt(9);
        int delay = 1 + random.nextInt(30);
        int b = 1 + random.nextInt(5);
        CopyTask task = new CopyTask(symbols, alphabet, delay);
        TrainingBatch batch = task.batch(b, random);
        int steps = 2 * symbols + delay;
        int width = alphabet + 2;
        assertEquals(steps, task.steps());
        assertEquals(steps, batch.inputs().steps());
        assertEquals(width, batch.inputs().inputSize());
        float[] x = batch.inputs().inputs();
        int[] labels = batch.labels();
        for (int n = 0; n < b; n++) {
            for (int t = 0; t < steps; t++) {
                int hot = -1;
                for (int j = 0; j < width; j++) {
                    float v = x[(t * b + n) * width + j];
                    if (v == 1f) {
                        assertEquals(-1, hot, "one-hot at t = " + t);
                        hot = j;
                    } else {
                        assertEquals(0f, v);
                    }
                }
                int expected = t < symbols ? hot : t == symbols + delay - 1 ? task.go() : task.blank();
                if (t < symbols) {
                    assertEquals(true, hot >= 0 && hot < alphabet, "a symbol at t = " + t);
                    assertEquals(hot, labels[(symbols + delay + t) * b + n], "recall of symbol " + t);
                } else {
                    assertEquals(expected, hot, "t = " + t);
                }
                if (t < symbols + delay) {
                    assertEquals(TrainingBatch.IGNORE, labels[t * b + n], "no target before the recall, t = " + t);
                }
            }
        }
    }

    @Test
    void guessingScoresLnK() {
        assertEquals(Math.log(8), new CopyTask(10, 8, 5).baselineLoss(), 1e-15);
    }

    @Test
    void rejectsImpossibleSizes() {
        assertThrows(IllegalArgumentException.class, () -> new CopyTask(0, 8, 5));
        assertThrows(IllegalArgumentException.class, () -> new CopyTask(3, 1, 5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CopyTask(3, 8, 0));
        assertEquals("copy task: the delay must be at least 1 (the go marker), got 0", e.getMessage());
    }
}
