package dev.elman.engine.parallel;

import dev.elman.engine.testing.Allocation;
import dev.elman.testing.Trials;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dispatch: every participant runs every task exactly once, back to back and after idle gaps on
 * either side of the spin budget (a lost wake-up hangs, and the timeout turns that into a
 * failure); writes are visible both ways; a dispatch allocates nothing.
 */
class ThreadTeamDispatchTest {
    @ParameterizedTest(name = "{0} threads")
    @ValueSource(ints = {1, 2, 3, 4})
    @Timeout(60)
    void everyParticipantRunsEveryTaskOnceBackToBack(int threads) {
        // More participants than the 2 cores of CI make each run wait for the scheduler: fewer runs.
        int runs = threads <= 2 ? 10_000 : 3_000;
        try (ThreadTeam team = new ThreadTeam(threads)) {
            StampingTask task = new StampingTask(threads);
            for (int r = 0; r < runs; r++) {
                task.runAndCheck(team);
            }
        }
    }

    static Stream<Arguments> gaps() {
        return IntStream.of(2, 3, 4).boxed().flatMap(threads -> Trials.seeds("team idle gaps", 2)
                .mapToObj(seed -> Arguments.of(threads, seed)));
    }

    /**
     * Idle gaps from none to three times the spin budget: the workers find the next task while
     * spinning, while parking, or parked, and every one of these must be woken.
     */
    @ParameterizedTest(name = "{0} threads seed {1}")
    @MethodSource("gaps")
    @Timeout(60)
    void everyParticipantRunsEveryTaskOnceAfterIdleGaps(int threads, long seed) {
        Random random = new Random(seed);
        try (ThreadTeam team = new ThreadTeam(threads)) {
            StampingTask task = new StampingTask(threads);
            for (int r = 0; r < 1_000; r++) {
                long gap = (long) (random.nextDouble() * 3 * SpinBudget.NANOS);
                long end = System.nanoTime() + gap;
                while (System.nanoTime() < end) {
                    Thread.onSpinWait();
                }
                task.runAndCheck(team);
            }
        }
    }

    @ParameterizedTest(name = "{0} threads")
    @ValueSource(ints = {2, 4})
    @Timeout(60)
    void workersWakeFromParking(int threads) throws InterruptedException {
        try (ThreadTeam team = new ThreadTeam(threads)) {
            StampingTask task = new StampingTask(threads);
            for (int r = 0; r < 20; r++) {
                Thread.sleep(2);
                task.runAndCheck(team);
            }
        }
    }

    @Test
    @Timeout(30)
    void writesOfTheWorkersReachTheCallerAndTheCallersReachTheWorkers() {
        int threads = 3;
        int length = 1_000;
        long[] data = new long[threads * length];
        try (ThreadTeam team = new ThreadTeam(threads)) {
            for (int r = 1; r <= 200; r++) {
                // The caller writes every element; each participant adds r to the ones it owns.
                for (int i = 0; i < data.length; i++) {
                    data[i] = i;
                }
                long add = r;
                team.run((p, n) -> {
                    for (int i = p * length; i < (p + 1) * length; i++) {
                        data[i] = data[i] * 2 + add;
                    }
                });
                for (int i = 0; i < data.length; i++) {
                    assertEquals(2L * i + r, data[i], "element " + i + " after run " + r);
                }
            }
        }
    }

    @Test
    @Timeout(30)
    void theCallerIsParticipantZeroAndTheWorkersAreNamedDaemons() {
        try (ThreadTeam team = new ThreadTeam(3)) {
            Thread[] ran = new Thread[3];
            team.run((p, n) -> ran[p] = Thread.currentThread());
            assertSame(Thread.currentThread(), ran[0]);
            for (int p = 1; p < 3; p++) {
                assertEquals(team.name() + "-" + p, ran[p].getName());
                assertTrue(ran[p].isDaemon(), ran[p].getName() + " is a daemon");
            }
            assertTrue(team.name().matches("elman-team-\\d+"), team.name());
            assertEquals(3, team.threads());
        }
    }

    @Test
    @Timeout(30)
    void aOneThreadTeamStartsNoThreadAndRunsOnTheCaller() {
        try (ThreadTeam team = new ThreadTeam(1)) {
            assertEquals(List.of(), TeamThreads.of(team));
            Thread[] ran = new Thread[1];
            int[] sizes = new int[1];
            team.run((p, n) -> {
                ran[p] = Thread.currentThread();
                sizes[p] = n;
                team.barrier().await();
            });
            assertSame(Thread.currentThread(), ran[0]);
            assertEquals(1, sizes[0]);
            IllegalArgumentException failure = new IllegalArgumentException("task failure");
            assertSame(failure, assertThrows(IllegalArgumentException.class, () -> team.run((p, n) -> {
                throw failure;
            })));
            new StampingTask(1).runAndCheck(team);
        }
    }

    @ParameterizedTest(name = "{0} threads")
    @ValueSource(ints = {1, 2, 4})
    @Timeout(60)
    void aDispatchAllocatesNothingOnAnyThread(int threads) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (ThreadTeam team = new ThreadTeam(threads)) {
            StampingTask task = new StampingTask(threads);
            Runnable runs = () -> {
                for (int r = 0; r < 300; r++) {
                    task.runAndCheck(team);
                }
            };
            for (int warmUp = 0; warmUp < 3; warmUp++) {
                runs.run();
            }
            long[] workerIds = TeamThreads.of(team).stream().mapToLong(Thread::threadId).toArray();
            assertEquals(threads - 1, workerIds.length);
            assertEquals(0, Allocation.leastBytes(5, runs), "bytes the caller allocated in 300 runs");
            // As Allocation does for the caller: the least of several rounds, so that one-off
            // events (a late deoptimisation) do not count and anything per run still does.
            long[] leastByWorker = new long[workerIds.length];
            Arrays.fill(leastByWorker, Long.MAX_VALUE);
            for (int round = 0; round < 5; round++) {
                long[] before = mx.getThreadAllocatedBytes(workerIds);
                runs.run();
                long[] after = mx.getThreadAllocatedBytes(workerIds);
                for (int k = 0; k < workerIds.length; k++) {
                    leastByWorker[k] = Math.min(leastByWorker[k], after[k] - before[k]);
                }
            }
            for (int k = 0; k < workerIds.length; k++) {
                assertEquals(0, leastByWorker[k], "bytes a worker allocated in 300 runs");
            }
        }
    }
}
