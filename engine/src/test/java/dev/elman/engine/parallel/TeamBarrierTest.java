package dev.elman.engine.parallel;

import dev.elman.kernels.Team;
import dev.elman.engine.testing.Allocation;
import dev.elman.testing.Trials;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The row-split barrier: a recurrence whose rows are split over the team, one barrier per step,
 * computes exactly what one thread computes, for any team size (also more participants than
 * cores); a failing participant breaks the barrier instead of hanging the others.
 */
class TeamBarrierTest {
    static Stream<Arguments> rowSplits() {
        return IntStream.rangeClosed(1, 4).boxed().flatMap(threads -> Trials.seeds("team barrier row split", 2)
                .mapToObj(seed -> Arguments.of(threads, seed)));
    }

    @ParameterizedTest(name = "{0} threads seed {1}")
    @MethodSource("rowSplits")
    @Timeout(60)
    void aRowSplitRecurrenceEqualsTheSerialOneBitForBit(int threads, long seed) {
        Random random = new Random(seed);
        int size = 8 + random.nextInt(40);
        int steps = threads <= 2 ? 1_000 : 400;
        RowSplitRecurrence recurrence = new RowSplitRecurrence(random, size);
        float[] expected = recurrence.serial(steps);
        try (ThreadTeam team = new ThreadTeam(threads)) {
            assertArrayEquals(expected, recurrence.parallel(team, steps));
            // A second task on the same team: the barrier is rearmed, its phase carries on.
            assertArrayEquals(expected, recurrence.parallel(team, steps));
        }
    }

    static Stream<Arguments> failures() {
        return IntStream.rangeClosed(2, 4).boxed()
                .flatMap(threads -> IntStream.of(0, threads - 1).mapToObj(p -> Arguments.of(threads, p)));
    }

    @ParameterizedTest(name = "{0} threads, participant {1} fails")
    @MethodSource("failures")
    @Timeout(30)
    void aFailingParticipantBreaksTheBarrierAndRunThrowsItsFailure(int threads, int failing) {
        try (ThreadTeam team = new ThreadTeam(threads)) {
            TeamBarrier barrier = team.barrier();
            IllegalArgumentException failure = new IllegalArgumentException("step 7 of participant " + failing);
            Throwable[] seen = new Throwable[threads];
            IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, () -> team.run((p, n) -> {
                try {
                    for (int step = 0; step < 1_000; step++) {
                        if (p == failing && step == 7) {
                            throw failure;
                        }
                        barrier.await();
                    }
                } catch (RuntimeException e) {
                    seen[p] = e;
                    throw e;
                }
            }));
            assertSame(failure, thrown);
            for (int p = 0; p < threads; p++) {
                if (p != failing) {
                    assertInstanceOf(BrokenTeamBarrierException.class, seen[p], "what participant " + p + " saw");
                }
            }
            assertEquals(0, thrown.getSuppressed().length, "the broken-barrier exceptions are not reported");

            RowSplitRecurrence recurrence = new RowSplitRecurrence(new Random(threads), 16);
            assertArrayEquals(recurrence.serial(100), recurrence.parallel(team, 100), "the next task's result");
        }
    }

    @ParameterizedTest(name = "{0} threads")
    @ValueSource(ints = {2, 3})
    @Timeout(30)
    void aParticipantThatLeavesEarlyFailsTheOthersInsteadOfHangingThem(int threads) {
        try (ThreadTeam team = new ThreadTeam(threads)) {
            TeamBarrier barrier = team.barrier();
            IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> team.run((p, n) -> {
                int steps = p == 1 ? 3 : 10;
                for (int step = 0; step < steps; step++) {
                    barrier.await();
                }
            }));
            assertTrue(thrown.getMessage().contains("same number of times"), thrown.getMessage());
            new StampingTask(threads).runAndCheck(team);
        }
    }

    @Test
    @Timeout(30)
    void awaitOutsideATaskThrows() {
        try (ThreadTeam team = new ThreadTeam(2)) {
            IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> team.barrier().await());
            assertTrue(thrown.getMessage().contains("outside a task"), thrown.getMessage());
            team.run((p, n) -> team.barrier().await());
            assertThrows(IllegalStateException.class, () -> team.barrier().await());
        }
    }

    @Test
    @Timeout(30)
    void everyStepSeesEveryParticipantsPreviousStep() {
        int threads = 3;
        int steps = 500;
        int[] progress = new int[threads];
        String[] problem = new String[1];
        try (ThreadTeam team = new ThreadTeam(threads)) {
            team.run((p, n) -> {
                for (int step = 1; step <= steps; step++) {
                    progress[p] = step;
                    team.barrier().await();
                    for (int q = 0; q < n; q++) {
                        // Nobody may be behind (a missed publication) or two steps ahead (a
                        // barrier that let someone through early).
                        if (progress[q] != step && progress[q] != step + 1) {
                            problem[0] = "at step " + step + " participant " + p + " saw " + q + " at " + progress[q];
                        }
                    }
                    team.barrier().await();
                }
            });
        }
        assertNull(problem[0]);
        assertArrayEquals(new int[] {steps, steps, steps}, progress);
    }

    @Test
    @Timeout(60)
    void aBarrierStepAllocatesNothing() {
        try (ThreadTeam team = new ThreadTeam(2)) {
            TeamBarrier barrier = team.barrier();
            Team.Task steps = (p, n) -> {
                for (int step = 0; step < 500; step++) {
                    barrier.await();
                }
            };
            for (int warmUp = 0; warmUp < 4; warmUp++) {
                team.run(steps);
            }
            assertEquals(0, Allocation.leastBytes(5, () -> team.run(steps)), "bytes the caller allocated in 500 steps");
        }
    }
}
