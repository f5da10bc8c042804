package dev.elman.engine.training;

/**
 * A {@link Trainer}'s state after an update, as its {@link TrainingListener} sees it. One instance
 * is reused for every call, so reading it allocates nothing; copy the values you keep.
 */
public final class TrainingProgress {
    private long update;
    private long updatesInCall;
    private long batch;
    private double loss;
    private double gradientNorm;
    private boolean clipped;
    private long sequenceSteps;
    private long elapsedNanos;
    private TruncatedBptt.Update source;
    private final int layers;

    TrainingProgress(int layers) {
        this.layers = layers;
    }

    void set(long update, long updatesInCall, long batch, double loss, double gradientNorm, boolean clipped,
             long sequenceSteps, long elapsedNanos, TruncatedBptt.Update source) {
        this.update = update;
        this.updatesInCall = updatesInCall;
        this.batch = batch;
        this.loss = loss;
        this.gradientNorm = gradientNorm;
        this.clipped = clipped;
        this.sequenceSteps = sequenceSteps;
        this.elapsedNanos = elapsedNanos;
        this.source = source;
    }

    /** @return the number of updates applied by this trainer so far, this one included (1-based) */
    public long update() {
        return update;
    }

    /** @return the number of the batch this update belongs to, 0-based, counted within the current {@code train} call */
    public long batch() {
        return batch;
    }

    /** @return this update's loss (the mean over its items, before the update) */
    public double loss() {
        return loss;
    }

    /** @return the global Euclidean norm of this update's gradients before clipping */
    public double gradientNorm() {
        return gradientNorm;
    }

    /** @return whether clipping changed the gradients */
    public boolean clipped() {
        return clipped;
    }

    /** @return the (step, sequence) pairs run forward since the current {@code train} call began */
    public long sequenceSteps() {
        return sequenceSteps;
    }

    /** @return nanoseconds since the current {@code train} call began */
    public long elapsedNanos() {
        return elapsedNanos;
    }

    /** @return throughput: (step, sequence) pairs per second since the current {@code train} call began */
    public double sequenceStepsPerSecond() {
        return elapsedNanos == 0 ? 0 : sequenceSteps * 1e9 / elapsedNanos;
    }

    /** @return updates per second since the current {@code train} call began */
    public double updatesPerSecond() {
        return elapsedNanos == 0 ? 0 : updatesInCall * 1e9 / elapsedNanos;
    }

    /** @return the model's number of layers, for {@link #lagGradientNorm} */
    public int layers() {
        return layers;
    }

    /** @return whether this update measured per-lag gradient norms (see {@link TrainingConfig#lagProbeInterval()}) */
    public boolean hasLagGradientNorms() {
        return source != null && source.hasLagGradientNorms();
    }

    /** @return the number of lags measured in this update (its backward window), or 0 */
    public int lagCount() {
        return source == null ? 0 : source.lagCount();
    }

    /**
     * ‖dL/dh_{t−lag}‖ of a layer's forward-direction state, {@code t} the update's last step: how
     * much of the loss's gradient reaches {@code lag} steps back.
     *
     * @param layer 0 … L − 1
     * @param lag 0 … lagCount − 1
     * @return the norm, over the batch
     * @throws IllegalStateException when this update measured none
     */
    public double lagGradientNorm(int layer, int lag) {
        if (source == null) {
            throw new IllegalStateException("this update measured no lag gradient norms");
        }
        return source.lagGradientNorm(layer, lag);
    }
}
