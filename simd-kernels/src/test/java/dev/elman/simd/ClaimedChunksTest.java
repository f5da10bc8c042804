package dev.elman.simd;

import dev.elman.testing.Trials;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ClaimedChunks}: participants claiming at once get every item exactly once, in whole
 * chunks of the size {@link ClaimedChunks#chunkOf} gives, and a reset counter starts over.
 */
class ClaimedChunksTest {
    static LongStream seeds() {
        return Trials.seeds("claimed-chunks", Trials.tries(40));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void everyItemIsClaimedExactlyOnce(long seed) throws InterruptedException {
        Random random = new Random(seed);
        int count = 1 + random.nextInt(5000);
        int participants = 1 + random.nextInt(4);
        int chunk = ClaimedChunks.chunkOf(count, participants, RegisterTiles.WIDE_ROWS, 4 * RegisterTiles.WIDE_ROWS);
        assertEquals(0, chunk % RegisterTiles.WIDE_ROWS, "a chunk is whole 6-row tiles");
        assertTrue(chunk >= 4 * RegisterTiles.WIDE_ROWS, "a chunk has at least the least size");
        ClaimedChunks chunks = new ClaimedChunks();
        int counter = random.nextBoolean() ? ClaimedChunks.FORWARD_EVEN : ClaimedChunks.FORWARD_ODD;
        for (int round = 0; round < 2; round++) {
            AtomicIntegerArray claims = new AtomicIntegerArray(count);
            CountDownLatch start = new CountDownLatch(1);
            Thread[] threads = new Thread[participants];
            for (int p = 0; p < participants; p++) {
                threads[p] = new Thread(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                    for (int r = chunks.claim(counter, chunk, count); r < count; r = chunks.claim(counter, chunk, count)) {
                        assertEquals(0, r % chunk, "a claim starts a chunk");
                        for (int i = r; i < Math.min(count, r + chunk); i++) {
                            claims.incrementAndGet(i);
                        }
                    }
                });
                threads[p].start();
            }
            start.countDown();
            for (Thread thread : threads) {
                thread.join();
            }
            for (int i = 0; i < count; i++) {
                assertEquals(1, claims.get(i), "item " + i + " of " + count + " (round " + round + ")");
            }
            assertEquals(count, chunks.claim(counter, chunk, count), "nothing is left once all is claimed");
            chunks.reset(counter);
        }
    }
}
