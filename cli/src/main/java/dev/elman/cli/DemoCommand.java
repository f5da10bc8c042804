package dev.elman.cli;

import dev.elman.engine.KernelSelection;
import dev.elman.cli.chart.Figure;
import dev.elman.cli.chart.LineChart;
import dev.elman.engine.diagnostics.JacobianDecay;
import dev.elman.engine.diagnostics.JacobianNorms;
import dev.elman.engine.model.Initialization;
import dev.elman.engine.model.Model;
import dev.elman.engine.model.ModelConfig;
import dev.elman.cli.tasks.AddingProblem;
import dev.elman.engine.io.AtomicFileWriter;
import dev.elman.engine.training.GradientClipping;
import dev.elman.engine.training.Optimizer;
import dev.elman.engine.training.TrainingConfig;
import dev.elman.kernels.Activation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code rnn demo}: the vanishing gradient and the IRNN's way around it, on the adding problem.
 *
 * <p>A tanh RNN (PyTorch's default initialisation) and an IRNN (relu, {@code Wh = I}, Le, Jaitly
 * and Hinton 2015) of the same size are trained side by side on the same batches, with live
 * progress; {@code --threads N} shares the machine between them ({@link #threadsOfModel}). Then:
 * their held-out MSE against the 1/6 baseline; the table of {@code ‖∂h_T/∂h_{T−k}‖} before and
 * after training; the streaming step latency of each trained model; a chart of the learning curves and the gradient decay (SVG and PNG) and both models as
 * checkpoints in the output folder.
 *
 * <p>Three sizes: the default (about a minute on two cores), {@code --quick} (seconds, for tests
 * and CI) and {@code --paper}, the paper's adding-problem setting at {@code T = 150} with 100
 * hidden units and plain SGD (about a quarter of an hour). Any of its numbers can be overridden.
 */
@Command(name = "demo",
        header = "tanh RNN vs IRNN on the adding problem: learning curves, vanishing gradients, step latency, a chart",
        description = """
                The seed's story in one run. A tanh RNN and an IRNN (relu units, recurrent weights initialised
                to the identity; Le, Jaitly & Hinton 2015) of the same size train side by side on the same
                batches of the adding problem: two of T values in [0, 1] are marked, and the answer at the
                last step is their sum; always answering 1 scores an MSE of 1/6 ≈ 0.167. Then the demo prints
                each model's held-out MSE, the vanishing-gradient table ‖∂h_T/∂h_{T−k}‖ against k before and
                after training, and the streaming step latency (median, p99) of each trained model, and writes
                a chart (SVG and PNG) of the learning curves and the gradient decay, and both models, to --out.
                With --threads 1 the models train one after the other on one thread; with N ≥ 2 side by side,
                the N threads shared between them (the results are the same for every N). About a minute on
                2 cores; --quick takes seconds; --paper runs the paper's setting (T = 150, H = 100, plain SGD,
                ~15 minutes). Options given explicitly override the preset.""")
public final class DemoCommand implements Subcommand {
    /** The settings of one size of the demo. */
    record Preset(String name, int length, int hidden, int batches, String optimizer, double learningRate,
                  int evaluations, int heldOut, int latencySamples) {
    }

    static final Preset DEFAULT = new Preset("default", 120, 64, 16_000, "adam", 1e-3, 80, 2048, 200_000);
    static final Preset QUICK_PRESET = new Preset("quick", 20, 16, 150, "adam", 1e-3, 10, 200, 20_000);
    /**
     * Le, Jaitly and Hinton's adding problem at T = 150: 100 hidden units, plain SGD on batches of
     * 16, learning rate 0.01, gradient norm clipped at 1; 150 000 batches fit in about a quarter of
     * an hour on two cores.
     */
    static final Preset PAPER_PRESET = new Preset("paper", 150, 100, 150_000, "sgd", 1e-2, 150, 2048, 200_000);

    /** The held-out sequence of the Jacobian table comes from the run's seed mixed with this. */
    private static final long HELD_OUT_SEQUENCE = 0x5DEECE66DL;
    private static final List<String> DECAY_NAMES = List.of("tanh start", "tanh trained", "irnn start", "irnn trained");

    // The preset values in the descriptions below are written out (annotation values are
    // constants); DemoCommandTest checks them against the presets.
    @Option(names = "--quick", description = "a few seconds: tiny models, few batches (for tests and CI)")
    boolean quick;

    @Option(names = "--paper", description = "Le, Jaitly & Hinton (2015): T = 150, 100 hidden units, SGD,"
            + " batch 16, about 15 minutes on 2 cores")
    boolean paper;

    @Option(names = "--length", paramLabel = "T", converter = NumberValues.AtLeastTwo.class,
            description = "sequence length (default 120; quick 20; paper 150)")
    Integer length;

    @Option(names = "--hidden", paramLabel = "H", converter = NumberValues.AtLeastOne.class,
            description = "hidden units (default 64; quick 16; paper 100)")
    Integer hidden;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "16", converter = NumberValues.AtLeastOne.class,
            description = "sequences per batch")
    int batch;

    @Option(names = "--steps", paramLabel = "N", converter = NumberValues.AtLeastOne.class,
            description = "training batches per model (default 16,000; quick 150; paper 150,000)")
    Integer steps;

    @Option(names = "--optimizer", paramLabel = "sgd|adam|adagrad", converter = TrainingOptions.OptimizerName.class,
            description = "the update rule of both models (default adam; quick adam; paper sgd)")
    String optimizer;

    @Option(names = "--lr", paramLabel = "RATE", converter = NumberValues.PositiveNumber.class,
            description = "learning rate (default 0.001; quick 0.001; paper 0.01)")
    Double learningRate;

    @Option(names = "--clip", paramLabel = "NORM|none", defaultValue = "1", converter = NumberValues.LimitOrNone.class,
            description = "clip the gradient's global norm to NORM")
    double clip;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", converter = NumberValues.AnyLong.class,
            description = "random seed of the weights and the data")
    long seed;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "2", converter = NumberValues.Threads.class,
            description = "threads in all: 1 trains the two models one after the other, N ≥ 2 side by side with"
                    + " N/2 threads each (the odd one to the tanh model)")
    int threads;

    @Option(names = "--out", paramLabel = "DIR",
            description = "where the chart, the curves and the models go (default rnn-out/demo; paper rnn-out/paper)")
    Path outFolder;

    @Option(names = "--force", description = "replace tanh.elman and irnn.elman in --out even if they are not Elman model files")
    boolean force;

    /** @return how the help describes a preset value: "default 120; quick 20; paper 150" */
    static String presets(java.util.function.Function<Preset, Object> value) {
        StringBuilder text = new StringBuilder();
        for (Preset preset : List.of(DEFAULT, QUICK_PRESET, PAPER_PRESET)) {
            Object v = value.apply(preset);
            text.append(text.isEmpty() ? "" : "; ").append(preset.name()).append(' ')
                    .append(v instanceof Double d ? TrainingOptions.number(d) : v instanceof Integer i && i >= 10_000
                            ? String.format(Locale.ROOT, "%,d", i) : v);
        }
        return text.toString();
    }

    @Override
    public int run(PrintStream out) throws Exception {
        String command = "rnn demo";
        if (quick && paper) {
            throw new UsageException(command + ": --quick and --paper are two different sizes; give one");
        }
        Preset preset = quick ? QUICK_PRESET : paper ? PAPER_PRESET : DEFAULT;
        int length = this.length != null ? this.length : preset.length();
        int hidden = this.hidden != null ? this.hidden : preset.hidden();
        int batches = steps != null ? steps : preset.batches();
        double learningRate = this.learningRate != null ? this.learningRate : preset.learningRate();
        Path folder = outFolder != null ? outFolder : Path.of("rnn-out", preset == PAPER_PRESET ? "paper" : "demo");
        checkMemory(command, new AddingProblem(length), hidden, preset);
        // Every file the demo writes is checked (and the folder made) now, not after the training.
        OutputFolders.check(command, "--out", folder);
        for (String name : List.of("demo.svg", "demo.png", "curves.csv")) {
            OutputFiles.prepare(command, "--out", folder.resolve(name));
        }
        for (String name : List.of("tanh.elman", "irnn.elman")) {
            OutputFiles.prepareModel(command, "--out", folder.resolve(name), force);
        }
        Optimizer optimizer = TrainingOptions.optimizer(this.optimizer != null ? this.optimizer : preset.optimizer(),
                learningRate, 0);
        AddingProblem task = new AddingProblem(length);
        TrainingConfig training = TrainingConfig.builder().loss(task.loss()).scope(task.scope()).optimizer(optimizer)
                .clipping(new GradientClipping(clip, Double.POSITIVE_INFINITY)).build();

        ModelConfig tanhConfig = ModelConfig.builder().inputSize(task.inputSize()).hiddenSize(hidden)
                .activation(Activation.TANH).outputSize(task.outputSize()).build();
        ModelConfig irnnConfig = tanhConfig.toBuilder().activation(Activation.RELU).build();
        Initialization tanhInit = Initialization.uniform();
        Initialization irnnInit = Initialization.identity();
        Model tanh = Model.create(tanhConfig, tanhInit, seed);
        Model irnn = Model.create(irnnConfig, irnnInit, seed);
        // The untrained copies serve one measurement each, on one thread; made before the teams start.
        Model tanhStart = tanh.copy();
        Model irnnStart = irnn.copy();
        tanh.setThreads(threadsOfModel(threads, 0));
        irnn.setThreads(threadsOfModel(threads, 1));
        try {
            return run(out, preset, task, training, folder, length, hidden, batches, tanh, irnn, tanhStart, irnnStart,
                    tanhInit, irnnInit);
        } finally {
            tanh.close();
            irnn.close();
        }
    }

    /**
     * Refuses sizes whose arrays cannot fit in the heap, before anything is allocated: for each of
     * the two models (and its untrained copy), the parameters with gradients, optimizer state and
     * copies, and a training and a held-out batch under full BPTT (data, and state, gradient and
     * workspace at every step).
     */
    private void checkMemory(String command, AddingProblem task, int hidden, Preset preset) throws UsageException {
        double parameters = (double) hidden * (task.inputSize() + hidden + 1) + (double) task.outputSize() * (hidden + 1);
        double perStep = task.inputSize() + task.outputSize();
        double batches = batch + Math.min(preset.heldOut(), 256);
        double bytes = 2 * MemoryBudget.FLOAT * (9 * parameters + batches * task.steps() * (3.0 * hidden + 3 * perStep));
        MemoryBudget.check(command, String.format(Locale.ROOT, "--length %d with --batch %d, --hidden %d", task.steps(),
                batch, hidden), bytes);
    }

    /**
     * How many threads each model computes with, out of {@code --threads N}: 1 each when they train
     * one after the other (N = 1), else half of N each, the odd one to the first model.
     *
     * @param threads N, at least 1
     * @param model 0 for the tanh model, 1 for the IRNN
     * @return its threads, at least 1
     */
    static int threadsOfModel(int threads, int model) {
        return threads == 1 ? 1 : threads / 2 + (model < threads % 2 ? 1 : 0);
    }

    private int run(PrintStream out, Preset preset, AddingProblem task, TrainingConfig training, Path folder, int length,
                    int hidden, int batches, Model tanh, Model irnn, Model tanhStart, Model irnnStart,
                    Initialization tanhInit, Initialization irnnInit) throws Exception {

        out.printf(Locale.ROOT, "rnn demo (%s): the vanishing gradient, and the IRNN's way around it%n%n", preset.name());
        out.printf(Locale.ROOT, "Task      adding problem (Le, Jaitly & Hinton 2015), T = %d: two of T values in [0, 1] are"
                + " marked;%n          the answer at the last step is their sum. Always answering 1 scores MSE 1/6 ≈ 0.167.%n",
                length);
        out.printf(Locale.ROOT, "Models    H = %d, one layer, linear head: tanh (uniform ±1/√H init, PyTorch's default)%n"
                + "          and IRNN (relu, Wh = I, input weights ~ N(0, %s²), biases 0)%n", hidden,
                Initialization.IDENTITY_INPUT_STD);
        out.printf(Locale.ROOT, "Training  %s,%n          batch %d, %d batches each, the same batches for both%n",
                TrainingOptions.describe(training), batch, batches);
        out.printf(Locale.ROOT, "Kernels   %s, %s%n%n", KernelSelection.kernels().getClass().getSimpleName(),
                threads == 1 ? "one model after the other, on one thread"
                        : "the two models side by side, " + (tanh.threads() == irnn.threads()
                        ? tanh.threads() + (tanh.threads() == 1 ? " thread" : " threads") + " each"
                        : tanh.threads() + " and " + irnn.threads() + " threads"));
        out.flush();

        int evaluateEvery = Math.max(1, batches / preset.evaluations());
        TrainingRun tanhRun = new TrainingRun("tanh", tanh, task, training, batch, seed, batches, evaluateEvery,
                preset.heldOut());
        TrainingRun irnnRun = new TrainingRun("irnn", irnn, task, training, batch, seed, batches, evaluateEvery,
                preset.heldOut());
        ProgressBoard board = new ProgressBoard(out, ProgressBoard.isTerminal(), new String[] {"tanh", "irnn"},
                new long[] {batches, batches});
        runAll(List.of(tanhRun, irnnRun), board, threads);
        board.finish();

        printResults(out, task, tanhRun, irnnRun);
        float[] sequence = task.source(1, seed ^ HELD_OUT_SEQUENCE).next().inputs().inputs();
        List<JacobianDecay> decays = new ArrayList<>();
        for (Model model : List.of(tanhStart, tanh, irnnStart, irnn)) {
            decays.add(JacobianNorms.measure(model, sequence, length, 0, false, length));
        }
        out.printf(Locale.ROOT, "%nVanishing gradient: ‖∂h_T/∂h_{T−k}‖ along one held-out sequence (spectral norm)%n");
        out.print(DecayTable.format(DECAY_NAMES, decays));
        printLatency(out, preset, hidden, sequence, length, tanhRun, irnnRun);

        Figure figure = new Figure(learningCurves(task, tanhRun, irnnRun), decayChart(decays));
        List<Path> charts = figure.write(folder, "demo");
        Path curves = folder.resolve("curves.csv");
        AtomicFileWriter.writeText(curves, curvesCsv(tanhRun, irnnRun));
        Path tanhFile = folder.resolve("tanh.elman");
        Path irnnFile = folder.resolve("irnn.elman");
        Checkpoints.save(tanhFile, tanhRun, tanhInit, training, batch, seed);
        Checkpoints.save(irnnFile, irnnRun, irnnInit, training, batch, seed);
        out.printf(Locale.ROOT, "%nChart     %s%n          %s%n", charts.get(0), charts.get(1));
        out.printf(Locale.ROOT, "Curves    %s%n", curves);
        out.printf(Locale.ROOT, "Models    %s, %s%n          (./rnn diagnose --model %s)%n", tanhFile, irnnFile, irnnFile);
        return 0;
    }

    private static void printResults(PrintStream out, AddingProblem task, TrainingRun... runs) {
        out.printf(Locale.ROOT, "%nHeld-out MSE (%d sequences; always answering 1 scores %.3f):%n",
                runs[0].heldOutSequences(), task.baselineLoss());
        for (TrainingRun run : runs) {
            double last = run.lastHeldOutLoss();
            out.printf(Locale.ROOT, "  %-5s %.4f   %s   (%d batches in %.0f s)%n", run.name(), last,
                    verdict(last, task.baselineLoss()), run.batchesDone(), run.seconds());
            if (run.failure() != null) {
                out.printf(Locale.ROOT, "        %s%n", run.failure());
            }
        }
    }

    private static void printLatency(PrintStream out, Preset preset, int hidden, float[] sequence, int length,
                                     TrainingRun... runs) {
        out.printf(Locale.ROOT, "%nStreaming step latency, trained models (H = %d, one stream, %,d steps timed each;"
                + "%nincludes the timer; the JMH benchmarks are the figures to quote):%n", hidden, preset.latencySamples());
        for (TrainingRun run : runs) {
            StreamingLatency latency = StreamingLatency.measure(run.model(), sequence, length,
                    preset.latencySamples() / 2, preset.latencySamples());
            out.printf(Locale.ROOT, "  %-5s median %.2f µs   p99 %.2f µs%n", run.name(), latency.medianMicros(),
                    latency.p99Micros());
        }
    }

    /** Runs the trainings, on one thread each or one after the other; rethrows the first failure. */
    static void runAll(List<TrainingRun> runs, ProgressBoard board, int threads) throws Exception {
        if (threads == 1) {
            for (int i = 0; i < runs.size(); i++) {
                runs.get(i).run(board, i, null);
            }
            return;
        }
        Exception[] failures = new Exception[runs.size()];
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            int row = i;
            workers.add(Thread.ofPlatform().name("rnn-" + runs.get(i).name()).start(() -> {
                try {
                    runs.get(row).run(board, row, null);
                } catch (Exception e) {
                    failures[row] = e;
                }
            }));
        }
        for (Thread worker : workers) {
            worker.join();
        }
        for (Exception failure : failures) {
            if (failure != null) {
                throw failure;
            }
        }
    }

    private static String verdict(double loss, double baseline) {
        if (!Double.isFinite(loss)) {
            return "no result";
        }
        double ratio = loss / baseline;
        if (ratio > 0.8) {
            return "≈ baseline: has not learnt the task";
        }
        if (ratio > 0.1) {
            return String.format(Locale.ROOT, "%.0f%% of the baseline: learning", 100 * ratio);
        }
        return String.format(Locale.ROOT, "%.1f%% of the baseline: solved", 100 * ratio);
    }

    /** The learning curves as CSV: one row per measurement, the training and held-out loss of each run. */
    static String curvesCsv(TrainingRun... runs) {
        StringBuilder csv = new StringBuilder("batches");
        int rows = 0;
        for (TrainingRun run : runs) {
            csv.append(',').append(run.name()).append("_train,").append(run.name()).append("_held_out");
            rows = Math.max(rows, run.curve().size());
        }
        csv.append('\n');
        for (int i = 0; i < rows; i++) {
            long batches = -1;
            StringBuilder row = new StringBuilder();
            for (TrainingRun run : runs) {
                List<TrainingRun.Point> curve = run.curve();
                if (i < curve.size()) {
                    batches = curve.get(i).batches();
                    row.append(',').append(value(curve.get(i).trainLoss())).append(',')
                            .append(value(curve.get(i).heldOutLoss()));
                } else {
                    row.append(",,");
                }
            }
            csv.append(batches).append(row).append('\n');
        }
        return csv.toString();
    }

    private static String value(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6g", v);
    }

    static LineChart learningCurves(AddingProblem task, TrainingRun... runs) {
        LineChart chart = new LineChart("Adding problem, T = " + task.steps() + ": held-out MSE", "training batches",
                "mean squared error", true);
        for (TrainingRun run : runs) {
            List<TrainingRun.Point> curve = run.curve();
            double[] x = new double[curve.size()];
            double[] y = new double[curve.size()];
            for (int i = 0; i < curve.size(); i++) {
                x[i] = curve.get(i).batches();
                y[i] = curve.get(i).heldOutLoss();
            }
            chart.add(run.name(), x, y);
        }
        return chart.reference("always 1 (MSE 1/6)", task.baselineLoss());
    }

    private static LineChart decayChart(List<JacobianDecay> decays) {
        LineChart chart = new LineChart("Vanishing gradient: ‖∂h_T/∂h_{T−k}‖", "k (steps back)", "spectral norm", true)
                .legendBottomLeft();
        for (int i = 0; i < decays.size(); i++) {
            double[][] points = DecayTable.points(decays.get(i));
            chart.add(DECAY_NAMES.get(i), points[0], points[1]);
        }
        return chart;
    }
}
