package dev.elman.cli;

import dev.elman.cli.chart.Figure;
import dev.elman.cli.chart.LineChart;
import dev.elman.engine.diagnostics.JacobianDecay;
import dev.elman.engine.diagnostics.JacobianNorms;
import dev.elman.engine.interop.SavedModel;
import dev.elman.engine.model.Model;
import dev.elman.engine.model.ModelConfig;
import dev.elman.cli.tasks.AddingProblem;
import dev.elman.cli.tasks.CharSampler;
import dev.elman.cli.tasks.CharVocabulary;
import dev.elman.cli.tasks.CopyTask;
import dev.elman.cli.tasks.SineTask;
import dev.elman.cli.tasks.Task;
import dev.elman.cli.tasks.Tasks;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * {@code rnn diagnose}: how far back a saved model's gradients reach. Prints the spectral radius
 * of every {@code Wh} and the table of {@code ‖∂h_T/∂h_{T−k}‖} against {@code k} for every layer
 * and direction, along one input sequence of the model's own task (a sequence of its task at
 * length K; for a character model, text it samples itself; random inputs when the file records no
 * task), and draws the decay as a chart.
 */
@Command(name = "diagnose",
        header = "spectral radius of each Wh and the Jacobian-norm decay ‖∂h_T/∂h_{T−k}‖ of a saved model, with a chart",
        description = """
                Reads an Elman model file and prints, for every layer and direction, the spectral radius
                max |λ| of its recurrent weights Wh and the norm ‖∂h_T/∂h_{T−k}‖ = ‖Π diag(φ'(z_i))·Wh‖
                (largest singular value, in double) for k = 1 … K along one input sequence: a sequence of the
                task the model was trained on, text the model samples itself for a character model, or
                standard normal inputs when the file records no task. Norms that shrink geometrically are
                the vanishing gradient; growing ones, the exploding gradient. Writes the decay as a chart
                (SVG and PNG) to --out. Costs O(K·H³): a few seconds for H = 100, K = 150.""")
public final class DiagnoseCommand implements Subcommand {
    private static final int DEFAULT_MAX_LAG = 200;
    private static final int LAG_WITHOUT_TASK = 100;

    @Option(names = "--model", paramLabel = "FILE", required = true, description = "an Elman model file (rnn train, rnn demo)")
    Path file;

