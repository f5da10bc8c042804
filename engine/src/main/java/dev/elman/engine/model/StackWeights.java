package dev.elman.engine.model;

import dev.elman.kernels.HeadWeights;
import dev.elman.kernels.RecurrentKernels;
import dev.elman.kernels.RecurrentWeights;

/**
 * A model's kernels and their packed weights, resolved once so that passes never call back into
 * the {@link Model}. The holders are fixed for the model's life: {@link Model#loadParameters()}
 * reloads them in place, so a runner or session made before a load computes with the new values.
 */
final class StackWeights {
    private final RecurrentKernels kernels;
    private final RecurrentWeights[] recurrent;
    private final HeadWeights head;

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
}
