package dev.elman.engine.parallel;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The step barrier of a {@link ThreadTeam}'s row split: inside a task, every participant calls
 * {@link #await()} at the end of each step, and none continues before all have arrived.
 *
 * <p>Get it with {@link ThreadTeam#barrier()}. It may be awaited only from inside a task the team
 * is running, by its participants, and every participant must await it the same number of times
 * in a task.
 *
 * <h2>Why it spins</h2>
 * A step of a row-split recurrence takes microseconds, and while a task runs every participant is
 * on a thread of its own, so the last arrival is never far away: waiting by
 * {@link Thread#onSpinWait()} costs less than any hand-off through the scheduler. When there are
 * more participants than free cores, though, the one everybody waits for may need the core a
 * waiter spins on; after a bounded spin a waiter therefore yields on every check, so an
 * oversubscribed team progresses instead of livelocking. The barrier allocates nothing.
 *
 * <h2>How it works and what it publishes</h2>
 * It is a sense-reversing barrier whose sense is a phase number (the sense is its parity, and no
 * participant needs a local copy): an arrival reads the phase, counts itself down, and the last
 * arrival resets the count and advances the phase; the others wait for the phase to move. The
 * count-down is a volatile read-modify-write and the advance a volatile write, so everything any
 * participant wrote before its {@code await} happens-before everything every participant does
 * after its {@code await} returns: the barrier publishes the step's new state (the new {@code h}).
 *
 * <h2>Failures</h2>
 * A participant whose task throws breaks the barrier on its way out; the participants waiting at
 * it, or arriving later in the same task, throw {@link BrokenTeamBarrierException} instead of
 * waiting forever, and {@link ThreadTeam#run} throws the original failure. A participant that
 * returns from the task while another waits at the barrier (unequal numbers of awaits) would
 * leave it waiting forever, so the waiter throws {@link IllegalStateException} instead. The team
 * rearms the barrier at the start of every run, so a failed task leaves nothing behind.
 */
public final class TeamBarrier {
    private static final VarHandle ARRIVALS;
    private static final VarHandle DEPARTED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            ARRIVALS = lookup.findVarHandle(TeamBarrier.class, "arrivals", int.class);
            DEPARTED = lookup.findVarHandle(TeamBarrier.class, "departed", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int parties;
    /** Participants still to arrive in the current phase; counted down with {@link #ARRIVALS}. */
    private volatile int arrivals;
    private volatile int phase;
    private volatile boolean broken;
    /** Participants that have returned from the current task. */
    private volatile int departed;
    private volatile boolean armed;

    TeamBarrier(int parties) {
        this.parties = parties;
        this.arrivals = parties;
    }

    /**
     * Waits until every participant of the running task has called {@code await} as often as this
     * one: the end of a step.
     *
     * @throws BrokenTeamBarrierException when another participant of the task failed
     * @throws IllegalStateException when called outside a task of the team, or when another
     *         participant returned from the task without arriving
     */
    public void await() {
        if (!armed) {
            throw new IllegalStateException("TeamBarrier.await() called outside a task of its team: only "
                    + "the participants of a running ThreadTeam task may wait at its barrier");
        }
        if (broken) {
            throw new BrokenTeamBarrierException();
        }
        // No phase can complete before this participant arrives, so the phase read here is the
        // one its arrival belongs to.
        int current = phase;
        if ((int) ARRIVALS.getAndAdd(this, -1) == 1) {
            // The others wait for the phase to move, so the count is reset before it does.
            arrivals = parties;
            phase = current + 1;
            return;
        }
        long spinStart = System.nanoTime();
        boolean yielding = false;
        int checks = 0;
        while (phase == current) {
            if (broken) {
                throw new BrokenTeamBarrierException();
            }
            // A departed participant never arrives. The phase is read again because that
            // participant may have completed this phase (it advanced the phase, then departed)
            // between the two reads above.
            if (departed != 0 && phase == current) {
                throw new IllegalStateException("a participant returned from its ThreadTeam task while "
                        + "another waits at the team barrier: every participant must call await() the "
                        + "same number of times in a task");
            }
            if (yielding) {
                Thread.yield();
            } else {
                Thread.onSpinWait();
                if ((++checks & (SpinBudget.CHECKS_PER_CLOCK_READ - 1)) == 0) {
                    yielding = System.nanoTime() - spinStart > SpinBudget.NANOS;
                }
            }
        }
    }

    /** Readies the barrier for a task; called by the team before the task is published. */
    void arm() {
        arrivals = parties;
        broken = false;
        departed = 0;
        armed = true;
    }

    /** Called by the team after every participant returned from the task. */
    void disarm() {
        armed = false;
    }

    /** Releases the waiters with {@link BrokenTeamBarrierException}: a participant failed. */
    void breakBarrier() {
        broken = true;
    }

    /** Records that a participant returned from the task (normally or not). */
    void depart() {
        if (parties > 1) {
            // Atomic: several participants may return from the task at the same moment.
            DEPARTED.getAndAdd(this, 1);
        }
    }
}
