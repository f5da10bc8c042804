package dev.elman.cli;

import dev.elman.engine.interop.ModelFile;
import dev.elman.engine.interop.SavedModel;
import dev.elman.engine.model.Initialization;
import dev.elman.cli.tasks.Tasks;
import dev.elman.engine.training.TrainingConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checkpoints of {@code rnn train} and {@code rnn demo}: Elman's {@link ModelFile} with the task
 * (so {@code sample} and {@code diagnose} know what the model reads) and how it was trained in
 * its metadata.
 */
final class Checkpoints {
    static final String INIT_KEY = "train.init";
    static final String TRAINING_KEY = "train.config";
    static final String BATCHES_KEY = "train.batches";
    static final String BATCH_SIZE_KEY = "train.batchSize";
    static final String SEED_KEY = "train.seed";
    static final String HELD_OUT_KEY = "train.heldOutLoss";
    static final String BASELINE_KEY = "train.baselineLoss";

    private Checkpoints() {
    }

    /**
     * Saves a run's model with its task and training settings (atomically: a reader never sees
     * half a file, and a failed save keeps the previous one).
     */
    static void save(Path file, TrainingRun run, Initialization init, TrainingConfig config, int batchSize, long seed)
            throws IOException {
        Map<String, String> metadata = new TreeMap<>(run.task().metadata());
        metadata.put(INIT_KEY, init.toString());
        metadata.put(TRAINING_KEY, config.toString());
        metadata.put(BATCHES_KEY, Long.toString(run.batchesDone()));
        metadata.put(BATCH_SIZE_KEY, Integer.toString(batchSize));
        metadata.put(SEED_KEY, Long.toString(seed));
        metadata.put(HELD_OUT_KEY, String.format(Locale.ROOT, "%.6g", run.lastHeldOutLoss()));
        metadata.put(BASELINE_KEY, String.format(Locale.ROOT, "%.6g", run.task().baselineLoss()));
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        ModelFile.save(file, run.model(), metadata);
    }

    /**
     * Loads a checkpoint for a subcommand.
     *
     * @throws IOException when the file is missing, unreadable or not a valid model file (the
     *     message names the file and what is wrong)
     * @throws UsageException when an {@code .onnx} file is malformed or not an Elman network
     */
    static SavedModel load(Path file) throws IOException, UsageException {
        if (Files.isDirectory(file)) {
            throw new IOException(file + " is a directory, not a model file");
        }
        if (OnnxFiles.isOnnx(file)) {
            // An ONNX model records no task: the subcommands treat it as a model of no task.
            return new SavedModel(OnnxFiles.read("rnn", file), Map.of());
        }
        return ModelFile.load(file);
    }

    /** @return the task a checkpoint was trained on, for messages ("the adding task") */
    static String describeTask(Map<String, String> metadata) {
        String task = metadata.get(Tasks.TASK_KEY);
        return task == null ? "a task the file does not record" : "the " + task + " task";
    }
}
