package dev.elman.cli;

import dev.elman.cli.tasks.CharTask;
import dev.elman.cli.tasks.Evaluation;
import dev.elman.cli.tasks.Task;
import dev.elman.cli.tasks.Tasks;
import dev.elman.engine.interop.SavedModel;
import dev.elman.engine.io.AtomicFileWriter;
import dev.elman.engine.model.Model;
import dev.elman.engine.model.ModelConfig;
import dev.elman.engine.model.SequenceBatch;
import dev.elman.engine.model.SequenceChunks;
import dev.elman.engine.model.StackRunner;
import dev.elman.engine.training.Loss;
import dev.elman.engine.training.SequenceSource;
import dev.elman.kernels.WeightPrecision;
import dev.elman.kernels.WorkspacePurpose;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code rnn evaluate}: what serving a saved model with reduced-precision recurrent weights costs.
 * Draws the held-out set its training measured (the same seed and size give the same sequences),
 * and prints for each precision the task's own held-out loss and how far the outputs move from
 * the float32 model's: the largest {@code |Δy|} over every output of every real step, and the
 * difference of the losses.
 */
@Command(name = "evaluate",
        header = "held-out loss of a saved model with f32, bf16 and int8 recurrent weights, and how far its outputs move",
        description = """
                Reads a model file saved by rnn train or rnn demo and evaluates it on the held-out set of its
                task, drawn as training draws it (with the training seed and --sequences as --held-out, the
                sequences training measured; the demo's held-out set is 2048 sequences): once with float32
                weights, and once for each reduced --precision, where the recurrent weights Wx and Wh are
                rounded to bfloat16 or to int8 with one scale per row (biases, the head, states and sums stay
                float32). Prints a table: the task's loss (MSE, or cross-entropy in nats and bits per
                character), its difference from float32's, and the largest |Δy| of any output at any real step
                against the float32 model. A character model needs its text again (--text). Exit status 0 on
                success, 2 for a bad option or a model that does not fit its task, 1 when a file cannot be read
                or written.""")
public final class EvaluateCommand implements Subcommand {
    /** Sequences per held-out batch, as training evaluates them. */
    private static final int HELD_OUT_BATCH = 256;

    @Option(names = "--model", paramLabel = "FILE", required = true, description = "an Elman model file (rnn train, rnn demo)")
    Path file;

    @Option(names = "--precision", paramLabel = "LIST", split = ",", defaultValue = "f32,bf16,int8",
            converter = PrecisionOption.Name.class,
            description = "the precisions of Wx and Wh to evaluate, comma-separated (f32 is always measured: the reference)")
    List<WeightPrecision> precisions;

    @Option(names = "--sequences", paramLabel = "N", defaultValue = "2048", converter = NumberValues.AtLeastOne.class,
            description = "held-out sequences, rounded up to whole batches of 256 as training does (train's --held-out)")
    int sequences;

    @Option(names = "--seed", paramLabel = "N", converter = NumberValues.AnyLong.class,
            description = "the training seed the held-out set derives from (default: the one in the file, else 1)")
    Long seed;

    @Option(names = "--text", paramLabel = "FILE", description = "chars: the text the model was trained on")
    Path text;

    @Option(names = "--csv", paramLabel = "FILE", description = "also write the table as CSV")
    Path csv;

    @Mixin
    ThreadsOption threads;

    /** One row of the table. */
    record Row(WeightPrecision precision, long weightBytes, double loss, double lossDifference, double maxDeviation) {
    }

