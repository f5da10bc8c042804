package dev.elman.engine.training;

/**
 * How to train, immutable: the loss and which steps carry it, the optimizer, gradient clipping, the
 * truncated-BPTT schedule and how often to measure per-lag gradient norms.
 *
 * <h2>Truncated BPTT</h2>
 * Every {@code k1} steps ({@link #stepsBetweenUpdates()}) the losses of those {@code k1} steps are
 * backpropagated through the last {@code k2} steps ({@link #backwardWindow()}), and the parameters
 * updated (Williams and Peng's BPTT(k1, k2)); {@code k1 ≤ k2}. {@code k1 = k2} is the common
 * chunked form; {@code k2 ≥ T} reaches back to the start of the batch, and {@code k1 ≥ T} too is
 * full BPTT, one update per batch. A batch's last update takes the loss of its remaining steps,
 * however few, and like every update backpropagates through the last {@code min(k2, t)} steps (so
 * with {@code k1 = k2} and T not a multiple of k1, the last window reaches back into the previous
 * block; {@link dev.elman.engine.model.Model#gradient} is the strictly chunked form).
 * Memory is {@code O(min(k2, T)·B·H)} per layer and direction whatever the sequence length.
 * Bidirectional models read the whole sequence in both directions, so they need {@code k1, k2 ≥ T}.
 */
public final class TrainingConfig {
    /** The value of {@code k1} and {@code k2} that means "the whole batch". */
    public static final int WHOLE_SEQUENCE = Integer.MAX_VALUE;

    private final Loss loss;
    private final LossScope scope;
    private final Optimizer optimizer;
    private final GradientClipping clipping;
    private final int stepsBetweenUpdates;
    private final int backwardWindow;
    private final int lagProbeInterval;

    private TrainingConfig(Builder b) {
        this.loss = b.loss;
        this.scope = b.scope;
        this.optimizer = b.optimizer;
        this.clipping = b.clipping;
        this.stepsBetweenUpdates = b.stepsBetweenUpdates;
        this.backwardWindow = b.backwardWindow;
        this.lagProbeInterval = b.lagProbeInterval;
    }

