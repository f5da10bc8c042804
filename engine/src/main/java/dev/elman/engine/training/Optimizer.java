package dev.elman.engine.training;

import dev.elman.engine.model.Parameters;

/**
 * An update rule for parameters given their gradients. An optimizer is an immutable description
 * (learning rate and friends); {@link #newState} binds it to one set of parameters and allocates
 * its per-value state (momentum, running averages) once.
 */
public interface Optimizer {
    /**
     * Binds this rule to parameters, allocating its state (all zeros).
     *
     * @param parameters the values to update in place
     * @return the state, which applies one update per {@link State#step}
     * @throws IllegalArgumentException when parameters is null
     */
    State newState(Parameters parameters);

    /** An optimizer bound to its parameters. Not thread-safe; {@link #step} allocates nothing. */
    interface State {
        /**
         * Applies one update to the bound parameters.
         *
         * @param gradients the gradients, named and shaped as the parameters
         * @throws IllegalArgumentException when the gradients' names or shapes differ from the parameters'
         */
        void step(Parameters gradients);

        /** @return the number of updates applied */
        long steps();
    }
}