    @Override
    public int run(PrintStream out) throws Exception {
        String command = "rnn evaluate";
        if (csv != null) {
            OutputFiles.prepare(command, "--csv", csv);
        }
        SavedModel saved = Checkpoints.load(file);
        Map<String, String> metadata = saved.metadata();
        Task task = task(command, metadata);
        long trainingSeed = seed != null ? seed : recordedSeed(metadata);
        int batchSize = Math.min(sequences, HELD_OUT_BATCH);
        int batches = (sequences + batchSize - 1) / batchSize;
        long heldOutSeed = TrainingRun.heldOutSeed(trainingSeed);

        Set<WeightPrecision> wanted = new LinkedHashSet<>();
        wanted.add(WeightPrecision.F32);
        wanted.addAll(precisions);
        try (Model reference = saved.model()) {
            try {
                Evaluation.checkFits(reference, task);
            } catch (IllegalArgumentException e) {
                throw new UsageException(command + ": " + file + ": " + e.getMessage(), e);
            }
            threads.apply(reference);
            out.printf(Locale.ROOT, "Model     %s%n          %s; trained on %s%n", file,
                    ModelOptions.describe(reference.config()), Checkpoints.describeTask(metadata));
            out.printf(Locale.ROOT, "Held-out  %d sequences of the %s (training seed %d%s), %s%n%n",
                    batchSize * batches, task, trainingSeed, seed == null && metadata.containsKey(Checkpoints.SEED_KEY)
                            ? ", from the file" : "", task.loss().label());
            out.flush();
            double referenceLoss = Evaluation.loss(reference, task, batchSize, batches, heldOutSeed);
            List<Row> rows = new ArrayList<>();
            for (WeightPrecision precision : wanted) {
                if (precision == WeightPrecision.F32) {
                    rows.add(new Row(precision, weightBytes(reference.config(), precision), referenceLoss, 0, 0));
                    continue;
                }
                try (Model reduced = reduced(command, reference, precision)) {
                    double loss = Evaluation.loss(reduced, task, batchSize, batches, heldOutSeed);
                    double deviation = maxDeviation(reference, reduced, task, batchSize, batches, heldOutSeed);
                    rows.add(new Row(precision, weightBytes(reference.config(), precision), loss, loss - referenceLoss,
                            deviation));
                }
            }
            boolean chars = task.loss() == Loss.SOFTMAX_CROSS_ENTROPY && task.name().equals("chars");
            out.print(table(rows, chars));
            if (csv != null) {
                if (csv.toString().equals("-")) {
                    out.print(csvText(rows, chars));
                } else {
                    AtomicFileWriter.writeText(csv, csvText(rows, chars));
                    out.printf(Locale.ROOT, "%nCSV       %s%n", csv);
                }
            }
        }
        return 0;
    }

    /** The task of the file, rebuilt from its metadata (a character model with its text). */
    private Task task(String command, Map<String, String> metadata) throws UsageException, IOException {
        String name = metadata.get(Tasks.TASK_KEY);
        if (text != null && !"chars".equals(name)) {
            throw new UsageException(command + ": --text is for a character model; " + file + " was trained on "
                    + Checkpoints.describeTask(metadata));
        }
        try {
            if ("chars".equals(name)) {
                if (text == null) {
                    throw new UsageException(command + ": " + file + " is a character model: give the text it was"
                            + " trained on with --text FILE (its held-out streams are drawn from it)");
                }
                int length = Integer.parseInt(metadata.getOrDefault(Tasks.LENGTH_KEY, ""));
                return new CharTask(readText(), Tasks.vocabulary(metadata), length);
            }
            return Tasks.fromMetadata(metadata).orElseThrow(() -> new IllegalArgumentException(
                    "the file records no task, so there is no held-out set to draw (evaluate needs a model of"
                            + " rnn train or rnn demo)"));
        } catch (NumberFormatException e) {
            throw new UsageException(command + ": " + file + ": metadata: '" + Tasks.LENGTH_KEY
                    + "' must be an integer, got '" + metadata.get(Tasks.LENGTH_KEY) + "'", e);
        } catch (IllegalArgumentException e) {
            throw new UsageException(command + ": " + file + ": " + e.getMessage(), e);
        }
    }

