package dev.elman.engine.parallel;

/**
 * Thrown by {@link TeamBarrier#await()} in the participants still running a task after another
 * participant of the same task failed.
 *
 * <p>It is a consequence, not a cause: the participants that see it stop instead of waiting for a
 * participant that will never arrive, and {@link ThreadTeam#run} throws the failure that broke the
 * barrier, never this exception.
 */
public final class BrokenTeamBarrierException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BrokenTeamBarrierException() {
        super("the team barrier is broken: another participant of this task failed, and ThreadTeam.run "
                + "rethrows that failure");
    }
}
