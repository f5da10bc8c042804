package dev.elman.engine.model;

import dev.elman.kernels.HeadWeights;
import dev.elman.kernels.RecurrentKernels;
import dev.elman.kernels.RecurrentWeights;
import dev.elman.kernels.Team;

/**
 * A model's kernels, their packed weights and the team its passes share their work with, resolved
 * once so that passes never call back into the {@link Model}. The holders are fixed for the model's
 * life: {@link Model#loadParameters()} reloads them in place, so a runner or session made before a
 * load computes with the new values. The team is the one thing that changes
 * ({@link Model#setThreads}, {@link Model#close}): runners and sessions read it at the start of
 * every pass and remake their workspace when it is not the one their workspace was made with, so
 * none keeps using a team the model has closed.
 */
final class StackWeights {
    private final RecurrentKernels kernels;
    private final RecurrentWeights[] recurrent;
    private final HeadWeights head;
    /** Written by the model's owner between passes; volatile so that runners on other threads see it. */
    private volatile Team team = Team.SOLO;

    /**
     * @param recurrent every layer and direction's weights, index {@code l·D + d}; kept, not copied
     * @param head the head's weights, or null without a head
     */
    StackWeights(RecurrentKernels kernels, RecurrentWeights[] recurrent, HeadWeights head) {
        this.kernels = kernels;
        this.recurrent = recurrent;
        this.head = head;
    }

    RecurrentKernels kernels() {
        return kernels;
    }

    /** @return the weights of cell {@code l·D + d} */
    RecurrentWeights recurrent(int layerDirection) {
        return recurrent[layerDirection];
    }

    /** @return the head's weights, or null when the model has no head */
    HeadWeights head() {
        return head;
    }

    /** @return the team passes use now: {@link Team#SOLO} or the model's open {@code ThreadTeam} */
    Team team() {
        return team;
    }

    /** Makes {@code team} the one later passes use; the caller closes the previous one afterwards. */
    void team(Team team) {
        this.team = team;
    }
}