    private String readText() throws IOException {
        try {
            return Files.readString(text, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new IOException(text + " is not UTF-8 text", e);
        } catch (IOException e) {
            if (Files.isDirectory(text)) {
                throw new IOException(text + " is a directory, not a text file", e);
            }
            throw e;
        }
    }

    /** The training seed the checkpoint recorded; 1 (train's and demo's default) when it records none. */
    private static long recordedSeed(Map<String, String> metadata) {
        String value = metadata.get(Checkpoints.SEED_KEY);
        if (value == null) {
            return 1;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("metadata: '" + Checkpoints.SEED_KEY + "' must be an integer, got '"
                    + value + "'", e);
        }
    }

    private Model reduced(String command, Model reference, WeightPrecision precision) throws UsageException {
        try {
            return reference.withInferencePrecision(precision);
        } catch (IllegalArgumentException e) {
            throw new UsageException(command + ": " + file + " cannot be stored in " + precision.label() + ": "
                    + e.getMessage(), e);
        }
    }

    /** The bytes of every layer's Wx and Wh in a precision; int8 adds a float scale per row. */
    static long weightBytes(ModelConfig config, WeightPrecision precision) {
        long bytes = 0;
        int hs = config.hiddenSize();
        for (int l = 0; l < config.layers(); l++) {
            long weights = (long) hs * config.layerInputSize(l) + (long) hs * hs;
            long scales = precision == WeightPrecision.INT8 ? 2L * hs * Float.BYTES : 0;
            bytes += config.directions() * (weights * precision.bytesPerWeight() + scales);
        }
        return bytes;
    }

    /**
     * The largest {@code |y − ŷ|} over every output of every real step of the held-out batches: the
     * two models run side by side from zero states, in chunks of {@link Evaluation#chunkSteps} steps
     * (the states carried), so memory does not grow with the sequence.
     * NaN when an output is not finite.
     */
    static double maxDeviation(Model reference, Model reduced, Task task, int batchSize, int batches, long seed) {
        SequenceSource source = task.source(batchSize, seed);
        int width = reference.config().outputWidth();
        double largest = 0;
        for (int i = 0; i < batches; i++) {
            SequenceBatch inputs = source.next().inputs();
            int b = inputs.batch();
            int chunk = Evaluation.chunkSteps(reference, b, inputs.steps());
            StackRunner expected = reference.newRunner(chunk, b, WorkspacePurpose.INFERENCE);
            StackRunner actual = reduced.newRunner(chunk, b, WorkspacePurpose.INFERENCE);
            expected.reset(b, null);
            actual.reset(b, null);
            SequenceChunks expectedChunks = new SequenceChunks(chunk);
            SequenceChunks actualChunks = new SequenceChunks(chunk);
            expectedChunks.start(inputs, expected);
            actualChunks.start(inputs, actual);
            while (true) {
                if (expectedChunks.first() + expectedChunks.steps() > 0) {
                    // Each window holds only its own chunk: emptied, the states kept.
                    expected.detach();
                    actual.detach();
                }
                if (!expectedChunks.next() || !actualChunks.next()) {
                    break;
                }
                float[] y = expected.output();
                float[] yHat = actual.output();
                for (int s = 0; s < expectedChunks.steps(); s++) {
                    int t = expectedChunks.first() + s;
                    for (int n = 0; n < b; n++) {
                        if (t >= inputs.length(n)) {
                            continue;
                        }
                        int row = (s * b + n) * width;
                        for (int j = row; j < row + width; j++) {
                            double deviation = Math.abs((double) yHat[j] - y[j]);
                            largest = Double.isNaN(deviation) ? Double.NaN : Math.max(largest, deviation);
                        }
                    }
                }
            }
        }
        return largest;
    }

    /** The aligned table; a character model's adds bits per character. */
    static String table(List<Row> rows, boolean chars) {
        StringBuilder text = new StringBuilder();
        String header = String.format(Locale.ROOT, "%-9s  %12s  %12s%s  %13s  %10s%n", "precision", "Wx+Wh bytes",
                "loss", chars ? String.format(Locale.ROOT, "  %9s", "bits/char") : "", "Δloss vs f32", "max |Δy|");
        text.append(header);
        for (Row row : rows) {
            text.append(String.format(Locale.ROOT, "%-9s  %12d  %12.6f%s  %13s  %10s%n", row.precision().label(),
                    row.weightBytes(), row.loss(),
                    chars ? String.format(Locale.ROOT, "  %9.4f", row.loss() / Math.log(2)) : "",
                    row.precision() == WeightPrecision.F32 ? "—" : String.format(Locale.ROOT, "%+.3e", row.lossDifference()),
                    row.precision() == WeightPrecision.F32 ? "—" : String.format(Locale.ROOT, "%.3e", row.maxDeviation())));
        }
        return text.toString();
    }

    static String csvText(List<Row> rows, boolean chars) {
        StringBuilder text = new StringBuilder("precision,recurrent_weight_bytes,loss,"
                + (chars ? "bits_per_char," : "") + "loss_difference,max_abs_output_difference\n");
        for (Row row : rows) {
            text.append(row.precision().label()).append(',').append(row.weightBytes()).append(',')
                    .append(row.loss()).append(',');
            if (chars) {
                text.append(row.loss() / Math.log(2)).append(',');
            }
            text.append(row.lossDifference()).append(',').append(row.maxDeviation()).append('\n');
        }
        return text.toString();
    }
}
