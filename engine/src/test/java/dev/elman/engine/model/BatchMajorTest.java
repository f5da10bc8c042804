package dev.elman.engine.model;

import dev.elman.engine.testing.KernelsUnderTest;
import dev.elman.engine.testing.RandomData;
import dev.elman.testing.Trials;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Random;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Batch-major inputs and results: the same batch, element by element, as the time-major layout. */
class BatchMajorTest {

    static LongStream seeds() {
        return Trials.seeds("batch-major", 60);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void batchMajorIsTheTimeMajorBatchTransposed(long seed) {
        Random random = new Random(seed);
        int steps = 1 + random.nextInt(6);
        int batch = 1 + random.nextInt(4);
        ModelConfig config = RandomData.config(random, 2);
        int inputSize = config.inputSize();
        float[] batchMajor = RandomData.uniform(random, batch * steps * inputSize, 1.0);
        int[] lengths = random.nextBoolean() ? RandomData.lengths(random, steps, batch) : null;
        SequenceBatch fromBatchMajor = SequenceBatch.batchMajor(batchMajor, batch, steps, inputSize, lengths);
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < steps; t++) {
                for (int j = 0; j < inputSize; j++) {
                    assertEquals(batchMajor[(b * steps + t) * inputSize + j],
                            fromBatchMajor.inputs()[(t * batch + b) * inputSize + j]);
                }
            }
        }
        assertArrayEquals(batchMajor, fromBatchMajor.inputsBatchMajor());
        for (int b = 0; b < batch; b++) {
            assertEquals(lengths == null ? steps : lengths[b], fromBatchMajor.length(b));
        }

        Model model = Model.create(config, Initialization.uniform(), seed, KernelsUnderTest.reference());
        ForwardResult result = model.forward(fromBatchMajor);
        float[] output = result.outputBatchMajor();
        float[] states = result.finalStatesBatchMajor();
        int width = result.width();
        int cells = config.layers() * config.directions();
        int hidden = config.hiddenSize();
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < steps; t++) {
                for (int j = 0; j < width; j++) {
                    assertEquals(result.output(t, b, j), output[(b * steps + t) * width + j]);
                }
            }
            for (int k = 0; k < cells; k++) {
                for (int i = 0; i < hidden; i++) {
                    assertEquals(result.finalState(k, b, i), states[(b * cells + k) * hidden + i]);
                }
            }
        }
        model.close();
    }

    @Test
    void badBatchMajorInputIsRefusedByName() {
        IllegalArgumentException length = assertThrows(IllegalArgumentException.class,
                () -> SequenceBatch.batchMajor(new float[5], 2, 3, 1, null));
        assertTrue(length.getMessage().contains("batch × steps × inputSize = 2 × 3 × 1"), length.getMessage());
        float[] values = new float[2 * 3 * 2];
        values[(1 * 3 + 2) * 2 + 1] = Float.NaN;
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> SequenceBatch.batchMajor(values, 2, 3, 2, null));
        assertTrue(nan.getMessage().contains("inputs[b=1, t=2, j=1] is NaN"), nan.getMessage());
        IllegalArgumentException lengths = assertThrows(IllegalArgumentException.class,
                () -> SequenceBatch.batchMajor(new float[6], 2, 3, 1, new int[] {1, 4}));
        assertTrue(lengths.getMessage().contains("lengths[1] = 4"), lengths.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SequenceBatch.batchMajor(null, 1, 1, 1, null));
        assertThrows(IllegalArgumentException.class, () -> SequenceBatch.batchMajor(new float[0], 0, 1, 1, null));
    }
}
