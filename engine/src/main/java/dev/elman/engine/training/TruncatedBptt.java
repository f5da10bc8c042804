package dev.elman.engine.training;

import dev.elman.engine.model.Direction;
import dev.elman.engine.model.Model;
import dev.elman.engine.model.ModelConfig;
import dev.elman.engine.model.ModelGradients;
import dev.elman.engine.model.SequenceBatch;
import dev.elman.engine.model.SequenceChunks;
import dev.elman.engine.model.StackRunner;

/**
 * The truncated-BPTT scheduler: runs batches forward {@code k1} steps at a time and, after each
 * block, computes the gradients of that block's loss through the last {@code k2} steps, handing them
 * to an {@link UpdateHandler} (which typically clips them and updates the model; the next block then
 * runs on the new parameters, while the window's stored activations stay those computed before,
 * as usual in truncated BPTT). See {@link TrainingConfig} for the schedule's definition.
 *
 * <p>Memory is one {@link StackRunner} of {@code min(k2, T)} steps. After the first batch (and
 * whenever a longer batch or a larger batch size arrives, which grows it once), processing a batch
 * allocates nothing. Not thread-safe.
 */
public final class TruncatedBptt {
    private final Model model;
    private final ModelConfig config;
    private final Loss loss;
    private final LossScope scope;
    private final int k1;
    private final int k2;
    private final int lagProbeInterval;
    private final LossEvaluator evaluator;
    private final ModelGradients gradients;
    private final Update update = new Update();
    /** Cuts each batch into the blocks of k1 steps between updates. */
    private final SequenceChunks blocks;

    private StackRunner runner;
    private float[] carriedStates;
    private long updates;
    private long sequenceSteps;

    /**
     * A scheduler with the loss, schedule and probing of a training configuration.
     *
     * @param model the model to train
     * @param config the loss, scope, k1, k2 and lag probe interval (the optimizer and clipping are the handler's)
     */
    public TruncatedBptt(Model model, TrainingConfig config) {
        this(model, nonNull(config).loss(), config.scope(), config.stepsBetweenUpdates(), config.backwardWindow(),
                config.lagProbeInterval());
    }

    /**
     * A scheduler.
     *
     * @param model the model to train
     * @param loss the loss
     * @param scope which steps carry a target
     * @param k1 steps between updates, at least 1 ({@link TrainingConfig#WHOLE_SEQUENCE} for one per batch)
     * @param k2 the backward window, at least k1
     * @param lagProbeInterval measure per-lag gradient norms every this many updates, 0 for never
     * @throws IllegalArgumentException when an argument is null or out of range
     */
    public TruncatedBptt(Model model, Loss loss, LossScope scope, int k1, int k2, int lagProbeInterval) {
        if (model == null || loss == null || scope == null) {
            throw new IllegalArgumentException("model, loss and scope must not be null");
        }
        if (k1 < 1 || k2 < k1) {
            throw new IllegalArgumentException("expected 1 ≤ k1 ≤ k2 (steps between updates ≤ backward window), got k1 = "
                    + k1 + ", k2 = " + k2);
        }
        if (lagProbeInterval < 0) {
            throw new IllegalArgumentException("lagProbeInterval must be 0 (off) or positive, got " + lagProbeInterval);
        }
        this.model = model;
        this.config = model.config();
        this.loss = loss;
        this.scope = scope;
        this.k1 = k1;
        this.k2 = k2;
        this.lagProbeInterval = lagProbeInterval;
        this.evaluator = new LossEvaluator(loss, scope, config.outputWidth());
        this.gradients = new ModelGradients(config);
        this.blocks = new SequenceChunks(k1);
    }

    /** Receives each update's gradients. */
    @FunctionalInterface
    public interface UpdateHandler {
        /**
         * Called once per update, after the backward pass. May change the model's parameters (and
         * then must {@link Model#loadParameters()} before returning).
         *
         * @param update the update; valid only during this call
         */
        void onUpdate(Update update);
    }

