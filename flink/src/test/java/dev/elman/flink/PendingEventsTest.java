package dev.elman.flink;

import dev.elman.testing.Trials;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The buffer's rounds: walking each key's chain, round by round, visits every event exactly once,
 * each key's events in arrival order, the keys numbered by first arrival; round r holds one event
 * of every key with more than r events (so a round steps every key with input together); the
 * rounds are as many as the busiest key's events. Random arrival sequences, also after a clear.
 */
class PendingEventsTest {
    static LongStream seeds() {
        return Trials.seeds("pending events step in rounds, each key in order", Trials.tries(100));
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void roundsKeepEachKeysOrderAndStepAllKeysTogether(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int capacity = 1 + random.nextInt(70);
        int inputSize = 1 + random.nextInt(5);
        PendingEvents<Integer, Integer> pending = new PendingEvents<>(capacity, inputSize);
        for (int fill = 0; fill < 2; fill++) {
            int events = 1 + random.nextInt(capacity);
            int keys = 1 + random.nextInt(events);
            Map<Integer, List<Integer>> expected = new LinkedHashMap<>();
            for (int e = 0; e < events; e++) {
                int key = random.nextInt(keys);
                float[] x = new float[inputSize];
                for (int j = 0; j < inputSize; j++) {
                    x[j] = e * 10 + j;
                }
                pending.add(key, e, x, e % 2 == 0, 1000L + e);
                expected.computeIfAbsent(key, k -> new ArrayList<>()).add(e);
            }
            assertEquals(events, pending.size());
            assertEquals(expected.size(), pending.keyCount());
            assertEquals(expected.values().stream().mapToInt(List::size).max().orElseThrow(), pending.rounds());
            List<Integer> keyOrder = new ArrayList<>(expected.keySet());
            int[] cursor = new int[pending.keyCount()];
            for (int k = 0; k < pending.keyCount(); k++) {
                assertEquals(keyOrder.get(k), pending.key(k), "keys numbered by first arrival");
                cursor[k] = pending.firstEventOf(k);
            }
            Map<Integer, List<Integer>> walked = new HashMap<>();
            for (int r = 0; r < pending.rounds(); r++) {
                int inRound = 0;
                for (int k = 0; k < pending.keyCount(); k++) {
                    int e = cursor[k];
                    if (e < 0) {
                        continue;
                    }
                    inRound++;
                    cursor[k] = pending.nextEventOfKey(e);
                    assertEquals(k, pending.keyOf(e));
                    assertEquals(e, pending.event(e));
                    assertEquals(e % 2 == 0, pending.hasTimestamp(e));
                    assertEquals(1000L + e, pending.timestamp(e));
                    float[] x = new float[inputSize];
                    System.arraycopy(pending.inputs(), e * inputSize, x, 0, inputSize);
                    float[] expectedX = new float[inputSize];
                    for (int j = 0; j < inputSize; j++) {
                        expectedX[j] = e * 10 + j;
                    }
                    assertArrayEquals(expectedX, x);
                    walked.computeIfAbsent(pending.key(k), key -> new ArrayList<>()).add(e);
                }
                final int round = r;
                long keysWithMore = expected.values().stream().filter(list -> list.size() > round).count();
                assertEquals(keysWithMore, inRound, "round " + r + " steps every key that has an r-th event");
            }
            assertEquals(expected, walked);
            pending.clear();
            assertEquals(0, pending.size());
            assertEquals(0, pending.keyCount());
            assertEquals(0, pending.rounds());
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void refusesAnEventBeyondItsCapacity(long seed) {
        int capacity = 1 + new SplittableRandom(seed).nextInt(20);
        PendingEvents<Integer, Integer> pending = new PendingEvents<>(capacity, 1);
        for (int e = 0; e < capacity; e++) {
            pending.add(e % 3, e, new float[1], false, 0);
        }
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> pending.add(0, 0, new float[1], false, 0));
        assertEquals("pending events full (" + capacity + "): flush first", e.getMessage());
    }
}
