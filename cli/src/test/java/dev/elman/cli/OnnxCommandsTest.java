package dev.elman.cli;

import dev.elman.engine.interop.ModelFile;
import dev.elman.engine.io.Npy;
import dev.elman.engine.io.Tensor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code rnn import}, {@code rnn export}, {@code rnn onnx-test} and {@code .onnx} models in
 * {@code run}, {@code sample} and {@code diagnose}, on the onnx module's torch-exported fixtures.
 */
class OnnxCommandsTest {
    private static final Path FIXTURES = Path.of(System.getProperty("elman.onnx.fixtures",
            "../onnx/src/test/resources/torch"));

    @TempDir
    Path folder;

    private static Path model(String name) {
        return FIXTURES.resolve(name).resolve("model.onnx");
    }

    @Test
    void importThenExportThenImportAgain() throws IOException {
        Path elman = folder.resolve("m.elman");
        Cli.Result imported = Cli.run("import", model("torch_relu_stacked_bidirectional_h0").toString(), "--out", elman.toString());
        assertEquals(0, imported.status(), imported.err());
        assertTrue(imported.out().contains("2 layers of 5 relu units, bidirectional (concat), no head"), imported.out());
        var saved = ModelFile.load(elman);
        Path onnx = folder.resolve("m.onnx");
        Cli.Result exported = Cli.run("export", elman.toString(), "--out", onnx.toString(), "--initial-state");
        assertEquals(0, exported.status(), exported.err());
        Path again = folder.resolve("again.elman");
        assertEquals(0, Cli.run("import", onnx.toString(), "--out", again.toString()).status());
        assertEquals(saved.model().config(), ModelFile.load(again).model().config());
        for (String name : saved.model().parameters().names()) {
            assertArrayEquals(saved.model().parameters().get(name).data(),
                    ModelFile.load(again).model().parameters().get(name).data(), name);
        }
    }

    @Test
    void badFilesAreOneLineWithStatusTwoAndNothingWritten() throws IOException {
        byte[] bytes = Files.readAllBytes(model("torch_tanh_zero_state"));
        Path cut = Files.write(folder.resolve("cut.onnx"), Arrays.copyOf(bytes, bytes.length / 2));
        Path out = folder.resolve("out.elman");
        Cli.Result result = Cli.run("import", cut.toString(), "--out", out.toString());
        assertEquals(2, result.status());
        assertTrue(result.errorLine().startsWith("rnn import: " + cut + ": not a valid ONNX model"), result.err());
        assertFalse(Files.exists(out));

        result = Cli.run("import", folder.resolve("absent.onnx").toString(), "--out", out.toString());
        assertEquals(1, result.status());
        assertFalse(Files.exists(out));

        result = Cli.run("sample", "--model", model("torch_tanh_zero_state").toString());
        assertEquals(2, result.status(), result.err());
        result.errorLine();
    }

    @Test
    void onnxTestPrintsOneLinePerCaseAndPassesOnlyWhenAllPass() throws IOException {
        List<Path> cases;
        try (Stream<Path> s = Files.list(FIXTURES)) {
            cases = s.filter(Files::isDirectory).sorted().toList();
        }
        String[] args = Stream.concat(Stream.of("onnx-test"), cases.stream().map(Path::toString)).toArray(String[]::new);
        Cli.Result result = Cli.run(args);
        assertEquals(0, result.status(), result.out());
        String[] lines = result.out().split("\n");
        assertEquals(cases.size(), lines.length);
        for (int i = 0; i < lines.length; i++) {
            assertTrue(lines[i].startsWith("PASS " + cases.get(i).getFileName() + ": "), lines[i]);
        }
        Path empty = Files.createDirectories(folder.resolve("empty_case"));
        result = Cli.run("onnx-test", cases.get(0).toString(), empty.toString());
        assertEquals(1, result.status());
        assertEquals("FAIL empty_case: no model.onnx in " + empty, result.out().split("\n")[1]);
    }

    @Test
    void runAndDiagnoseAcceptOnnxModels() throws IOException {
        Path x = folder.resolve("x.npy");
        float[] values = new float[7 * 3 * 4];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) Math.sin(i);
        }
        Npy.write(x, Tensor.of(values, 7, 3, 4));
        Path y = folder.resolve("y.npy");
        Cli.Result run = Cli.run("run", "--weights", model("torch_tanh_zero_state").toString(), "--input", x.toString(),
                "--output", y.toString());
        assertEquals(0, run.status(), run.err());
        assertArrayEquals(new int[] {7, 3, 8}, Npy.read(y).shape());

        Cli.Result diagnose = Cli.run("diagnose", "--model", model("torch_tanh_zero_state").toString(), "--length", "5",
                "--out", folder.resolve("charts").toString());
        assertEquals(0, diagnose.status(), diagnose.err());
        assertTrue(diagnose.out().contains("1 layer of 8 tanh units"), diagnose.out());
    }
}
