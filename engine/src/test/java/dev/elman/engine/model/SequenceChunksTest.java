package dev.elman.engine.model;

import dev.elman.engine.testing.KernelsUnderTest;
import dev.elman.engine.testing.RandomData;
import dev.elman.testing.Trials;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The chunking under {@link Model#gradient} and truncated-BPTT training: chunk {@code c} of a
 * batch of T steps covers steps {@code [c·k, min(T, (c+1)·k))}, each sequence's length clipped to
 * it, so a runner fed by the chunks holds exactly what it holds when fed those spans by hand; and
 * {@link SequenceChunks#zeroPadding} clears exactly the rows past each sequence's end.
 */
class SequenceChunksTest {

    static LongStream seeds() {
        return Trials.seeds("sequence chunks", 60);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void chunksAreTheSpansOfTheSpecificationInOrder(long seed) {
        Random random = new Random(seed);
        ModelConfig config = ModelConfig.builder().inputSize(1 + random.nextInt(4)).hiddenSize(1 + random.nextInt(5))
                .layers(1 + random.nextInt(2)).outputSize(random.nextBoolean() ? 1 + random.nextInt(3) : 0).build();
        int steps = 1 + random.nextInt(12);
        int batch = 1 + random.nextInt(4);
        int k = 1 + random.nextInt(steps + 2);
        int capacity = Math.min(k, steps) + random.nextInt(3);
        int[] lengths = random.nextBoolean() ? RandomData.lengths(random, steps, batch) : null;
        int in = config.inputSize();
        float[] x = RandomData.uniform(random, steps * batch * in, 1.0);
        SequenceBatch sequences = new SequenceBatch(x, steps, batch, in, lengths);
        Model model = Model.create(config, Initialization.uniform(), random.nextLong(), KernelsUnderTest.reference());
        String name = config + " T=" + steps + " B=" + batch + " k=" + k + " capacity=" + capacity + " lengths="
                + Arrays.toString(lengths);

        StackRunner chunked = model.newRunner(capacity, batch);
        StackRunner byHand = model.newRunner(capacity, batch);
        chunked.reset(batch, null);
        byHand.reset(batch, null);
        SequenceChunks chunks = new SequenceChunks(k);
        chunks.start(sequences, chunked);
        int w = config.outputWidth();
        int count = 0;
        for (int first = 0; first < steps; first += k) {
            int m = Math.min(k, steps - first);
            assertTrue(chunks.next(), name + ": chunk " + count);
            assertEquals(first, chunks.first(), name + ": first step of chunk " + count);
            assertEquals(m, chunks.steps(), name + ": steps of chunk " + count);
            int[] clipped = null;
            if (lengths != null) {
                clipped = new int[batch];
                for (int n = 0; n < batch; n++) {
                    clipped[n] = Math.max(0, Math.min(m, lengths[n] - first));
                }
            }
            byHand.advance(m, x, first * batch * in, clipped);
            int rows = byHand.windowSteps() * batch * w;
            assertEquals(byHand.windowSteps(), chunked.windowSteps(), name);
            assertArrayEquals(Arrays.copyOf(byHand.output(), rows), Arrays.copyOf(chunked.output(), rows),
                    name + ": window after chunk " + count);

            float[] filled = RandomData.uniform(random, 3 + m * batch * w, 1.0);
            float[] zeroed = filled.clone();
            chunks.zeroPadding(zeroed, 3, w);
            for (int i = 0; i < filled.length; i++) {
                int row = (i - 3) / w;
                boolean padding = i >= 3 && lengths != null && first + row / batch >= lengths[row % batch];
                assertEquals(padding ? 0f : filled[i], zeroed[i], name + ": chunk " + count + " element " + i);
            }
            if (random.nextBoolean()) {
                chunked.detach();
                byHand.detach();
            }
            count++;
        }
        assertFalse(chunks.next(), name + ": no chunk after the last");
        assertFalse(chunks.next(), name + ": still none");
    }

    @Test
    void misuseIsRefusedNamingTheProblem() {
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> new SequenceChunks(0));
        assertEquals("chunkSteps must be at least 1, got 0", zero.getMessage());
        SequenceChunks chunks = new SequenceChunks(2);
        IllegalStateException early = assertThrows(IllegalStateException.class, chunks::next);
        assertEquals("call start(batch, runner) first", early.getMessage());
        IllegalArgumentException nulls = assertThrows(IllegalArgumentException.class, () -> chunks.start(null, null));
        assertEquals("batch and runner must not be null", nulls.getMessage());

        ModelConfig config = ModelConfig.builder().inputSize(1).hiddenSize(2).build();
        Model model = Model.create(config, Initialization.uniform(), 1, KernelsUnderTest.reference());
        StackRunner runner = model.newRunner(2, 2);
        runner.reset(2, null);
        chunks.start(new SequenceBatch(new float[6], 3, 2, 1, new int[] {3, 1}), runner);
        assertTrue(chunks.next());
        IllegalArgumentException rows = assertThrows(IllegalArgumentException.class,
                () -> chunks.zeroPadding(new float[8], 1, 2));
        assertEquals("rows: expected 8 floats (steps × batch × width = 2 × 2 × 2) from offset 1, got length 8",
                rows.getMessage());

        StackRunner small = model.newRunner(1, 2);
        small.reset(2, null);
        chunks.start(new SequenceBatch(new float[6], 3, 2, 1), small);
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class, chunks::next);
        assertEquals("steps must be in 1 … 1 (this runner's capacity), got 2", tooLong.getMessage());
    }
}
