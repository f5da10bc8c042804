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

    /** {@link #tiny} with some of its options given other values (or added). */
    private String[] tinyWith(String task, String... replaced) throws IOException {
        List<String> args = new ArrayList<>(List.of(tiny(task)));
        for (int i = 0; i < replaced.length; i++) {
            String option = replaced[i];
            boolean flag = i + 1 >= replaced.length || replaced[i + 1].startsWith("--");
            int at = args.indexOf(option);
            if (flag) {
                if (at < 0) {
                    args.add(option);
                }
            } else if (at >= 0) {
                args.set(at + 1, replaced[++i]);
            } else {
                args.add(option);
                args.add(replaced[++i]);
            }
        }
        return args.toArray(String[]::new);
    }

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
        // The checkpoint is the model of the last measurement with a finite loss (here the initial one),
        // not the huge parameters of the last update before the failure, and the output says so.
        Cli.Result diverged = Cli.run(tiny("sine", "--optimizer", "sgd", "--lr", "1e30", "--clip", "none"));
        assertEquals(1, diverged.status());
        assertTrue(diverged.errorLine().startsWith("rnn train: training stopped in batch 2: training diverged at update 2"),
                diverged.err());
        assertTrue(diverged.errorLine().contains("the model is back to its parameters after 0 batches, the last"
                + " measurement with a finite held-out loss"), diverged.err());
        assertTrue(diverged.errorLine().endsWith(folder.resolve("sine.elman") + " holds that model"), diverged.err());
        assertTrue(diverged.out().contains("after 0 batches, the last finite measurement, kept as the checkpoint"),
                diverged.out());
        SavedModel kept = ModelFile.load(folder.resolve("sine.elman"));
        assertEquals("0", kept.metadata().get(Checkpoints.BATCHES_KEY));
        Cli.Result fresh = Cli.run(tinyWith("sine", "--steps", "1", "--evaluations", "1", "--out",
                folder.resolve("initial.elman").toString()));
        assertEquals(0, fresh.status(), fresh.err());
        // Spectral radius of the kept model: that of the seed's initial weights (the 1e30 update put it near 4e30).
        double initialRadius = ModelFile.load(folder.resolve("initial.elman")).model().spectralRadius(0, false);
        double keptRadius = kept.model().spectralRadius(0, false);
        assertTrue(keptRadius < 10 && Double.isFinite(keptRadius), "kept spectral radius " + keptRadius);
        assertTrue(initialRadius < 10, "initial spectral radius " + initialRadius);

        Cli.Result verbose = Cli.run(tiny("sine", "--optimizer", "sgd", "--lr", "1e30", "--clip", "none", "--verbose"));
        assertEquals(1, verbose.status());
        assertTrue(verbose.err().contains("dev.elman.cli.TrainCommand.run("), "--verbose adds the trace:\n" + verbose.err());
    }

    /** {@code train --out README.md} replaced the README with a checkpoint: a file that is not a model is refused. */
    @Test
    void aFileThatIsNotAModelIsReplacedOnlyWithForce() throws IOException {
        Path readme = folder.resolve("README.md");
        Files.writeString(readme, "# my project\n");
        Cli.Result refused = Cli.run(tinyWith("sine", "--out", readme.toString()));
        assertEquals(2, refused.status(), refused.err());
        assertEquals("rnn train: --out " + readme + " exists and is not an Elman model file; refusing to replace it"
                + " (name another file, or add --force to replace it)", refused.errorLine());
        assertEquals("", refused.out(), "refused before any training");
        assertEquals("# my project\n", Files.readString(readme));

        Path model = folder.resolve("model.elman");
        assertEquals(0, Cli.run(tinyWith("sine", "--out", model.toString())).status());
        assertEquals(0, Cli.run(tinyWith("sine", "--out", model.toString())).status(), "a model file is replaced");
        Cli.Result forced = Cli.run(tinyWith("sine", "--out", readme.toString(), "--force"));
        assertEquals(0, forced.status(), forced.err());
        assertEquals("sine", ModelFile.load(readme).metadata().get(Tasks.TASK_KEY));
        Path empty = Files.createFile(folder.resolve("empty.elman"));
        assertEquals(0, Cli.run(tinyWith("sine", "--out", empty.toString())).status(), "an empty file holds nothing to lose");
    }

    /**
     * Every output is checked before the first batch: a folder where no file can be created fails
     * at once naming the user's path (never a temporary file), and a missing folder is made.
     */
    @Test
    void outputsAreCheckedBeforeTraining() throws IOException {
        Path sys = Path.of("/sys");
        if (Files.isDirectory(sys)) {
            long start = System.nanoTime();
            Cli.Result refused = Cli.run(tinyWith("sine", "--out", "/sys/model.elman", "--steps", "100000"));
            assertEquals(1, refused.status(), refused.err());
            assertTrue(refused.errorLine().startsWith("rnn train: --out /sys/model.elman: cannot create a file in /sys"),
                    refused.err());
            assertFalse(refused.err().contains(".tmp"), refused.err());
            assertEquals("", refused.out(), "nothing trained");
            assertTrue(System.nanoTime() - start < 10_000_000_000L);
        }
        Path nested = folder.resolve("a").resolve("b").resolve("m.elman");
        assertEquals(0, Cli.run(tinyWith("sine", "--out", nested.toString())).status());
        assertTrue(Files.isRegularFile(nested) && Files.isRegularFile(nested.resolveSibling("m-loss.svg")));
    }

    /** Options whose arrays cannot fit are refused up front with status 2, naming them, the estimate and the heap. */
    @Test
    void optionsTooLargeForTheHeapAreRefusedUpFront() {
        long start = System.nanoTime();
        Cli.Result length = Cli.run("train", "--task", "sine", "--length", "2000000000", "--out",
                folder.resolve("x.elman").toString());
        assertEquals(2, length.status(), length.err());
        assertTrue(length.errorLine().startsWith("rnn train: --length 2000000000 (2000000000 steps) with --batch 16,"
                + " --hidden 64, --layers 1 would need at least "), length.err());
        assertTrue(length.errorLine().contains(" heap available; choose smaller values"), length.err());
        for (String[] huge : List.of(new String[] {"--batch", "2000000000"}, new String[] {"--layers", "100000"},
                new String[] {"--hidden", "30000"})) {
            List<String> args = new ArrayList<>(List.of("train", "--task", "sine", "--out", folder.resolve("x.elman").toString()));
            args.addAll(List.of(huge));
            Cli.Result result = Cli.run(args.toArray(String[]::new));
            assertEquals(2, result.status(), String.join(" ", huge) + ": " + result.err());
            assertTrue(result.errorLine().contains(huge[0] + " " + huge[1]) && result.errorLine().contains("would need"),
                    result.err());
        }
        assertTrue(System.nanoTime() - start < 10_000_000_000L, "refused at once");
        assertFalse(Files.exists(folder.resolve("x.elman")));
        // Truncated BPTT needs memory for its window only: a long sequence with a short window is not refused
        // by the training window's activations (the estimate names --k2).
        Cli.Result window = Cli.run("train", "--task", "sine", "--length", "2000000000", "--k1", "25", "--k2", "50",
                "--out", folder.resolve("x.elman").toString());
        assertEquals(2, window.status());
        assertTrue(window.errorLine().contains("--k2 50"), window.err());
    }

    @Test
    void outOfRangeIntegersSayOutOfRange() {
        expectUsage("rnn train: --length is out of range: at most 2147483647, got 99999999999", "train", "--task", "sine",
                "--length", "99999999999");
        expectUsage("rnn train: --seed is out of range: at most 9223372036854775807, got 99999999999999999999", "train",
                "--task", "sine", "--seed", "99999999999999999999");
        expectUsage("rnn train: --length must be at least 1, got -99999999999", "train", "--task", "sine",
                "--length", "-99999999999");
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
