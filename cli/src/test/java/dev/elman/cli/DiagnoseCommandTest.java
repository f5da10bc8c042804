package dev.elman.cli;

import dev.elman.engine.interop.ModelFile;
import dev.elman.engine.model.Initialization;
import dev.elman.engine.model.Model;
import dev.elman.engine.model.ModelConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code rnn diagnose} on saved models: spectral radii, the decay table, the chart, and errors. */
class DiagnoseCommandTest {
    @TempDir
    Path folder;

    @Test
    void aTrainedModelGetsItsTasksSequenceTheTableAndAChart() {
        Path model = folder.resolve("adding.elman");
        assertEquals(0, Cli.run("train", "--task", "adding", "--length", "12", "--hidden", "6", "--steps", "2",
                "--evaluations", "1", "--held-out", "4", "--out", model.toString()).status());
        Cli.Result result = Cli.run("diagnose", "--model", model.toString(), "--out", folder.resolve("d").toString());
        assertEquals(0, result.status(), result.err());
        String out = result.out();
        assertTrue(out.contains("trained on the adding task"), out);
        assertTrue(out.matches("(?s).*layer 0\\s+\\d+\\.\\d{4}\\n.*"), "a spectral radius for layer 0:\n" + out);
        assertTrue(out.contains("along one sequence of the adding problem, T = 12"), out);
        for (String lag : new String[] {"1", "2", "5", "10", "12"}) {
            assertTrue(out.matches("(?s).*\\n\\s+" + lag + "\\s+\\d\\.\\d\\de[+-]\\d+\\n.*"), "lag " + lag + " in\n" + out);
        }
        assertTrue(Files.exists(folder.resolve("d/adding-decay.svg")) && Files.exists(folder.resolve("d/adding-decay.png")));

        Cli.Result shorter = Cli.run("diagnose", "--model", model.toString(), "--length", "7", "--out",
                folder.resolve("d").toString());
        assertEquals(0, shorter.status(), shorter.err());
        assertTrue(shorter.out().matches("(?s).*\\n\\s+7\\s+\\S+\\n\\s+×/step.*"), "the table ends at lag 7:\n" + shorter.out());
    }

    @Test
    void aModelWithoutATaskGetsRandomInputsAndEveryLayerAndDirection() throws IOException {
        Path file = folder.resolve("plain.elman");
        ModelFile.save(file, Model.create(ModelConfig.builder().inputSize(3).hiddenSize(4).layers(2).bidirectional(true)
                .build(), Initialization.orthogonal(), 1));
        Cli.Result result = Cli.run("diagnose", "--model", file.toString(), "--length", "9", "--out", folder.toString());
        assertEquals(0, result.status(), result.err());
        assertTrue(result.out().contains("9 steps of standard normal inputs (the file records no task)"), result.out());
        for (String column : new String[] {"layer 0 fwd", "layer 0 rev", "layer 1 fwd", "layer 1 rev"}) {
            assertTrue(result.out().contains(column), column + " in\n" + result.out());
        }
        // An orthogonal Wh has every eigenvalue on the unit circle: spectral radius 1 (to float rounding).
        assertTrue(result.out().contains("layer 0 fwd  1.0000"), result.out());
    }

    /** A lag the heap cannot hold is refused before anything is allocated, naming --length and the estimate. */
    @Test
    void aLengthTooLargeForTheHeapIsRefusedUpFront() throws IOException {
        Path file = folder.resolve("plain.elman");
        ModelFile.save(file, Model.create(ModelConfig.builder().inputSize(3).hiddenSize(64).build(),
                Initialization.orthogonal(), 1));
        long start = System.nanoTime();
        Cli.Result result = Cli.run("diagnose", "--model", file.toString(), "--length", "2000000000", "--out",
                folder.resolve("d").toString());
        assertEquals(2, result.status(), result.err());
        assertTrue(result.errorLine().startsWith("rnn diagnose: --length 2000000000 with a model of 1 layer(s) of"
                + " --hidden 64 would need at least "), result.err());
        assertTrue(System.nanoTime() - start < 10_000_000_000L, "refused at once");
    }

    @Test
    void errorsAreOneLine() throws IOException {
        Cli.Result missing = Cli.run("diagnose", "--model", folder.resolve("no.elman").toString());
        assertEquals(1, missing.status());
        assertEquals("rnn diagnose: no such file: " + folder.resolve("no.elman"), missing.errorLine());
        Path file = folder.resolve("m.elman");
        ModelFile.save(file, Model.create(ModelConfig.builder().inputSize(1).hiddenSize(2).build(),
                Initialization.uniform(), 1));
        Cli.Result badLength = Cli.run("diagnose", "--model", file.toString(), "--length", "0");
        assertEquals(2, badLength.status());
        assertEquals("rnn diagnose: --length must be at least 1, got 0", badLength.errorLine());
        Files.writeString(folder.resolve("afile"), "x");
        Cli.Result badOut = Cli.run("diagnose", "--model", file.toString(), "--out", folder.resolve("afile/sub").toString());
        assertEquals(2, badOut.status());
        assertTrue(badOut.errorLine().endsWith("afile is a file, so the folder cannot be created there"), badOut.err());
    }
}
