package dev.elman.cli;

import dev.elman.engine.io.DType;
import dev.elman.engine.io.Npy;
import dev.elman.engine.io.Safetensors;
import dev.elman.engine.io.Tensor;
import dev.elman.engine.testing.GoldenCases;
import dev.elman.engine.testing.GoldenCases.Case;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code rnn run} and {@code rnn grad} through {@link Main}, as the launcher runs them: every golden
 * case reproduces torch.nn.RNN's outputs and gradients by the README's rule, and every user error
 * is one line on standard error with a non-zero status and no file written.
 */
class TorchRnnCommandsTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    @TempDir
    Path dir;

    private int rnn(String... args) {
        out.reset();
        err.reset();
        return new Main(Subcommands.all()).run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String errText() {
        return err.toString(StandardCharsets.UTF_8);
    }

    static List<Case> goldenCases() {
        return GoldenCases.all();
    }

    private static String file(Case c, String name) {
        return c.file(name).toString();
    }

    /** The default nonlinearity is tanh: tanh cases leave the option out, relu cases give it. */
    private static List<String> nonlinearity(Case c) {
        return c.nonlinearity().equals("tanh") ? List.of() : List.of("--nonlinearity", c.nonlinearity());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenCases")
    void runReproducesTorch(Case c) throws IOException {
        Path y = dir.resolve("Y.npy");
        Path hn = dir.resolve("HN.npy");
        List<String> args = new ArrayList<>(List.of("run", "--weights", file(c, "W.safetensors"), "--input", file(c, "X.npy"),
                "--h0", file(c, "H0.npy"), "--output", y.toString(), "--hn", hn.toString()));
        args.addAll(nonlinearity(c));
        assertEquals(0, rnn(args.toArray(String[]::new)), this::errText);
        assertEquals("", errText());
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        Tensor yOut = Npy.read(y);
        Tensor hnOut = Npy.read(hn);
        assertEquals(DType.F32, yOut.dtype());
        assertEquals(DType.F32, hnOut.dtype());
        GoldenCases.assertMatches(c + " Y", Npy.read(c.file("Y.npy")), yOut);
        GoldenCases.assertMatches(c + " HN", Npy.read(c.file("HN.npy")), hnOut);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenCases")
    void gradReproducesTorch(Case c) throws IOException {
        Path g = dir.resolve("G.safetensors");
        List<String> args = new ArrayList<>(List.of("grad", "--weights", file(c, "W.safetensors"), "--input", file(c, "X.npy"),
                "--h0", file(c, "H0.npy"), "--grad-output", file(c, "GY.npy"), "--output", g.toString()));
        args.addAll(nonlinearity(c));
        if (c.window() > 0) {
            args.addAll(List.of("--window", String.valueOf(c.window())));
        }
        assertEquals(0, rnn(args.toArray(String[]::new)), this::errText);
        assertEquals("", errText());
        Map<String, Tensor> golden = Safetensors.read(c.file("G.safetensors")).tensors();
        Map<String, Tensor> actual = Safetensors.read(g).tensors();
        assertEquals(golden.keySet(), actual.keySet());
        for (Map.Entry<String, Tensor> e : golden.entrySet()) {
            assertEquals(DType.F32, actual.get(e.getKey()).dtype());
            GoldenCases.assertMatches(c + " G." + e.getKey(), e.getValue(), actual.get(e.getKey()));
        }
    }

    @Test
    void withoutH0TheStateStartsAtZero() throws IOException {
        Case c = golden("stacked");
        Path zeros = dir.resolve("zeros.npy");
        Npy.write(zeros, Tensor.zeros(2, 2, 4));
        Path a = dir.resolve("a.npy");
        Path b = dir.resolve("b.npy");
        assertEquals(0, rnn("run", "--weights", file(c, "W.safetensors"), "--input", file(c, "X.npy"), "--output", a.toString()));
        assertEquals(0, rnn("run", "--weights", file(c, "W.safetensors"), "--input", file(c, "X.npy"), "--h0", zeros.toString(),
                "--output", b.toString()));
        assertArrayEquals(Npy.read(b).toFloatArray(), Npy.read(a).toFloatArray());
        Path g = dir.resolve("G.safetensors");
        assertEquals(0, rnn("grad", "--weights", file(c, "W.safetensors"), "--input", file(c, "X.npy"),
                "--grad-output", file(c, "GY.npy"), "--output", g.toString()));
        assertArrayEquals(new int[] {2, 2, 4}, Safetensors.read(g).tensors().get("h0").shape(), "h0 is there without --h0");
    }

    /** --threads changes who computes, not what: the files written are the same bytes for every number. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"stacked", "bidirectional"})
    void theThreadsWriteTheSameFiles(String name) throws IOException {
        Case c = golden(name);
        List<byte[]> outputs = new ArrayList<>();
        for (String threads : List.of("1", "2", "4")) {
            Path y = dir.resolve("Y" + threads + ".npy");
            Path g = dir.resolve("G" + threads + ".safetensors");
            assertEquals(0, rnn(runArgs(c, file(c, "X.npy"), "--h0", file(c, "H0.npy"), "--threads", threads)), this::errText);
            Files.copy(dir.resolve("Y.npy"), y);
            assertEquals(0, rnn(gradArgs(c, file(c, "X.npy"), file(c, "GY.npy"), "--h0", file(c, "H0.npy"),
                    "--threads", threads)), this::errText);
            Files.copy(dir.resolve("G.safetensors"), g);
            outputs.add(Files.readAllBytes(y));
            outputs.add(Files.readAllBytes(g));
        }
        for (int i = 2; i < outputs.size(); i++) {
            assertArrayEquals(outputs.get(i % 2), outputs.get(i), (i % 2 == 0 ? "Y" : "G") + " of run " + i / 2);
        }
    }

    @Test
    void helpListsBothCommandsAndTheirOptions() {
        assertEquals(0, rnn("--help"));
        String overview = out.toString(StandardCharsets.UTF_8);
        assertTrue(overview.contains("\n  run ") && overview.contains("\n  grad "), overview);
        assertEquals(0, rnn("grad", "--help"));
        String help = out.toString(StandardCharsets.UTF_8);
        for (String option : List.of("--weights FILE", "--input FILE", "--h0 FILE", "--nonlinearity tanh|relu",
                "--grad-output FILE", "--window K", "--output FILE")) {
            assertTrue(help.contains(option), option + " in\n" + help);
        }
    }

    // ---- errors: one line, a non-zero status, nothing written ----

    /** Runs a command line that must fail and checks the status, the one line and that no output appeared. */
    private void assertFails(int status, String line, String... args) {
        Map<Path, byte[]> before = snapshot();
        assertEquals(status, rnn(args), this::errText);
        String text = errText();
        assertTrue(text.endsWith("\n") && text.indexOf('\n') == text.length() - 1, "one line: " + text);
        assertEquals(line, text.substring(0, text.length() - 1));
        assertEquals(before.keySet(), snapshot().keySet(), "no file was written");
        before.forEach((file, bytes) -> assertArrayEquals(bytes, read(file), file + " is untouched"));
    }

    private Map<Path, byte[]> snapshot() {
        Map<Path, byte[]> files = new TreeMap<>();
        try (var list = Files.walk(dir)) {
            list.filter(Files::isRegularFile).forEach(p -> files.put(p, read(p)));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return files;
    }

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Case golden(String name) {
        return GoldenCases.all().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    private String[] runArgs(Case weights, String input, String... more) {
        List<String> args = new ArrayList<>(List.of("run", "--weights", file(weights, "W.safetensors"), "--input", input,
                "--output", dir.resolve("Y.npy").toString()));
        args.addAll(Arrays.asList(more));
        return args.toArray(String[]::new);
    }

    private String[] gradArgs(Case weights, String input, String gradOutput, String... more) {
        List<String> args = new ArrayList<>(List.of("grad", "--weights", file(weights, "W.safetensors"), "--input", input,
                "--grad-output", gradOutput, "--output", dir.resolve("G.safetensors").toString()));
        args.addAll(Arrays.asList(more));
        return args.toArray(String[]::new);
    }

    @Test
    void missingFilesExitWithOne() {
        Case c = golden("tanh_single");
        String missing = dir.resolve("nope.npy").toString();
        assertFails(1, "rnn run: no such file: " + missing, runArgs(c, missing));
        assertFails(1, "rnn run: no such file: " + missing, runArgs(c, file(c, "X.npy"), "--h0", missing));
        assertFails(1, "rnn grad: no such file: " + missing, gradArgs(c, file(c, "X.npy"), missing));
        assertFails(1, "rnn run: no such file: " + missing,
                "run", "--weights", missing, "--input", file(c, "X.npy"), "--output", dir.resolve("Y.npy").toString());
    }

    @Test
    void malformedFilesExitWithOneNamingFileAndKey() throws IOException {
        Case c = golden("tanh_single");
        Map<String, Tensor> dict = new TreeMap<>(Safetensors.read(c.file("W.safetensors")).tensors());
        dict.remove("bias_hh_l0");
        Path broken = dir.resolve("broken.safetensors");
        Safetensors.write(broken, dict);
        assertFails(1, "rnn run: " + broken + ": tensor 'bias_hh_l0': missing while bias_ih_l0 is present (nn.RNN has both"
                + " biases or neither)", "run", "--weights", broken.toString(), "--input", file(c, "X.npy"),
                "--output", dir.resolve("Y.npy").toString());
        Path notSafetensors = c.file("X.npy");
        assertEquals(1, rnn("run", "--weights", notSafetensors.toString(), "--input", file(c, "X.npy"),
                "--output", dir.resolve("Y.npy").toString()));
        assertTrue(errText().startsWith("rnn run: " + notSafetensors + ": "), errText());
        assertFails(1, "rnn run: " + broken + ": not an .npy file: it does not start with the magic bytes \\x93NUMPY",
                runArgs(c, broken.toString()));
    }

    @Test
    void inputsOfTheWrongShapeExitWithTwoNamingTheFile() throws IOException {
        Case tanh = golden("tanh_single");
        Case relu = golden("relu_single");
        assertFails(2, "rnn run: " + file(relu, "X.npy") + " has shape [6, 3, 4]; expected [T, B, 3]: the weights' input"
                + " size is 3 (weight_ih_l0 is [5, 3])", runArgs(tanh, file(relu, "X.npy")));
        Path vector = dir.resolve("vector.npy");
        Npy.write(vector, Tensor.zeros(12));
        assertFails(2, "rnn run: " + vector + " has shape [12]; expected [T, B, 3] (steps, batch, input size; time-major)"
                + " or [T, 3] for one sequence", runArgs(tanh, vector.toString()));
        assertFails(2, "rnn run: " + file(golden("stacked"), "H0.npy") + " has shape [2, 2, 4]; expected [1, 2, 5] ="
                + " [layers·directions, batch, hidden] (1 layer × 1 direction and H = 5 from the weights, batch 2 from the"
                + " input)", runArgs(tanh, file(tanh, "X.npy"), "--h0", file(golden("stacked"), "H0.npy")));
        assertFails(2, "rnn grad: " + file(golden("bidirectional"), "GY.npy") + " has shape [6, 2, 8]; expected [7, 2, 5],"
                + " the output's shape [steps, batch, directions·hidden]",
                gradArgs(tanh, file(tanh, "X.npy"), file(golden("bidirectional"), "GY.npy")));
        float[] values = Npy.read(tanh.file("X.npy")).toFloatArray();
        values[7] = Float.NaN;
        Path nan = dir.resolve("nan.npy");
        Npy.write(nan, Tensor.of(values, 7, 2, 3));
        assertFails(2, "rnn run: " + nan + " element [1, 0, 1] is NaN; inputs must be finite", runArgs(tanh, nan.toString()));
        // NaN in the weights is the same mistake as NaN in the input: bad data given, status 2 (it was 1).
        Map<String, Tensor> weights = new TreeMap<>(Safetensors.read(tanh.file("W.safetensors")).tensors());
        float[] hh = weights.get("weight_hh_l0").toFloatArray();
        hh[3] = Float.NaN;
        weights.put("weight_hh_l0", Tensor.of(hh, weights.get("weight_hh_l0").shape()));
        Path nanWeights = dir.resolve("nan.safetensors");
        Safetensors.write(nanWeights, weights);
        Cli.Result nanWeightsRun = Cli.run("run", "--weights", nanWeights.toString(), "--input", file(tanh, "X.npy"),
                "--output", dir.resolve("never.npy").toString());
        assertEquals(2, nanWeightsRun.status(), nanWeightsRun.err());
        assertTrue(nanWeightsRun.errorLine().contains("weight_hh_l0") && nanWeightsRun.errorLine().contains("is NaN"),
                nanWeightsRun.err());
    }

    @Test
    void aWindowNeedsASingleDirection() {
        Case c = golden("bidirectional");
        assertFails(2, "rnn grad: --window needs a single-direction network, but " + file(c, "W.safetensors") + " is"
                + " bidirectional (it has _reverse weights); the reverse direction needs the whole sequence, so it has no"
                + " truncated gradient", gradArgs(c, file(c, "X.npy"), file(c, "GY.npy"), "--window", "100"));
    }

    @Test
    void badOptionsExitWithTwo() {
        Case c = golden("tanh_single");
        assertFails(2, "rnn run: --nonlinearity must be one of tanh, relu, got 'sigmoid'",
                runArgs(c, file(c, "X.npy"), "--nonlinearity", "sigmoid"));
        assertFails(2, "rnn grad: --window must be at least 1, got 0",
                gradArgs(c, file(c, "X.npy"), file(c, "GY.npy"), "--window", "0"));
        assertFails(2, "rnn grad: --window expects an integer, got 'five'",
                gradArgs(c, file(c, "X.npy"), file(c, "GY.npy"), "--window", "five"));
        assertFails(2, "rnn run: --output FILE is required",
                "run", "--weights", file(c, "W.safetensors"), "--input", file(c, "X.npy"));
        assertFails(2, "rnn grad: --grad-output FILE is required", "grad", "--weights", file(c, "W.safetensors"),
                "--input", file(c, "X.npy"), "--output", dir.resolve("G.safetensors").toString());
        assertFails(2, "rnn run: --threads expects a number of threads from 1 to 256, got 0",
                runArgs(c, file(c, "X.npy"), "--threads", "0"));
        assertFails(2, "rnn grad: --threads expects a number of threads from 1 to 256, got 'all'",
                gradArgs(c, file(c, "X.npy"), file(c, "GY.npy"), "--threads", "all"));
        assertFails(2, "rnn run: unknown option --layers (see rnn run --help)",
                runArgs(c, file(c, "X.npy"), "--layers", "2"));
    }

    @Test
    void outputsThatCannotBeWrittenOrWouldClobberExitWithTwo() throws IOException {
        Case c = golden("tanh_single");
        Path y = dir.resolve("Y.npy");
        // A missing folder is made, as train and demo make theirs (one rule for every command); a
        // path through a file is refused.
        Path nowhere = dir.resolve("missing").resolve("Y.npy");
        assertEquals(0, rnn("run", "--weights", file(c, "W.safetensors"), "--input", file(c, "X.npy"),
                "--output", nowhere.toString()), this::errText);
        assertTrue(Files.isRegularFile(nowhere));
        Path throughAFile = nowhere.resolve("Y.npy");
        assertFails(2, "rnn run: --output " + throughAFile.getParent() + ": " + nowhere
                + " is a file, so the folder cannot be created there",
                "run", "--weights", file(c, "W.safetensors"), "--input", file(c, "X.npy"), "--output",
                throughAFile.toString());
        assertFails(2, "rnn run: --output " + dir + " is a directory; expected a file to write",
                "run", "--weights", file(c, "W.safetensors"), "--input", file(c, "X.npy"), "--output", dir.toString());
        assertFails(2, "rnn run: --hn " + y + " and --output name the same file; each result needs its own",
                runArgs(c, file(c, "X.npy"), "--hn", y.toString()));
        Path x = dir.resolve("X.npy");
        Files.copy(c.file("X.npy"), x);
        assertFails(2, "rnn run: --output " + x + " is also the --input file; write the result elsewhere",
                "run", "--weights", file(c, "W.safetensors"), "--input", x.toString(), "--output", x.toString());
    }

    /** {@code --output -} writes the .npy to standard output, and /dev/null stays a device. */
    @Test
    void standardOutputAndDevicesAreWrittenAsStreams() throws IOException {
        Case c = golden("tanh_single");
        Path y = dir.resolve("Y.npy");
        assertEquals(0, rnn("run", "--weights", file(c, "W.safetensors"), "--input", file(c, "X.npy"), "--output",
                y.toString()), this::errText);
        PrintStream saved = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (PrintStream capture = new PrintStream(captured, true)) {
            System.setOut(capture);
            assertEquals(0, rnn("run", "--weights", file(c, "W.safetensors"), "--input", file(c, "X.npy"), "--output",
                    "-"), this::errText);
        } finally {
            System.setOut(saved);
        }
        assertArrayEquals(Files.readAllBytes(y), captured.toByteArray());
        Path devNull = Path.of("/dev/null");
        if (Files.exists(devNull)) {
            assertEquals(0, rnn("run", "--weights", file(c, "W.safetensors"), "--input", file(c, "X.npy"), "--output",
                    devNull.toString()), this::errText);
            assertFalse(Files.isRegularFile(devNull));
        }
    }

    @Test
    void anExistingOutputSurvivesAFailedRun() throws IOException {
        Case c = golden("tanh_single");
        Path y = dir.resolve("Y.npy");
        Path hn = dir.resolve("HN.npy");
        Files.writeString(y, "the previous result");
        assertFails(2, "rnn run: " + file(golden("stacked"), "H0.npy") + " has shape [2, 2, 4]; expected [1, 2, 5] ="
                + " [layers·directions, batch, hidden] (1 layer × 1 direction and H = 5 from the weights, batch 2 from the"
                + " input)", runArgs(c, file(c, "X.npy"), "--h0", file(golden("stacked"), "H0.npy"), "--hn", hn.toString()));
        assertEquals("the previous result", Files.readString(y));
        assertFalse(Files.exists(hn));
    }
}
