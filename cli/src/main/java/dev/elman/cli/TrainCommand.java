package dev.elman.cli;

import dev.elman.cli.chart.Figure;
import dev.elman.cli.chart.LineChart;
import dev.elman.engine.model.Initialization;
import dev.elman.engine.model.Model;
import dev.elman.engine.model.ModelConfig;
import dev.elman.cli.tasks.CharSampler;
import dev.elman.cli.tasks.CharTask;
import dev.elman.cli.tasks.Task;
import dev.elman.engine.training.TrainingConfig;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * {@code rnn train}: trains a model on one of the built-in tasks, with live progress and a
 * held-out loss measured at intervals; saves the model as a checkpoint (Elman's model file, the
 * task in its metadata) at every measurement and at the end, and a chart of the learning curve
 * beside it. A character model prints a sample at the end.
 */
@Command(name = "train",
        header = "train a model on the adding, copy, sine or chars task and save a checkpoint",
        description = """
                Trains an Elman network on a built-in task and saves it as a checkpoint (Elman's model file,
                with the task and the training settings in its metadata):
                  adding  the adding problem: sum the two marked values of T (MSE at the last step; baseline 1/6)
                  copy    read S symbols, wait --length steps, write them back (cross-entropy; baseline ln K)
                  sine    predict the next value of a sine wave of unknown frequency (MSE at every step)
                  chars   a character-level language model of --text FILE (cross-entropy; sample it later)
                Live progress shows batches, the training loss, batches per second and the ETA; the loss on a
                fixed held-out set is measured --evaluations times, and the checkpoint saved each time. A chart
                of the learning curve (SVG and PNG) goes beside the checkpoint; every output is checked, and a
                missing folder made, before training starts, and an existing --out that is not an Elman model
                file is replaced only with --force. --threads N shares every pass with N threads; the model
                trained is the same for every N. Exit status 0 on success, 2 for a bad option or options too
                large for the memory, 1 when a file cannot be read or written or training diverges (the
                checkpoint then keeps the model of the last measurement with a finite held-out loss).""")
public final class TrainCommand implements Subcommand {
    @Mixin
    TaskOptions taskOptions;

    @Mixin
    ModelOptions modelOptions;

    @Mixin
    TrainingOptions trainingOptions;

    @Option(names = "--out", paramLabel = "FILE",
            description = "the checkpoint (default rnn-out/<task>.elman); the learning-curve chart goes beside it")
    Path file;

    @Option(names = "--force", description = "replace the --out file even if it is not an Elman model file")
    boolean force;

    @Option(names = "--evaluations", paramLabel = "N", defaultValue = "20", converter = NumberValues.AtLeastOne.class,
            description = "measure the held-out loss (and save) N times")
    int evaluations;

    @Option(names = "--held-out", paramLabel = "N", defaultValue = "512", converter = NumberValues.AtLeastOne.class,
            description = "held-out sequences per measurement")
    int heldOut;

    @Option(names = "--sample", paramLabel = "N", defaultValue = "300", converter = NumberValues.AtLeastZero.class,
            description = "chars: characters to sample at the end")
    int sampleLength;

    @Option(names = "--temperature", paramLabel = "τ", defaultValue = "0.8", converter = NumberValues.PositiveNumber.class,
            description = "chars: sampling temperature")
    double temperature;

    @Override
    public int run(PrintStream out) throws Exception {
        String command = "rnn train";
        Task task = taskOptions.task();
        boolean bidirectional = modelOptions.bidirectional;
        if (bidirectional && (task.name().equals("chars") || task.name().equals("sine"))) {
            throw new UsageException(command + ": --bidirectional cannot learn next-" + (task.name().equals("sine")
                    ? "value" : "character") + " prediction: its reverse direction would read the answer");
        }
        ModelConfig config = modelOptions.config(task.inputSize(), task.outputSize());
        Initialization init = modelOptions.initialization();
        TrainingConfig training = trainingOptions.config(task, bidirectional);
        long seed = trainingOptions.seed;
        Path file = this.file != null ? this.file : Path.of("rnn-out", task.name() + ".elman");
        if (Files.isDirectory(file)) {
            throw new UsageException(command + ": --out " + file + " is a directory; name the checkpoint file");
        }
        checkMemory(command, task, config, training);
        // Every output is checked before the first batch: a run must not end in "cannot write".
        OutputFiles.prepareModel(command, "--out", file, force);
        for (String extension : List.of(".svg", ".png")) {
            OutputFiles.prepare(command, "--out", chartFolder(file).resolve(chartName(file) + extension));
        }
        Model model;
        try {
            model = Model.create(config, init, seed);
        } catch (IllegalArgumentException e) {
            throw new UsageException(command + ": " + e.getMessage(), e);
        }
        try (model) {
            ThreadsOption.apply(trainingOptions.threads, model);
            return train(out, task, config, init, training, model, file);
        }
    }

