package dev.elman.cli;

import dev.elman.engine.interop.ModelFile;
import dev.elman.engine.interop.SavedModel;
import dev.elman.engine.model.ModelConfig;
import dev.elman.cli.tasks.Tasks;
import dev.elman.kernels.Activation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code rnn train} on tiny settings through {@link Main}: files written, metadata, exit statuses, messages. */
class TrainCommandTest {
    @TempDir
    Path folder;

    static final String TEXT = "to be or not to be, that is the question. ".repeat(10);

    private String[] tiny(String task, String... more) throws IOException {
        List<String> args = new ArrayList<>(List.of("train", "--task", task, "--length", "6", "--hidden", "5",
                "--steps", "6", "--batch", "3", "--evaluations", "2", "--held-out", "8",
                "--out", folder.resolve(task + ".elman").toString()));
        if (task.equals("chars")) {
            Path text = folder.resolve("text.txt");
            Files.writeString(text, TEXT, StandardCharsets.UTF_8);
            args.addAll(List.of("--text", text.toString(), "--sample", "40"));
        }
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"adding", "copy", "sine", "chars"})
    void everyTaskTrainsAndLeavesACheckpointWithItsTaskAndAChart(String task) throws IOException {
        Cli.Result result = Cli.run(tiny(task));
        assertEquals(0, result.status(), result.err());
        assertEquals("", result.err());
        assertTrue(result.out().contains("Held-out loss"), result.out());
        assertTrue(result.out().contains(" 6/6  loss"), "the progress reaches 6/6:\n" + result.out());
        Path checkpoint = folder.resolve(task + ".elman");
        SavedModel saved = ModelFile.load(checkpoint);
        assertEquals(task, saved.metadata().get(Tasks.TASK_KEY));
        assertEquals("6", saved.metadata().get(Checkpoints.BATCHES_KEY));
        assertEquals(5, saved.model().config().hiddenSize());
        assertTrue(Files.size(folder.resolve(task + "-loss.svg")) > 0 && Files.size(folder.resolve(task + "-loss.png")) > 0);
        if (task.equals("chars")) {
            String sample = result.out().substring(result.out().indexOf("Sample (temperature 0.8):") + 26).strip();
            assertEquals(41, sample.length(), "one drawn character and 40 sampled: " + sample);
            assertTrue(sample.chars().allMatch(c -> TEXT.indexOf(c) >= 0), "only characters of the text: " + sample);
        }
    }

    @Test
    void modelAndTrainingOptionsReachTheModel() throws IOException {
        Cli.Result result = Cli.run(tiny("adding", "--layers", "2", "--activation", "relu", "--init", "identity",
                "--optimizer", "sgd", "--momentum", "0.9", "--lr", "0.01", "--clip", "none", "--clip-value", "5",
                "--k1", "2", "--k2", "4"));
        assertEquals(0, result.status(), result.err());
        assertTrue(result.out().contains("sgd (lr 0.01, momentum 0.9), values clamped to ±5, truncated BPTT (k1 = 2, k2 = 4)"),
                result.out());
        ModelConfig config = ModelFile.load(folder.resolve("adding.elman")).model().config();
        assertEquals(2, config.layers());
        assertEquals(Activation.RELU, config.activation());

        result = Cli.run(tiny("copy", "--bidirectional", "--init", "orthogonal", "--spectral-radius", "0.9",
                "--symbols", "3", "--alphabet", "4"));
        assertEquals(0, result.status(), result.err());
        SavedModel copy = ModelFile.load(folder.resolve("copy.elman"));
        assertTrue(copy.model().config().bidirectional());
        assertEquals(6, copy.model().config().inputSize(), "4 symbols, blank and go");
        assertEquals("3", copy.metadata().get(Tasks.SYMBOLS_KEY));
    }

    /** The model trained does not depend on the number of threads: the checkpoints hold the same floats. */
    @Test
    void theThreadsTrainTheSameModel() throws IOException {
        List<float[]> parameters = new ArrayList<>();
        for (String threads : List.of("1", "2", "3")) {
            // Big enough (H = 70, B = 24) for the kernels to consider splitting a pass.
            Cli.Result result = Cli.run("train", "--task", "adding", "--length", "6", "--hidden", "70", "--steps", "4",
                    "--batch", "24", "--evaluations", "2", "--held-out", "8", "--k1", "3", "--k2", "5",
                    "--out", folder.resolve("adding.elman").toString(), "--threads", threads);
            assertEquals(0, result.status(), result.err());
            assertTrue(result.out().contains("seed 1, " + threads + (threads.equals("1") ? " thread" : " threads")),
                    result.out());
            SavedModel saved = ModelFile.load(folder.resolve("adding.elman"));
            dev.elman.engine.model.Parameters p = saved.model().parameters();
            List<Float> all = new ArrayList<>();
            for (int i = 0; i < p.count(); i++) {
                for (float v : p.get(i).data()) {
                    all.add(v);
                }
            }
            float[] flat = new float[all.size()];
            for (int i = 0; i < flat.length; i++) {
                flat[i] = all.get(i);
            }
            parameters.add(flat);
        }
        assertArrayEquals(parameters.get(0), parameters.get(1), "2 threads train the 1-thread model");
        assertArrayEquals(parameters.get(0), parameters.get(2), "3 threads train the 1-thread model");
    }

    @Test
    void usageMistakesAreOneLineWithStatusTwo() throws IOException {
        Path text = folder.resolve("t.txt");
        Files.writeString(text, TEXT);
        expectUsage("rnn train: --task adding|copy|sine|chars is required", "train");
        expectUsage("rnn train: --task must be one of adding, copy, sine, chars, got 'juggle'", "train", "--task", "juggle");
        expectUsage("rnn train: --task chars needs --text FILE, the text to learn", "train", "--task", "chars");
        expectUsage("rnn train: --text is for --task chars, not adding", "train", "--task", "adding", "--text", text.toString());
        expectUsage("rnn train: --symbols and --alphabet are for --task copy, not sine", "train", "--task", "sine",
                "--symbols", "3");
        expectUsage("rnn train: --length must be at least 1, got 0", "train", "--task", "sine", "--length", "0");
        expectUsage("rnn train: the adding problem needs a length of at least 2 (one marker per half), got 1", "train",
                "--task", "adding", "--length", "1");
        expectUsage("rnn train: --lr must be a positive number, got -1", "train", "--task", "sine", "--lr", "-1");
        expectUsage("rnn train: --hidden expects an integer, got 'many'", "train", "--task", "sine", "--hidden", "many");
        expectUsage("rnn train: --momentum is for --optimizer sgd, not adam", "train", "--task", "sine", "--momentum", "0.9");
        expectUsage("rnn train: --k2 (3) must be at least --k1 (5)", "train", "--task", "sine", "--k1", "5", "--k2", "3");
        expectUsage("rnn train: --k2 needs --k1 (the steps between updates)", "train", "--task", "sine", "--k2", "3");
        expectUsage("rnn train: --bidirectional cannot learn next-value prediction: its reverse direction would read the"
                + " answer", "train", "--task", "sine", "--bidirectional");
        expectUsage("rnn train: --k1/--k2 truncate backpropagation, but a --bidirectional model trains with full BPTT (its"
                + " reverse direction reads each sequence from its end)", "train", "--task", "adding", "--bidirectional",
                "--k1", "4");
        expectUsage("rnn train: --threads expects a number of threads from 1 to 256, got 0", "train", "--task", "sine",
                "--threads", "0");
        expectUsage("rnn train: --threads expects a number of threads from 1 to 256, got 'two'", "train", "--task", "sine",
                "--threads", "two");
        expectUsage("rnn train: --threads expects a number of threads from 1 to 256, got 257", "train", "--task", "sine",
                "--threads", "257");
        expectUsage("rnn train: --out " + folder + " is a directory; name the checkpoint file", "train", "--task", "sine",
                "--out", folder.toString());
        expectUsage("rnn train: chars task: the text has 420 characters, fewer than length + 1 = 1001", "train", "--task",
                "chars", "--text", text.toString(), "--length", "1000");
        assertFalse(Files.exists(folder.resolve("sine.elman")), "nothing written");
    }

    @Test
    void fileProblemsAndDivergenceExitWithOne() throws IOException {
        Cli.Result missing = Cli.run("train", "--task", "chars", "--text", folder.resolve("none.txt").toString());
        assertEquals(1, missing.status());
        assertEquals("rnn train: no such file: " + folder.resolve("none.txt"), missing.errorLine());

        Path latin1 = folder.resolve("latin1.txt");
        Files.write(latin1, new byte[] {'a', (byte) 0xE9, 'b', 'c'});
        Cli.Result notUtf8 = Cli.run("train", "--task", "chars", "--text", latin1.toString());
        assertEquals(1, notUtf8.status());
        assertEquals("rnn train: " + latin1 + " is not UTF-8 text", notUtf8.errorLine());

        // A learning rate of 1e30 makes the first update's parameters huge, the second update's loss
        // enormous and its gradient not finite: the trainer refuses it and the command says so.
        Cli.Result diverged = Cli.run(tiny("sine", "--optimizer", "sgd", "--lr", "1e30", "--clip", "none"));
        assertEquals(1, diverged.status());
        assertTrue(diverged.errorLine().startsWith("rnn train: stopped after 0 batches: training diverged at update 2"),
                diverged.err());
        assertTrue(Files.exists(folder.resolve("sine.elman")), "the checkpoint of the last measurement is kept");

        Cli.Result verbose = Cli.run(tiny("sine", "--optimizer", "sgd", "--lr", "1e30", "--clip", "none", "--verbose"));
        assertEquals(1, verbose.status());
        assertTrue(verbose.err().contains("dev.elman.cli.TrainCommand.run("), "--verbose adds the trace:\n" + verbose.err());
    }

    @Test
    void helpListsTheOptions() {
        Cli.Result help = Cli.run("train", "--help");
        assertEquals(0, help.status());
        for (String option : List.of("--task", "--length", "--text", "--hidden", "--layers", "--bidirectional",
                "--activation", "--init", "--optimizer", "--lr", "--clip", "--k1", "--k2", "--batch", "--steps", "--seed",
                "--threads", "--out")) {
            assertTrue(help.out().contains(option), option + " in\n" + help.out());
        }
    }

    private static void expectUsage(String message, String... args) {
        Cli.Result result = Cli.run(args);
        assertEquals(2, result.status(), String.join(" ", args) + "\n" + result.out() + result.err());
        assertEquals(message, result.errorLine());
    }
}
