package dev.elman.engine.parallel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.concurrent.CompletionException;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A participant's failure reaches the caller as it was thrown, only after every participant has
 * finished, and leaves the team usable.
 */
class ThreadTeamFailureTest {
    /** Every (team size, failing participant) pair for teams of 2 to 4: the caller and each worker. */
    static Stream<Arguments> failingParticipants() {
        return IntStream.rangeClosed(2, 4).boxed()
                .flatMap(threads -> IntStream.range(0, threads).mapToObj(p -> Arguments.of(threads, p)));
    }

    @ParameterizedTest(name = "{0} threads, participant {1} fails")
    @MethodSource("failingParticipants")
    @Timeout(30)
    void aRuntimeExceptionIsRethrownAsItIsAfterEveryoneFinished(int threads, int failing) throws InterruptedException {
        try (ThreadTeam team = new ThreadTeam(threads)) {
            IllegalArgumentException failure = new IllegalArgumentException("participant " + failing);
            boolean[] finished = new boolean[threads];
            IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, () -> team.run((p, n) -> {
                if (p == failing) {
                    throw failure;
                }
                sleep(20);
                finished[p] = true;
            }));
            assertSame(failure, thrown);
            boolean[] expected = new boolean[threads];
            for (int p = 0; p < threads; p++) {
                expected[p] = p != failing;
            }
            assertArrayEquals(expected, finished, "the participants that finished before run threw");

            StampingTask task = new StampingTask(threads);
            for (int r = 0; r < 100; r++) {
                task.runAndCheck(team);
            }
        }
    }

    @ParameterizedTest(name = "{0} threads, participant {1} fails")
    @MethodSource("failingParticipants")
    @Timeout(30)
    void anErrorIsRethrownAsItIs(int threads, int failing) {
        try (ThreadTeam team = new ThreadTeam(threads)) {
            StackOverflowError failure = new StackOverflowError("participant " + failing);
            assertSame(failure, assertThrows(StackOverflowError.class, () -> team.run((p, n) -> {
                if (p == failing) {
                    throw failure;
                }
            })));
            new StampingTask(threads).runAndCheck(team);
        }
    }

    @Test
    @Timeout(30)
    void aCheckedExceptionIsWrappedInACompletionException() {
        try (ThreadTeam team = new ThreadTeam(2)) {
            Exception failure = new Exception("checked");
            CompletionException thrown = assertThrows(CompletionException.class, () -> team.run((p, n) -> {
                if (p == 1) {
                    ThreadTeamFailureTest.<RuntimeException>sneakyThrow(failure);
                }
            }));
            assertSame(failure, thrown.getCause());
        }
    }

    @Test
    @Timeout(30)
    void theLowestFailingParticipantIsThrownAndTheOthersAreSuppressed() {
        try (ThreadTeam team = new ThreadTeam(4)) {
            for (int r = 0; r < 20; r++) {
                RuntimeException[] failures = new RuntimeException[4];
                for (int p = 1; p < 4; p++) {
                    failures[p] = new IllegalStateException("participant " + p);
                }
                RuntimeException thrown = assertThrows(IllegalStateException.class, () -> team.run((p, n) -> {
                    if (p > 0) {
                        throw failures[p];
                    }
                }));
                assertSame(failures[1], thrown);
                assertArrayEquals(new Throwable[] {failures[2], failures[3]}, thrown.getSuppressed());
            }
        }
    }

    @Test
    @Timeout(30)
    void theSameExceptionFromTwoParticipantsIsThrownOnce() {
        try (ThreadTeam team = new ThreadTeam(3)) {
            IllegalStateException shared = new IllegalStateException("shared");
            assertSame(shared, assertThrows(IllegalStateException.class, () -> team.run((p, n) -> {
                throw shared;
            })));
            assertEquals(0, shared.getSuppressed().length);
        }
    }

    @Test
    @Timeout(30)
    void anInterruptedCallerCompletesTheRunAndKeepsItsInterrupt() {
        try (ThreadTeam team = new ThreadTeam(2)) {
            boolean[] finished = new boolean[2];
            Thread.currentThread().interrupt();
            try {
                team.run((p, n) -> {
                    if (p == 1) {
                        // Longer than the spin budget, so the caller parks while interrupted.
                        sleep(20);
                    }
                    finished[p] = true;
                });
            } finally {
                boolean interrupted = Thread.interrupted();
                assertEquals(true, interrupted, "the caller's interrupt status after run");
            }
            assertArrayEquals(new boolean[] {true, true}, finished);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void sneakyThrow(Throwable failure) throws T {
        throw (T) failure;
    }
}
