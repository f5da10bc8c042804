package dev.elman.cli;

import dev.elman.engine.interop.ModelFile;
import dev.elman.engine.interop.SavedModel;
import dev.elman.cli.tasks.Tasks;
import dev.elman.kernels.Activation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code rnn demo --quick} end to end, as CI runs it, and the demo's usage errors. */
class DemoCommandTest {
    @TempDir
    Path folder;

    @Test
    void theQuickDemoPrintsEverySectionAndWritesTheChartAndBothModels() throws IOException {
        Path out = folder.resolve("demo");
        Cli.Result result = Cli.run("demo", "--quick", "--out", out.toString());
        assertEquals(0, result.status(), result.err());
        assertEquals("", result.err());
        String text = result.out();
        for (String section : List.of("adding problem (Le, Jaitly & Hinton 2015), T = 20", "Held-out MSE",
                "Vanishing gradient: ‖∂h_T/∂h_{T−k}‖", "tanh start", "irnn trained", "Streaming step latency",
                "median", "p99", "Chart", "demo.svg", "demo.png", "irnn.elman")) {
            assertTrue(text.contains(section), section + " in\n" + text);
        }
        assertTrue(text.contains("tanh   150/150") && text.contains("irnn   150/150"), "both rows finish:\n" + text);
        for (String file : List.of("demo.svg", "demo.png", "tanh.elman", "irnn.elman")) {
            assertTrue(Files.size(out.resolve(file)) > 0, file);
        }
        SavedModel irnn = ModelFile.load(out.resolve("irnn.elman"));
        assertEquals(Activation.RELU, irnn.model().config().activation());
        assertEquals("adding", irnn.metadata().get(Tasks.TASK_KEY));
        assertEquals("20", irnn.metadata().get(Tasks.LENGTH_KEY));
        assertEquals(Activation.TANH, ModelFile.load(out.resolve("tanh.elman")).model().config().activation());
        String svg = Files.readString(out.resolve("demo.svg"));
        assertTrue(svg.contains(">irnn trained</text>") && svg.contains(">always 1 (MSE 1/6)</text>"), "legends");

        Cli.Result diagnosis = Cli.run("diagnose", "--model", out.resolve("irnn.elman").toString(), "--out", out.toString());
        assertEquals(0, diagnosis.status(), "the demo's models are ready for rnn diagnose: " + diagnosis.err());
    }

    /** --threads N is shared by the two models: one each for N ≤ 2, else half each, the odd one to the first. */
    @Test
    void theThreadsAreSharedBetweenTheModels() {
        int[][] expected = {{1, 1}, {1, 1}, {2, 1}, {2, 2}, {3, 2}, {4, 4}};
        int[] threads = {1, 2, 3, 4, 5, 8};
        for (int i = 0; i < threads.length; i++) {
            assertEquals(expected[i][0], DemoCommand.threadsOfModel(threads[i], 0), "tanh of --threads " + threads[i]);
            assertEquals(expected[i][1], DemoCommand.threadsOfModel(threads[i], 1), "irnn of --threads " + threads[i]);
        }
    }

    @Test
    void usageMistakes() throws IOException {
        Cli.Result both = Cli.run("demo", "--quick", "--paper");
        assertEquals(2, both.status());
        assertEquals("rnn demo: --quick and --paper are two different sizes; give one", both.errorLine());
        Cli.Result threads = Cli.run("demo", "--quick", "--threads", "0");
        assertEquals(2, threads.status());
        assertEquals("rnn demo: --threads expects a number of threads from 1 to 256, got 0", threads.errorLine());
        assertEquals(2, Cli.run("demo", "--quick", "--length", "1").status());
        Path file = folder.resolve("file");
        Files.writeString(file, "x");
        Cli.Result out = Cli.run("demo", "--quick", "--out", file.toString());
        assertEquals(2, out.status());
        assertEquals("rnn demo: --out " + file + ": " + file + " is a file, so the folder cannot be created there",
                out.errorLine());
    }

    /**
     * Every output is checked before the training: a folder where nothing can be written fails at
     * once, naming it; a model file of the demo that is not an Elman model is replaced only with --force.
     */
    @Test
    void outputsAreCheckedBeforeTheTraining() throws IOException {
        if (Files.isDirectory(Path.of("/sys"))) {
            long start = System.nanoTime();
            Cli.Result refused = Cli.run("demo", "--quick", "--out", "/sys/elman-demo");
            assertEquals(1, refused.status(), refused.err());
            assertTrue(refused.errorLine().startsWith("rnn demo: --out /sys/elman-demo/demo.svg: cannot create the folder"
                    + " /sys/elman-demo"), refused.err());
            assertEquals("", refused.out(), "nothing trained");
            assertTrue(System.nanoTime() - start < 5_000_000_000L, "at once");
        }
        Cli.Result tooLarge = Cli.run("demo", "--quick", "--length", "2000000000", "--out", folder.resolve("big").toString());
        assertEquals(2, tooLarge.status(), tooLarge.err());
        assertTrue(tooLarge.errorLine().startsWith("rnn demo: --length 2000000000 with --batch 16, --hidden 16 would need"
                + " at least "), tooLarge.err());
        Path out = Files.createDirectories(folder.resolve("mine"));
        Path notAModel = Files.writeString(out.resolve("tanh.elman"), "my notes");
        Cli.Result refused = Cli.run("demo", "--quick", "--out", out.toString());
        assertEquals(2, refused.status(), refused.err());
        assertEquals("rnn demo: --out " + notAModel + " exists and is not an Elman model file; refusing to replace it"
                + " (name another file, or add --force to replace it)", refused.errorLine());
        assertEquals("my notes", Files.readString(notAModel));
    }

    /** The help spells out the presets' values (annotation texts are constants); they must be the presets'. */
    @Test
    void theHelpNamesThePresetsValues() {
        String help = Cli.run("demo", "--help").out();
        for (String line : List.of(
                "sequence length (" + DemoCommand.presets(DemoCommand.Preset::length) + ")",
                "hidden units (" + DemoCommand.presets(DemoCommand.Preset::hidden) + ")",
                "training batches per model (" + DemoCommand.presets(DemoCommand.Preset::batches) + ")",
                "the update rule of both models (" + DemoCommand.presets(DemoCommand.Preset::optimizer) + ")",
                "learning rate (" + DemoCommand.presets(DemoCommand.Preset::learningRate) + ")")) {
            assertTrue(help.contains(line + "\n"), line + " in\n" + help);
        }
    }
}