    /**
     * Refuses options whose arrays cannot fit in the heap, before anything is allocated: the
     * parameters with their gradients, optimizer state and copies (about 8 sets); a training batch
     * and a held-out batch (their data, and the activations of the backward window: state,
     * gradient and workspace per layer and direction).
     */
    private void checkMemory(String command, Task task, ModelConfig config, TrainingConfig training)
            throws UsageException {
        double steps = task.steps();
        double window = training.backwardWindow() == TrainingConfig.WHOLE_SEQUENCE ? steps
                : Math.min(steps, training.backwardWindow());
        double perStep = (double) task.inputSize() + task.outputSize();
        double units = (double) config.layers() * (config.bidirectional() ? 2 : 1) * config.hiddenSize();
        double heldOutBatch = Math.min(heldOut, 256);
        double bytes = MemoryBudget.FLOAT * (8.0 * config.parameterCount()
                + (trainingOptions.batch + heldOutBatch) * (steps * perStep * 2 + window * (3 * units + perStep)));
        MemoryBudget.check(command, String.format(java.util.Locale.ROOT,
                "--length %d (%d steps) with --batch %d, --hidden %d, --layers %d%s", taskOptions.length,
                task.steps(), trainingOptions.batch, config.hiddenSize(), config.layers(),
                window < steps ? ", --k2 " + (long) window : ""), bytes);
    }

    private int train(PrintStream out, Task task, ModelConfig config, Initialization init, TrainingConfig training,
                      Model model, Path file) throws Exception {
        int batch = trainingOptions.batch;
        int batches = trainingOptions.steps;
        long seed = trainingOptions.seed;

        out.printf(Locale.ROOT, "Task      %s%n", task);
        out.printf(Locale.ROOT, "Model     %s; %s init%n", ModelOptions.describe(config), init);
        out.printf(Locale.ROOT, "Training  %s, batch %d, %d batches, seed %d, %d thread%s%n%n",
                TrainingOptions.describe(training), batch, batches, seed, model.threads(), model.threads() == 1 ? "" : "s");
        out.flush();

        TrainingRun run = new TrainingRun(task.name(), model, task, training, batch, seed, batches,
                Math.max(1, batches / evaluations), heldOut);
        ProgressBoard board = new ProgressBoard(out, ProgressBoard.isTerminal(), new String[] {task.name()},
                new long[] {batches});
        run.run(board, 0, r -> Checkpoints.save(file, r, init, training, batch, seed));
        board.finish();

        if (run.failure() != null) {
            out.printf(Locale.ROOT, "%nTraining %s%n", run.failure());
        }
        out.printf(Locale.ROOT, "%nHeld-out loss (%s) %.4f after %d batches%s (%.0f s); baseline %.4f: %s%n",
                task.loss().label(), run.lastHeldOutLoss(), run.batchesDone(),
                run.failure() != null ? ", the last finite measurement, kept as the checkpoint" : "", run.seconds(),
                task.baselineLoss(), task.baselineDescription());
        if (run.batchesDone() == 0) {
            Checkpoints.save(file, run, init, training, batch, seed);
        }
        List<Path> charts = new Figure(curveChart(run)).write(chartFolder(file), chartName(file));
        out.printf(Locale.ROOT, "Checkpoint %s%nChart      %s%n           %s%n", file, charts.get(0), charts.get(1));
        if (run.failure() != null) {
            throw new IllegalStateException("training " + run.failure() + "; " + file + " holds that model");
        }
        if (task instanceof CharTask chars && sampleLength > 0) {
            String text = new CharSampler(model, chars.vocabulary())
                    .sample("", sampleLength, temperature, new SplittableRandom(seed));
            out.printf(Locale.ROOT, "%nSample (temperature %s):%n%s%n", TrainingOptions.number(temperature), text);
        }
        return 0;
    }

    private static Path chartFolder(Path file) {
        return file.getParent() == null ? Path.of(".") : file.getParent();
    }

    /** {@code adding.elman} → {@code adding-loss}. */
    private static String chartName(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return (dot > 0 ? name.substring(0, dot) : name) + "-loss";
    }

    private static LineChart curveChart(TrainingRun run) {
        Task task = run.task();
        List<TrainingRun.Point> curve = run.curve();
        double[] x = new double[curve.size()];
        double[] heldOut = new double[curve.size()];
        double[] train = new double[curve.size()];
        for (int i = 0; i < curve.size(); i++) {
            x[i] = curve.get(i).batches();
            heldOut[i] = curve.get(i).heldOutLoss();
            train[i] = curve.get(i).trainLoss();
        }
        return new LineChart(task + ": " + task.loss().label(), "training batches", task.loss().label(), true)
                .add("held-out", x, heldOut)
                .add("training (mean since the previous point)", x, train)
                .reference("baseline: " + task.baselineDescription(), task.baselineLoss());
    }
}