    @Option(names = "--length", paramLabel = "K", converter = NumberValues.AtLeastOne.class,
            description = "the largest lag k (default: the task's sequence length, at most 200; 100 without a task)")
    Integer requestedLag;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "rnn-out/diagnose", description = "where the chart goes")
    Path folder;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", converter = NumberValues.AnyLong.class,
            description = "random seed of the input sequence")
    long seed;

    @Override
    public int run(PrintStream out) throws Exception {
        String command = "rnn diagnose";
        OutputFolders.check(command, "--out", folder);
        SavedModel saved = Checkpoints.load(file);
        Model model = saved.model();
        ModelConfig config = model.config();
        Map<String, String> metadata = saved.metadata();

        if (requestedLag != null) {
            // The walk back over K lags keeps the K steps' inputs and every layer's states.
            double units = (double) config.layers() * config.directions() * config.hiddenSize();
            MemoryBudget.check(command, String.format(Locale.ROOT, "--length %d with a model of %d layer(s) of"
                    + " --hidden %d", requestedLag, config.layers(), config.hiddenSize()),
                    MemoryBudget.FLOAT * (double) requestedLag * (config.inputSize() + 2 * units));
        }
        Sequence sequence;
        try {
            sequence = sequence(model, metadata, requestedLag, seed);
        } catch (IllegalArgumentException e) {
            throw new UsageException(command + ": " + file + ": " + e.getMessage(), e);
        }
        int maxLag = sequence.steps();

        out.printf(Locale.ROOT, "Model     %s%n          %s; trained on %s%n", file, ModelOptions.describe(config),
                Checkpoints.describeTask(metadata));
        out.printf(Locale.ROOT, "%nSpectral radius of Wh (max |λ|; above 1 the linearised recurrence can grow, below 1 it"
                + " shrinks):%n");
        List<String> names = new ArrayList<>();
        List<JacobianDecay> decays = new ArrayList<>();
        for (int layer = 0; layer < config.layers(); layer++) {
            for (int d = 0; d < config.directions(); d++) {
                boolean reverse = d == 1;
                String name = "layer " + layer + (config.bidirectional() ? reverse ? " rev" : " fwd" : "");
                out.printf(Locale.ROOT, "  %-12s %.4f%n", name, model.spectralRadius(layer, reverse));
                names.add(name);
                decays.add(JacobianNorms.measure(model, sequence.inputs(), sequence.steps(), layer, reverse, maxLag));
            }
        }
        out.printf(Locale.ROOT, "%nJacobian norm ‖∂h_T/∂h_{T−k}‖ along %s:%n", sequence.description());
        out.print(DecayTable.format(names, decays));

        LineChart chart = new LineChart("‖∂h_T/∂h_{T−k}‖: " + file.getFileName(), "k (steps back)", "spectral norm", true)
                .legendBottomLeft();
        for (int i = 0; i < decays.size(); i++) {
            double[][] points = DecayTable.points(decays.get(i));
            chart.add(names.get(i), points[0], points[1]);
        }
        List<Path> charts = new Figure(chart).write(folder, baseName(file) + "-decay");
        out.printf(Locale.ROOT, "%nChart     %s%n          %s%n", charts.get(0), charts.get(1));
        return 0;
    }

    /** One input sequence {@code [K][I]} and what it is. */
    record Sequence(float[] inputs, int steps, String description) {
    }

    static Sequence sequence(Model model, Map<String, String> metadata, Integer requestedLag, long seed) {
        ModelConfig config = model.config();
        String taskName = metadata.get(Tasks.TASK_KEY);
        if ("chars".equals(taskName)) {
            CharVocabulary vocabulary = Tasks.vocabulary(metadata);
            int steps = requestedLag != null ? requestedLag
                    : Math.min(DEFAULT_MAX_LAG, Integer.parseInt(metadata.getOrDefault(Tasks.LENGTH_KEY, "100")));
            if (config.bidirectional()) {
                throw new IllegalArgumentException("a bidirectional character model cannot sample its own text");
            }
            String text = new CharSampler(model, vocabulary).sample("", steps - 1, 1.0, new SplittableRandom(seed));
            float[] x = new float[steps * config.inputSize()];
            int[] symbols = vocabulary.encode(text, "sample");
            for (int t = 0; t < steps; t++) {
                x[t * config.inputSize() + symbols[t]] = 1f;
            }
            return new Sequence(x, steps, steps + " characters the model sampled itself (temperature 1)");
        }
        Optional<Task> recorded = Tasks.fromMetadata(metadata);
        if (recorded.isEmpty()) {
            int steps = requestedLag != null ? requestedLag : LAG_WITHOUT_TASK;
            SplittableRandom random = new SplittableRandom(seed);
            float[] x = new float[steps * config.inputSize()];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) random.nextGaussian();
            }
            return new Sequence(x, steps, steps + " steps of standard normal inputs (the file records no task)");
        }
        Task task = recorded.get();
        if (task.inputSize() != config.inputSize()) {
            throw new IllegalArgumentException("the model reads " + config.inputSize() + " features per step, but its"
                    + " recorded task (" + task + ") gives " + task.inputSize());
        }
        int steps = requestedLag != null ? requestedLag : Math.min(DEFAULT_MAX_LAG, task.steps());
        Task sized = switch (task) {
            case AddingProblem adding -> steps < 2 ? adding : new AddingProblem(steps);
            case SineTask sine -> new SineTask(steps);
            case CopyTask copy -> steps > 2 * copy.symbols()
                    ? new CopyTask(copy.symbols(), copy.alphabet(), steps - 2 * copy.symbols()) : copy;
            default -> task;
        };
        float[] x = sized.source(1, seed).next().inputs().inputs();
        if (sized.steps() > steps) {
            // A task that cannot be made this short (a copy sequence shorter than its symbols): its first K steps.
            x = java.util.Arrays.copyOf(x, steps * config.inputSize());
        }
        return new Sequence(x, steps, "one sequence of the " + sized + (sized.steps() > steps ? ", its first " + steps
                + " steps" : ""));
    }

    private static String baseName(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
