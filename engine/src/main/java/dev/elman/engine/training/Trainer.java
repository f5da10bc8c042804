package dev.elman.engine.training;

import dev.elman.engine.model.Model;
import dev.elman.engine.model.Parameters;
import dev.elman.kernels.WeightPrecision;

/**
 * Trains a model in place: batches from a {@link SequenceSource} through the
 * {@link TruncatedBptt truncated-BPTT schedule}, each update's gradients clipped and applied by the
 * optimizer, progress reported to a {@link TrainingListener}.
 *
 * <p>After the first batch (which sizes the buffers), an update allocates nothing in the engine; the
 * kernels' {@code load} of new parameters is theirs to keep allocation-free. If the loss or the
 * gradient norm of an update is not finite, training stops with an {@link IllegalStateException}
 * before that update touches the parameters.
 *
 * <p>Serving while training: each update writes the model's {@linkplain Model#parameters() master
 * copy} and then {@linkplain Model#loadParameters() publishes} it as a new parameter version in one
 * step, so sessions, runners and forward passes on other threads may use the model while it trains;
 * each of their steps sees the parameters of one update. Publication adds no copy of the values:
 * the repack into the kernels' holders that every update always did now fills a spare set of
 * holders, and the set is swapped in by one volatile write. The trainer itself is not thread-safe:
 * one thread trains a model at a time, and reads of the master copy (saving a checkpoint,
 * {@link Model#copy()}) belong on that thread, e.g. in the listener.
 */
public final class Trainer {
    private final Model model;
    private final TrainingConfig config;
    private final TruncatedBptt scheduler;
    private final Optimizer.State optimizer;
    private final GradientClipping clipping;
    private final TrainingProgress progress;
    private final TruncatedBptt.UpdateHandler handler = this::apply;

    private TrainingListener listener = TrainingListener.NONE;
    private long batchIndex;
    private long callStart;
    private long stepsAtCallStart;
    private long callUpdates;
    private double callLossSum;
    private double lastLoss;

    /**
     * A trainer for a model.
     *
     * @param model the model, trained in place
     * @param config how to train
     * @throws IllegalArgumentException when an argument is null, or the model is for inference only
     *     ({@link Model#withInferencePrecision})
     */
    public Trainer(Model model, TrainingConfig config) {
        if (model == null || config == null) {
            throw new IllegalArgumentException("model and config must not be null");
        }
        if (model.inferencePrecision() != WeightPrecision.F32) {
            throw new IllegalArgumentException("model: computes with " + model.inferencePrecision().label()
                    + " weights, which are for inference; train the f32 model (round a copy for serving with"
                    + " withInferencePrecision)");
        }
        this.model = model;
        this.config = config;
        this.scheduler = new TruncatedBptt(model, config);
        this.optimizer = config.optimizer().newState(model.parameters());
        this.clipping = config.clipping();
        this.progress = new TrainingProgress(model.config().layers());
    }

    /** @return the model being trained */
    public Model model() {
        return model;
    }

    /** @return how it is trained */
    public TrainingConfig config() {
        return config;
    }

    /** @return the updates applied since this trainer was made */
    public long updates() {
        return scheduler.updates();
    }

    /**
     * Trains on batches from a source until it has given {@code maxBatches} or runs out.
     *
     * @param source where batches come from
     * @param maxBatches the most batches to take, at least 1
     * @param listener hears about each update, or null for none
     * @return what was done
     * @throws IllegalArgumentException when a batch does not fit the model or configuration (the
     *     message names what), or maxBatches is below 1
     * @throws IllegalStateException when training diverges (a non-finite loss or gradient)
     */
    public TrainingSummary train(SequenceSource source, long maxBatches, TrainingListener listener) {
        if (source == null) {
            throw new IllegalArgumentException("source must not be null");
        }
        if (maxBatches < 1) {
            throw new IllegalArgumentException("maxBatches must be at least 1, got " + maxBatches);
        }
        this.listener = listener == null ? TrainingListener.NONE : listener;
        callStart = System.nanoTime();
        stepsAtCallStart = scheduler.sequenceSteps();
        callUpdates = 0;
        callLossSum = 0;
        lastLoss = Double.NaN;
        long batches = 0;
        for (batchIndex = 0; batchIndex < maxBatches; batchIndex++) {
            TrainingBatch batch = source.next();
            if (batch == null) {
                break;
            }
            scheduler.process(batch, handler);
            batches++;
        }
        long elapsed = System.nanoTime() - callStart;
        return new TrainingSummary(batches, callUpdates, lastLoss,
                callUpdates == 0 ? Double.NaN : callLossSum / callUpdates, scheduler.sequenceSteps() - stepsAtCallStart,
                elapsed);
    }

    /**
     * Trains on one batch.
     *
     * @param batch the batch
     * @return what was done
     */
    public TrainingSummary train(TrainingBatch batch) {
        if (batch == null) {
            throw new IllegalArgumentException("batch must not be null");
        }
        TrainingBatch[] once = {batch};
        return train(() -> {
            TrainingBatch next = once[0];
            once[0] = null;
            return next;
        }, 1, null);
    }

    private void apply(TruncatedBptt.Update update) {
        Parameters gradients = update.gradients().parameters();
        double loss = update.loss();
        double norm = gradients.norm();
        if (!Double.isFinite(loss) || !Double.isFinite(norm)) {
            throw new IllegalStateException("training diverged at update " + update.index() + ": loss " + loss
                    + ", gradient norm " + norm + "; the model keeps the parameters of the update before"
                    + " (try a smaller learning rate or gradient clipping)");
        }
        boolean clipped = clipping.apply(gradients, norm);
        optimizer.step(gradients);
        try {
            model.loadParameters();
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("training diverged at update " + update.index() + ": " + e.getMessage(), e);
        }
        callUpdates++;
        callLossSum += loss;
        lastLoss = loss;
        progress.set(scheduler.updates(), callUpdates, batchIndex, loss, norm, clipped,
                scheduler.sequenceSteps() - stepsAtCallStart, System.nanoTime() - callStart,
                update.hasLagGradientNorms() ? update : null);
        listener.onUpdate(progress);
    }
}