    /**
     * Runs one batch through the schedule, calling the handler at every update.
     *
     * @param batch the sequences and targets
     * @param handler receives each update
     * @throws IllegalArgumentException naming what does not fit: input size, target shape, label
     *     range, a continuation of a batch of another size, or a bidirectional model with a
     *     window shorter than the batch
     */
    public void process(TrainingBatch batch, UpdateHandler handler) {
        if (handler == null) {
            throw new IllegalArgumentException("handler must not be null");
        }
        validate(batch);
        SequenceBatch inputs = batch.inputs();
        int steps = inputs.steps();
        int b = inputs.batch();
        int capacity = config.direction() != Direction.FORWARD ? steps : Math.min(k2, steps);
        if (batch.continuesPrevious()) {
            if (runner.capacity() < capacity) {
                runner.finalStates(carriedStates);
                runner = model.newRunner(capacity, b);
                runner.reset(b, carriedStates);
            } else {
                runner.detach();
            }
        } else {
            if (runner == null || runner.capacity() < capacity || runner.maxBatch() < b) {
                runner = model.newRunner(Math.max(capacity, runner == null ? 1 : runner.capacity()),
                        Math.max(b, runner == null ? 1 : runner.maxBatch()));
            }
            runner.reset(b, null);
        }
        int stateCount = config.layers() * config.directions() * b * config.hiddenSize();
        if (carriedStates == null || carriedStates.length != stateCount) {
            // Where a continuing batch's states wait while a longer batch grows the runner.
            carriedStates = new float[stateCount];
        }
        int width = config.outputWidth();
        blocks.start(inputs, runner);
        while (blocks.next()) {
            int first = blocks.first();
            int m = blocks.steps();
            sequenceSteps += (long) m * b;
            int offset = (runner.windowSteps() - m) * b * width;
            int items = evaluator.evaluate(batch, first, m, runner.output(), runner.outputGradient(), offset);
            if (items > 0) {
                gradients.zero();
                boolean probe = lagProbeInterval > 0 && updates % lagProbeInterval == 0;
                runner.backward(m, gradients, false, probe);
                update.items = items;
                update.newSteps = m;
                update.probed = probe;
                updates++;
                handler.onUpdate(update);
            }
        }
    }

    /** @return the number of updates so far */
    public long updates() {
        return updates;
    }

    /** @return the number of (step, sequence) pairs run forward so far, padding included */
    public long sequenceSteps() {
        return sequenceSteps;
    }

    /**
     * @return the steps of activations the scheduler's buffers hold now: {@code min(k2, T)} for the
     *     longest batch so far (0 before the first), however long the sequences
     */
    public int windowCapacity() {
        return runner == null ? 0 : runner.capacity();
    }

    /** @return the model being trained */
    public Model model() {
        return model;
    }

