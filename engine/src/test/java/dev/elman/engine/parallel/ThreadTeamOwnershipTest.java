package dev.elman.engine.parallel;

import dev.elman.kernels.Team;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Misuse is detected, not deadlocked on or silently serialised: a run from inside a task of the
 * same team, a run while another thread's run is in progress, bad arguments.
 */
class ThreadTeamOwnershipTest {
    @ParameterizedTest(name = "from participant {0}")
    @ValueSource(ints = {0, 1, 2})
    @Timeout(30)
    void aRunFromInsideOneOfItsTasksThrows(int participant) {
        try (ThreadTeam team = new ThreadTeam(3)) {
            AtomicInteger inner = new AtomicInteger();
            IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> team.run((p, n) -> {
                if (p == participant) {
                    team.run((q, m) -> inner.incrementAndGet());
                }
            }));
            assertTrue(thrown.getMessage().contains("inside one of its own tasks"), thrown.getMessage());
            assertTrue(thrown.getMessage().contains(team.name()), thrown.getMessage());
            assertEquals(0, inner.get(), "runs of the inner task");

            IllegalStateException tried = assertThrows(IllegalStateException.class, () -> team.run((p, n) -> {
                if (p == participant) {
                    team.tryRun((q, m) -> inner.incrementAndGet());
                }
            }));
            assertTrue(tried.getMessage().contains("inside one of its own tasks"), tried.getMessage());
            assertEquals(0, inner.get(), "runs of the inner task");

            new StampingTask(3).runAndCheck(team);
        }
    }

    @Test
    @Timeout(30)
    void aSecondCallerIsRefusedWhileTheTeamIsBusy() throws InterruptedException {
        try (ThreadTeam team = new ThreadTeam(2)) {
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            AtomicReference<Throwable> firstCallerFailure = new AtomicReference<>();
            Thread first = new Thread(() -> {
                try {
                    team.run((p, n) -> {
                        if (p == 0) {
                            started.countDown();
                            awaitLatch(release);
                        }
                    });
                } catch (Throwable t) {
                    firstCallerFailure.set(t);
                }
            }, "first-caller");
            first.start();
            try {
                assertTrue(started.await(10, TimeUnit.SECONDS), "the first caller's task started");
                AtomicInteger ran = new AtomicInteger();
                IllegalStateException thrown = assertThrows(IllegalStateException.class,
                        () -> team.run((p, n) -> ran.incrementAndGet()));
                assertTrue(thrown.getMessage().contains("busy"), thrown.getMessage());
                assertTrue(thrown.getMessage().contains("first-caller"), thrown.getMessage());
                assertTrue(thrown.getMessage().contains("one caller at a time"), thrown.getMessage());
                assertFalse(team.tryRun((p, n) -> ran.incrementAndGet()), "tryRun on a busy team");
                assertEquals(0, ran.get(), "participants that ran a refused task");
            } finally {
                release.countDown();
                first.join(10_000);
            }
            assertNull(firstCallerFailure.get());
            assertTrue(team.tryRun((p, n) -> { }), "tryRun on a free team");
            new StampingTask(2).runAndCheck(team);
        }
    }

    @Test
    @Timeout(60)
    void manyCallersOnOneTeamEitherRunOrAreRefusedButNeverInterleave() throws InterruptedException {
        try (ThreadTeam team = new ThreadTeam(2)) {
            // Each participant checks that no other task started while its own was running.
            AtomicInteger running = new AtomicInteger();
            AtomicInteger overlaps = new AtomicInteger();
            AtomicInteger ran = new AtomicInteger();
            AtomicInteger workerRan = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();
            Team.Task task = (p, n) -> {
                if (p == 1) {
                    workerRan.incrementAndGet();
                }
                if (p == 0) {
                    if (running.incrementAndGet() != 1) {
                        overlaps.incrementAndGet();
                    }
                    ran.incrementAndGet();
                    running.decrementAndGet();
                }
            };
            Thread[] callers = new Thread[3];
            for (int c = 0; c < callers.length; c++) {
                callers[c] = new Thread(() -> {
                    for (int r = 0; r < 3_000; r++) {
                        if (!team.tryRun(task)) {
                            refused.incrementAndGet();
                        }
                    }
                });
                callers[c].start();
            }
            for (Thread caller : callers) {
                caller.join(30_000);
            }
            assertEquals(0, overlaps.get(), "tasks that overlapped");
            assertEquals(3 * 3_000, ran.get() + refused.get(), "runs and refusals");
            assertEquals(ran.get(), workerRan.get(), "runs of the worker's share");
        }
    }

    @ParameterizedTest(name = "{0} threads")
    @ValueSource(ints = {0, -1, Parallelism.MAX_THREADS + 1})
    void anImpossibleTeamSizeIsRefused(int threads) {
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, () -> new ThreadTeam(threads));
        assertTrue(thrown.getMessage().contains("threads"), thrown.getMessage());
        assertTrue(thrown.getMessage().contains(String.valueOf(threads)), thrown.getMessage());
    }

    @Test
    void aNullTaskIsRefused() {
        try (ThreadTeam team = new ThreadTeam(2)) {
            NullPointerException thrown = assertThrows(NullPointerException.class, () -> team.run(null));
            assertEquals("task", thrown.getMessage());
            assertThrows(NullPointerException.class, () -> team.tryRun(null));
            new StampingTask(2).runAndCheck(team);
        }
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
