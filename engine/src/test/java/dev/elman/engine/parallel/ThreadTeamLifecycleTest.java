package dev.elman.engine.parallel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** An idle team parks its workers; closing stops them, once, and ends the team's use. */
class ThreadTeamLifecycleTest {
    @ParameterizedTest(name = "{0} threads")
    @ValueSource(ints = {2, 4})
    @Timeout(30)
    void anIdleTeamParksEveryWorker(int threads) throws InterruptedException {
        try (ThreadTeam team = new ThreadTeam(threads)) {
            StampingTask task = new StampingTask(threads);
            for (int r = 0; r < 1_000; r++) {
                task.runAndCheck(team);
            }
            List<Thread> workers = TeamThreads.of(team);
            assertEquals(threads - 1, workers.size());
            // The spin budget is microseconds; allow the scheduler plenty on a loaded machine.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!workers.stream().allMatch(ThreadTeamLifecycleTest::waits)) {
                if (System.nanoTime() > deadline) {
                    fail("workers still not parked: " + workers.stream()
                            .map(w -> w.getName() + " " + w.getState()).toList());
                }
                Thread.sleep(5);
            }
            // Still waiting after a longer idle period: nothing wakes them but a task.
            Thread.sleep(50);
            for (Thread worker : workers) {
                assertTrue(waits(worker), worker.getName() + " is " + worker.getState() + " after idling");
            }
            task.runAndCheck(team);
        }
    }

    @ParameterizedTest(name = "{0} threads")
    @ValueSource(ints = {1, 2, 4})
    @Timeout(30)
    void closeStopsTheWorkersAndEndsTheTeam(int threads) {
        ThreadTeam team = new ThreadTeam(threads);
        new StampingTask(threads).runAndCheck(team);
        List<Thread> workers = TeamThreads.of(team);
        assertEquals(threads - 1, workers.size());
        assertFalse(team.isClosed());

        team.close();
        assertTrue(team.isClosed());
        for (Thread worker : workers) {
            assertFalse(worker.isAlive(), worker.getName() + " is alive after close");
        }
        assertEquals(List.of(), TeamThreads.of(team), "threads of the team after close");

        team.close();
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> team.run((p, n) -> { }));
        assertTrue(thrown.getMessage().contains("closed"), thrown.getMessage());
        assertThrows(IllegalStateException.class, () -> team.tryRun((p, n) -> { }));
        assertTrue(team.toString().contains("closed"), team.toString());
    }

    @Test
    @Timeout(30)
    void closeWhileAnotherThreadRunsWaitsForTheRunToFinish() throws InterruptedException {
        ThreadTeam team = new ThreadTeam(3);
        List<Thread> workers = TeamThreads.of(team);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        boolean[] finished = new boolean[3];
        AtomicReference<Throwable> runFailure = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                team.run((p, n) -> {
                    if (p == 0) {
                        started.countDown();
                        awaitLatch(release);
                    }
                    finished[p] = true;
                });
            } catch (Throwable t) {
                runFailure.set(t);
            }
        });
        caller.start();
        assertTrue(started.await(10, TimeUnit.SECONDS));
        Thread closer = new Thread(team::close);
        closer.start();
        closer.join(100);
        assertTrue(closer.isAlive(), "close returned while a run was in progress");
        assertTrue(team.isClosed());
        release.countDown();
        caller.join(10_000);
        closer.join(10_000);
        assertFalse(closer.isAlive());
        assertNull(runFailure.get(), "the run in progress when close was called");
        assertTrue(finished[0] && finished[1] && finished[2], "every participant finished the run");
        for (Thread worker : workers) {
            assertFalse(worker.isAlive(), worker.getName() + " is alive after close");
        }
    }

    @ParameterizedTest(name = "from participant {0}")
    @ValueSource(ints = {0, 1})
    @Timeout(30)
    void closeFromInsideATaskThrowsAndLeavesTheTeamOpen(int participant) {
        try (ThreadTeam team = new ThreadTeam(2)) {
            IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> team.run((p, n) -> {
                if (p == participant) {
                    team.close();
                }
            }));
            assertTrue(thrown.getMessage().contains("close() called from inside"), thrown.getMessage());
            assertFalse(team.isClosed());
            new StampingTask(2).runAndCheck(team);
        }
    }

    private static boolean waits(Thread worker) {
        Thread.State state = worker.getState();
        return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING;
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("latch not released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