    private void validate(TrainingBatch batch) {
        if (batch == null) {
            throw new IllegalArgumentException("batch must not be null");
        }
        SequenceBatch inputs = batch.inputs();
        int steps = inputs.steps();
        int b = inputs.batch();
        if (inputs.inputSize() != config.inputSize()) {
            throw new IllegalArgumentException("batch: inputSize " + inputs.inputSize() + " does not match the model's "
                    + config.inputSize());
        }
        float[] x = inputs.inputs();
        for (int i = 0; i < x.length; i++) {
            if (!Float.isFinite(x[i])) {
                throw new IllegalArgumentException("batch inputs[" + i + "] is " + x[i] + ": inputs must be finite");
            }
        }
        int width = config.outputWidth();
        long items = scope == LossScope.EVERY_STEP ? (long) steps * b : b;
        String shape = scope == LossScope.EVERY_STEP ? "steps × batch" : "batch";
        if (loss == Loss.MEAN_SQUARED_ERROR) {
            float[] targets = batch.targets();
            if (targets == null) {
                throw new IllegalArgumentException("batch has labels, but the loss " + loss.label() + " needs float targets");
            }
            if (targets.length != items * width) {
                throw new IllegalArgumentException("batch targets: expected length " + items * width + " (" + shape
                        + " × output width, for scope " + scope.label() + "), got " + targets.length);
            }
            for (int i = 0; i < targets.length; i++) {
                if (!Float.isFinite(targets[i])) {
                    throw new IllegalArgumentException("batch targets[" + i + "] is " + targets[i]
                            + ": targets must be finite");
                }
            }
        } else {
            int[] labels = batch.labels();
            if (labels == null) {
                throw new IllegalArgumentException("batch has float targets, but the loss " + loss.label()
                        + " needs class labels");
            }
            if (labels.length != items) {
                throw new IllegalArgumentException("batch labels: expected length " + items + " (" + shape
                        + ", for scope " + scope.label() + "), got " + labels.length);
            }
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] != TrainingBatch.IGNORE && (labels[i] < 0 || labels[i] >= width)) {
                    throw new IllegalArgumentException("batch labels[" + i + "] = " + labels[i] + " is not a class: expected 0 … "
                            + (width - 1) + " (the output width) or IGNORE (−1)");
                }
            }
        }
        if (config.direction() != Direction.FORWARD) {
            String model = "a " + config.direction().label() + " model";
            if (batch.continuesPrevious()) {
                throw new IllegalArgumentException(model + " cannot continue a previous batch: its reverse"
                        + " direction reads each sequence from its end");
            }
            if (k1 < steps || k2 < steps) {
                throw new IllegalArgumentException(model + " trains with full BPTT: k1 and k2 must cover the"
                        + " batch's " + steps + " steps, got k1 = " + k1 + ", k2 = " + k2);
            }
        }
        if (batch.continuesPrevious() && (runner == null || runner.batch() != b)) {
            throw new IllegalArgumentException("batch continues the previous batch, but "
                    + (runner == null ? "there was none" : "that had " + runner.batch() + " sequences and this has " + b));
        }
    }

    private static TrainingConfig nonNull(TrainingConfig config) {
        if (config == null) {
            throw new IllegalArgumentException("config must not be null");
        }
        return config;
    }

    /** One update as the handler sees it; a view, valid during {@link UpdateHandler#onUpdate}. */
    public final class Update {
        private int items;
        private int newSteps;
        private boolean probed;

        private Update() {
        }

        /** @return the gradients of this update's loss (live: the handler may clip them in place) */
        public ModelGradients gradients() {
            return gradients;
        }

        /** @return the loss of this update: the mean over its items */
        public double loss() {
            return evaluator.value();
        }

        /** @return the number of (step, sequence) items that carried a target */
        public int items() {
            return items;
        }

        /** @return the steps run forward since the previous update (at most k1) */
        public int newSteps() {
            return newSteps;
        }

        /** @return the steps this update backpropagated through (at most k2) */
        public int windowSteps() {
            return runner.windowSteps();
        }

        /** @return the 1-based number of this update since the scheduler was made */
        public long index() {
            return updates;
        }

        /** @return whether per-lag gradient norms were measured in this update */
        public boolean hasLagGradientNorms() {
            return probed;
        }

        /** @return the number of lags measured (the window's steps), or 0 */
        public int lagCount() {
            return probed ? runner.probedLags() : 0;
        }

        /**
         * ‖dL/dh‖ of a layer's (forward-direction) state {@code lag} steps before the update's last step.
         *
         * @param layer 0 … L − 1
         * @param lag 0 … lagCount − 1
         * @return the norm
         * @throws IllegalStateException when this update was not probed
         */
        public double lagGradientNorm(int layer, int lag) {
            if (!probed) {
                throw new IllegalStateException("this update measured no lag gradient norms");
            }
            return runner.lagGradientNorm(layer, lag);
        }
    }
}
