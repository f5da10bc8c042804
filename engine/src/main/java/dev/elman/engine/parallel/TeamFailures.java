package dev.elman.engine.parallel;

import java.util.Arrays;

/**
 * What the participants of one task threw, one slot per participant, and the choice of the one
 * failure {@link ThreadTeam#run} throws.
 *
 * <p>A participant writes only its own slot, before it reports completion; the caller reads the
 * slots after it has seen every completion, so the completion count orders the accesses and the
 * slots need no synchronisation of their own. Nothing is allocated unless something failed.
 */
final class TeamFailures {
    private final Throwable[] slots;

    TeamFailures(int participants) {
        slots = new Throwable[participants];
    }

    void record(int participant, Throwable failure) {
        slots[participant] = failure;
    }

    /**
     * Empties the slots and returns the failure to report, or null when none failed. The cause is
     * the lowest-numbered participant's failure that is not a {@link BrokenTeamBarrierException}
     * (those only follow a failure elsewhere); the lowest number, rather than the earliest in
     * time, so that the same fault reports the same way on every run. The other causes are added
     * to it as suppressed exceptions; the broken-barrier exceptions are dropped.
     */
    Throwable collect() {
        Throwable cause = null;
        Throwable consequence = null;
        for (Throwable failure : slots) {
            if (failure instanceof BrokenTeamBarrierException) {
                if (consequence == null) {
                    consequence = failure;
                }
            } else if (failure != null) {
                if (cause == null) {
                    cause = failure;
                } else if (failure != cause) {
                    cause.addSuppressed(failure);
                }
            }
        }
        Arrays.fill(slots, null);
        return cause != null ? cause : consequence;
    }
}
