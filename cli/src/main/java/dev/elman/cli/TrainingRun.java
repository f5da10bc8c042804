package dev.elman.cli;

import dev.elman.engine.model.Model;
import dev.elman.engine.model.Parameters;
import dev.elman.cli.tasks.Evaluation;
import dev.elman.cli.tasks.Task;
import dev.elman.engine.training.SequenceSource;
import dev.elman.engine.training.Trainer;
import dev.elman.engine.training.TrainingConfig;
import dev.elman.engine.training.TrainingListener;
import dev.elman.engine.training.TrainingSummary;

import java.util.ArrayList;
import java.util.List;

/**
 * One model trained on a task for a number of batches, with its loss on a fixed held-out set
 * measured at regular intervals (and before the first batch): the learning curve that {@code rnn
 * train} and {@code rnn demo} print and draw. Live progress goes to a row of a {@link ProgressBoard}.
 *
 * <p>Training that diverges (a non-finite loss or gradient, or a held-out loss that is not finite)
 * stops the run rather than the program: {@link #failure()} then says in which batch, and the model
 * is put back to its parameters at the last measurement whose held-out loss was finite, the
 * measurement the checkpoint was saved at; so a checkpoint saved afterwards is that model too.
 */
final class TrainingRun {
    /** The held-out set is drawn from this seed mixed with the run's, so it never repeats a training batch's stream. */
    private static final long HELD_OUT_MIX = 0x9E3779B97F4A7C15L;
    /** The smoothing of the live loss: an exponential moving average over about this many updates. */
    private static final double SMOOTHING = 1.0 / 50;

    /**
     * One point of the learning curve.
     *
     * @param batches training batches done
     * @param trainLoss the mean training loss of the updates since the previous point (NaN at 0)
     * @param heldOutLoss the loss on the held-out set
     */
    record Point(long batches, double trainLoss, double heldOutLoss) {
    }

    /** What to do after each evaluation (e.g. save a checkpoint). */
    @FunctionalInterface
    interface Checkpoint {
        void save(TrainingRun run) throws Exception;
    }

    private final String name;
    private final Model model;
    private final Task task;
    private final Trainer trainer;
    private final int batchSize;
    private final long seed;
    private final long batches;
    private final int evaluateEvery;
    private final int heldOutBatch;
    private final int heldOutBatches;
    private final int heldOutSequences;
    private final List<Point> curve = new ArrayList<>();

    private long done;
    private long startNanos;
    private double smoothedLoss = Double.NaN;
    private String failure;
    private long elapsedNanos;
    /** Batches finished so far, counted by the listener: where divergence happened. */
    private long batchesSeen;
    /** The parameters at the last measurement with a finite held-out loss. */
    private Parameters lastFinite;

    /**
     * @param name the row label
     * @param model the model, trained in place
     * @param task the task
     * @param config how to train
     * @param batchSize sequences per batch
     * @param seed the training data's seed (the held-out set is derived from it)
     * @param batches the batches to train on
     * @param evaluateEvery measure the held-out loss every this many batches
     * @param heldOutSequences the size of the held-out set, rounded up to whole batches of 256 (see
     *     {@link #heldOutSequences()})
     */
    TrainingRun(String name, Model model, Task task, TrainingConfig config, int batchSize, long seed, long batches,
                int evaluateEvery, int heldOutSequences) {
        Evaluation.checkFits(model, task);
        this.name = name;
        this.model = model;
        this.task = task;
        this.trainer = new Trainer(model, config);
        this.batchSize = batchSize;
        this.seed = seed;
        this.batches = batches;
        this.evaluateEvery = Math.max(1, evaluateEvery);
        this.heldOutBatch = Math.min(heldOutSequences, 256);
        this.heldOutBatches = (heldOutSequences + heldOutBatch - 1) / heldOutBatch;
        this.heldOutSequences = heldOutBatch * heldOutBatches;
    }

