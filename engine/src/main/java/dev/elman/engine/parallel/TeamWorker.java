package dev.elman.engine.parallel;

import java.util.concurrent.locks.LockSupport;

/**
 * One worker thread of a {@link ThreadTeam}: it waits for the team's next generation, runs its
 * share of the task, reports completion and waits again, until the team stops it.
 *
 * <p>The wait spins for the {@link SpinBudget} and then parks. Parking is a handshake with
 * {@link ThreadTeam}'s dispatch: the worker sets {@link #parked} and then reads the generation;
 * the caller writes the generation and then reads {@code parked}. Both are volatile, so at least
 * one of them sees the other's write: either the worker sees the new task and does not park, or
 * the caller sees the flag and unparks it. A wake-up cannot be lost, and the caller unparks only
 * workers that may be parked.
 */
final class TeamWorker extends Thread {
    private final ThreadTeam team;
    private final int participant;
    private volatile boolean parked;

    TeamWorker(ThreadTeam team, int participant, String name) {
        // Not inheriting the creator's inheritable thread-locals: the team outlives the request
        // or job that happened to build the model, and must not keep its context alive.
        super(null, null, name, 0, false);
        this.team = team;
        this.participant = participant;
        // A team the user forgot to close must not keep the JVM alive.
        setDaemon(true);
    }

    ThreadTeam team() {
        return team;
    }

    /** Whether this worker may be parked (it may also be just about to park, or just woken). */
    boolean mayBeParked() {
        return parked;
    }

    @Override
    public void run() {
        // Generations count from 0 and advance by one per run, and a run cannot start before every
        // worker finished the previous one, so a worker needs no read to know which one is next.
        int seen = 0;
        while (awaitNext(seen)) {
            seen++;
            team.runShare(participant);
            team.finishShare();
        }
    }

    /** Waits for a generation other than {@code seen}: true for a new task, false to stop. */
    private boolean awaitNext(int seen) {
        long spinStart = System.nanoTime();
        do {
            for (int i = 0; i < SpinBudget.CHECKS_PER_CLOCK_READ; i++) {
                if (team.generation() != seen) {
                    return true;
                }
                Thread.onSpinWait();
            }
            if (team.stopping()) {
                return false;
            }
        } while (System.nanoTime() - spinStart < SpinBudget.NANOS);
        while (true) {
            parked = true;
            if (team.generation() != seen) {
                parked = false;
                return true;
            }
            if (team.stopping()) {
                parked = false;
                return false;
            }
            LockSupport.park(team);
            // The team stops its workers by a flag, never by interrupting them; a stray interrupt
            // would make every later park return at once and turn the idle wait into a spin.
            Thread.interrupted();
        }
    }
}