    /**
     * A builder with the defaults: mean squared error at every step, no clipping, full BPTT, no lag
     * probing. The optimizer has no default.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder starting from these values */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.loss = loss;
        b.scope = scope;
        b.optimizer = optimizer;
        b.clipping = clipping;
        b.stepsBetweenUpdates = stepsBetweenUpdates;
        b.backwardWindow = backwardWindow;
        b.lagProbeInterval = lagProbeInterval;
        return b;
    }

    /** @return the loss */
    public Loss loss() {
        return loss;
    }

    /** @return which steps carry a target */
    public LossScope scope() {
        return scope;
    }

    /** @return the update rule */
    public Optimizer optimizer() {
        return optimizer;
    }

    /** @return the gradient limits */
    public GradientClipping clipping() {
        return clipping;
    }

    /** @return k1, steps between updates ({@link #WHOLE_SEQUENCE} for one update per batch) */
    public int stepsBetweenUpdates() {
        return stepsBetweenUpdates;
    }

    /** @return k2, the steps a backward pass reaches back ({@link #WHOLE_SEQUENCE} for the whole batch) */
    public int backwardWindow() {
        return backwardWindow;
    }

    /** @return measure per-lag gradient norms every this many updates, or 0 for never */
    public int lagProbeInterval() {
        return lagProbeInterval;
    }

    @Override
    public String toString() {
        return "TrainingConfig[loss=" + loss.label() + ", scope=" + scope.label() + ", optimizer=" + optimizer
                + ", clipping=" + clipping + ", k1=" + window(stepsBetweenUpdates) + ", k2=" + window(backwardWindow)
                + (lagProbeInterval > 0 ? ", lagProbeInterval=" + lagProbeInterval : "") + "]";
    }

    private static String window(int steps) {
        return steps == WHOLE_SEQUENCE ? "whole" : String.valueOf(steps);
    }

    /** Collects the values of a {@link TrainingConfig}; not thread-safe, reusable. */
    public static final class Builder {
        private Loss loss = Loss.MEAN_SQUARED_ERROR;
        private LossScope scope = LossScope.EVERY_STEP;
        private Optimizer optimizer;
        private GradientClipping clipping = GradientClipping.none();
        private int stepsBetweenUpdates = WHOLE_SEQUENCE;
        private int backwardWindow = WHOLE_SEQUENCE;
        private int lagProbeInterval;

        private Builder() {
        }

        /**
         * @param loss the loss (default mean squared error)
         * @return this builder
         * @throws IllegalArgumentException when null
         */
        public Builder loss(Loss loss) {
            this.loss = nonNull("loss", loss);
            return this;
        }

        /**
         * @param scope which steps carry a target (default every step)
         * @return this builder
         * @throws IllegalArgumentException when null
         */
        public Builder scope(LossScope scope) {
            this.scope = nonNull("scope", scope);
            return this;
        }

        /**
         * @param optimizer the update rule (required)
         * @return this builder
         * @throws IllegalArgumentException when null
         */
        public Builder optimizer(Optimizer optimizer) {
            this.optimizer = nonNull("optimizer", optimizer);
            return this;
        }

        /**
         * @param clipping the gradient limits (default none)
         * @return this builder
         * @throws IllegalArgumentException when null
         */
        public Builder clipping(GradientClipping clipping) {
            this.clipping = nonNull("clipping", clipping);
            return this;
        }

        /**
         * Truncated BPTT: an update every {@code k1} steps, backpropagating through the last
         * {@code k2}.
         *
         * @param k1 steps between updates, at least 1
         * @param k2 the backward window, at least k1
         * @return this builder
         * @throws IllegalArgumentException when k1 &lt; 1 or k2 &lt; k1
         */
        public Builder truncation(int k1, int k2) {
            if (k1 < 1) {
                throw new IllegalArgumentException("k1 (steps between updates) must be at least 1, got " + k1);
            }
            if (k2 < k1) {
                throw new IllegalArgumentException("k2 (the backward window) must be at least k1 (steps between updates):"
                        + " got k1 = " + k1 + ", k2 = " + k2);
            }
            this.stepsBetweenUpdates = k1;
            this.backwardWindow = k2;
            return this;
        }

        /**
         * Truncated BPTT in chunks: {@code truncation(window, window)}.
         *
         * @param window the chunk length, at least 1
         * @return this builder
         */
        public Builder chunked(int window) {
            return truncation(window, window);
        }

        /**
         * Full BPTT: one update per batch, backpropagating through all of it (the default).
         *
         * @return this builder
         */
        public Builder fullBptt() {
            this.stepsBetweenUpdates = WHOLE_SEQUENCE;
            this.backwardWindow = WHOLE_SEQUENCE;
            return this;
        }

        /**
         * @param interval measure per-lag gradient norms every this many updates (the first update
         *     included), or 0 for never (the default); each measurement costs about one more backward pass
         * @return this builder
         * @throws IllegalArgumentException when negative
         */
        public Builder lagProbeInterval(int interval) {
            if (interval < 0) {
                throw new IllegalArgumentException("lagProbeInterval must be 0 (off) or positive, got " + interval);
            }
            this.lagProbeInterval = interval;
            return this;
        }

        /**
         * @return the configuration
         * @throws IllegalArgumentException when no optimizer was set
         */
        public TrainingConfig build() {
            if (optimizer == null) {
                throw new IllegalArgumentException("optimizer was not set: expected e.g. new Adam(1e-3), new Sgd(0.1, 0.9)"
                        + " or new Adagrad(0.01)");
            }
            return new TrainingConfig(this);
        }

        private static <T> T nonNull(String name, T value) {
            if (value == null) {
                throw new IllegalArgumentException(name + " must not be null");
            }
            return value;
        }
    }
}