    /**
     * Trains, evaluating every {@code evaluateEvery} batches and after the last.
     *
     * @param board where the live progress goes
     * @param row this run's row
     * @param checkpoint called after each evaluation, or null
     * @throws Exception what the checkpoint throws; divergence is recorded, not thrown
     */
    void run(ProgressBoard board, int row, Checkpoint checkpoint) throws Exception {
        startNanos = System.nanoTime();
        SequenceSource source = task.source(batchSize, seed);
        double initialLoss = heldOutLoss();
        curve.add(new Point(0, Double.NaN, initialLoss));
        lastFinite = model.parameters().copy();
        board.update(row, 0, Double.NaN, 0);
        TrainingListener listener = progress -> {
            smoothedLoss = Double.isNaN(smoothedLoss) ? progress.loss()
                    : smoothedLoss + SMOOTHING * (progress.loss() - smoothedLoss);
            long step = done + progress.batch() + 1;
            batchesSeen = step;
            board.update(row, step, smoothedLoss, step * 1e9 / (System.nanoTime() - startNanos));
        };
        while (done < batches) {
            long chunk = Math.min(evaluateEvery, batches - done);
            TrainingSummary summary;
            try {
                summary = trainer.train(source, chunk, listener);
            } catch (IllegalStateException e) {
                diverged("stopped in batch " + (batchesSeen + 1) + ": " + e.getMessage());
                break;
            }
            double loss = heldOutLoss();
            if (!Double.isFinite(loss)) {
                diverged("stopped after " + (done + summary.batches()) + " batches: the held-out loss is " + loss
                        + " (diverged)");
                break;
            }
            done += summary.batches();
            curve.add(new Point(done, summary.meanLoss(), loss));
            lastFinite.copyFrom(model.parameters());
            if (checkpoint != null) {
                checkpoint.save(this);
            }
        }
        elapsedNanos = System.nanoTime() - startNanos;
        board.update(row, done, smoothedLoss, done * 1e9 / Math.max(1, elapsedNanos));
    }

    /**
     * Records why training stopped and puts the model back to the last measurement with a finite
     * held-out loss, which {@link #batchesDone()} and the curve already describe.
     */
    private void diverged(String reason) {
        failure = reason + "; the model is back to its parameters after " + done + " batches, the last measurement"
                + " with a finite held-out loss (held-out loss " + String.format(java.util.Locale.ROOT, "%.4g",
                lastHeldOutLoss()) + ")";
        model.parameters().copyFrom(lastFinite);
        model.loadParameters();
    }

    private double heldOutLoss() {
        return Evaluation.loss(model, task, heldOutBatch, heldOutBatches, heldOutSeed(seed));
    }

    /**
     * The seed of a run's held-out set, for {@code rnn evaluate} to draw the sequences training measured.
     *
     * @param seed the run's seed
     * @return the held-out set's seed
     */
    static long heldOutSeed(long seed) {
        return seed ^ HELD_OUT_MIX;
    }

    /** @return the row label */
    String name() {
        return name;
    }

    /** @return the model */
    Model model() {
        return model;
    }

    /** @return the task */
    Task task() {
        return task;
    }

    /** @return the batches trained on so far */
    long batchesDone() {
        return done;
    }

    /** @return the learning curve so far */
    List<Point> curve() {
        return List.copyOf(curve);
    }

    /** @return the latest held-out loss */
    double lastHeldOutLoss() {
        return curve.isEmpty() ? Double.NaN : curve.get(curve.size() - 1).heldOutLoss();
    }

    /** @return the number of held-out sequences each measurement runs */
    int heldOutSequences() {
        return heldOutSequences;
    }

    /** @return why training stopped early, or null when it ran to the end */
    String failure() {
        return failure;
    }

    /** @return wall-clock time of {@link #run} */
    double seconds() {
        return elapsedNanos / 1e9;
    }

    /** @return the updates applied */
    long updates() {
        return trainer.updates();
    }
}
