package dev.elman.engine.testing;

import dev.elman.engine.io.Tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The golden torch.nn.RNN cases of {@code src/test/resources/golden} (made by its
 * {@code make_golden.py}; see its README), as listed in {@code manifest.json}, and the README's
 * comparison rule.
 */
public final class GoldenCases {
    /**
     * The cases' folder: {@code -Delman.golden=DIR} (modules that reuse the engine's cases), or
     * {@code src/test/resources/golden} of the module whose tests run (the engine's).
     */
    public static final Path ROOT = Path.of(System.getProperty("elman.golden", "src/test/resources/golden"));

    /**
     * The README's rule, per tensor: {@code max|a − b| ≤ 1e-4 · max|b|}. Float32 rounding (6e-8)
     * over reductions of at most 13 terms per step, in recurrences that contract under torch's
     * default initialisation, gives about 1e-6; torch's own float32 results stay within 6.8e-7 of
     * the float64 oracle. 1e-4 leaves a margin of 100 for another summation order and a fast
     * tanh, while any semantic mistake (a bias, a direction, a step, a window boundary) moves
     * results by 1e-2 or more (the manifest's wrong_window_deviation is 0.2–0.5).
     */
    public static final double TOLERANCE = 1e-4;

    /** The fields of a manifest case, in the order make_golden.py writes them. */
    private static final Pattern CASE = Pattern.compile("\"name\": \"([a-z_]+)\",\\s*\"nonlinearity\": \"(tanh|relu)\","
            + "\\s*\"num_layers\": (\\d+),\\s*\"bidirectional\": (true|false),\\s*\"bias\": (true|false),"
            + "\\s*\"input_size\": (\\d+),\\s*\"hidden_size\": (\\d+),\\s*\"seq_len\": (\\d+),\\s*\"batch\": (\\d+),"
            + "\\s*\"window\": (null|\\d+)");

    private GoldenCases() {
    }

    /**
     * One case: torch's configuration and the files.
     *
     * @param window the truncation window, or 0 for full BPTT
     */
    public record Case(String name, String nonlinearity, int layers, boolean bidirectional, boolean bias, int inputSize,
                       int hiddenSize, int steps, int batch, int window) {
        public Path dir() {
            return ROOT.resolve(name);
        }

        public Path file(String name) {
            return dir().resolve(name);
        }

        public int directions() {
            return bidirectional ? 2 : 1;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** Every case of the manifest; fails when the manifest and the case directories disagree. */
    public static List<Case> all() {
        String manifest;
        try {
            manifest = Files.readString(ROOT.resolve("manifest.json"));
        } catch (IOException e) {
            throw new UncheckedIOException("the golden manifest (tests run from the engine module)", e);
        }
        List<Case> cases = new ArrayList<>();
        Matcher m = CASE.matcher(manifest);
        while (m.find()) {
            cases.add(new Case(m.group(1), m.group(2), Integer.parseInt(m.group(3)), Boolean.parseBoolean(m.group(4)),
                    Boolean.parseBoolean(m.group(5)), Integer.parseInt(m.group(6)), Integer.parseInt(m.group(7)),
                    Integer.parseInt(m.group(8)), Integer.parseInt(m.group(9)),
                    m.group(10).equals("null") ? 0 : Integer.parseInt(m.group(10))));
        }
        TreeSet<String> directories = new TreeSet<>();
        try (Stream<Path> list = Files.list(ROOT)) {
            list.filter(p -> Files.exists(p.resolve("W.safetensors"))).forEach(p -> directories.add(p.getFileName().toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertEquals(directories, new TreeSet<>(cases.stream().map(Case::name).toList()),
                "every case directory is in the manifest and parsed from it");
        return cases;
    }

    /**
     * The README's rule: same shape, every value finite, {@code max|a − b| ≤ TOLERANCE · max|b|};
     * a golden tensor of zeros must be matched exactly.
     *
     * @param what names the tensor in a failure
     * @param golden the float64 oracle
     * @param actual the engine's float32 result
     */
    public static void assertMatches(String what, Tensor golden, Tensor actual) {
        assertArrayEquals(golden.shape(), actual.shape(), () -> what + ": shape " + Arrays.toString(actual.shape())
                + ", golden " + Arrays.toString(golden.shape()));
        double scale = 0;
        for (int i = 0; i < golden.size(); i++) {
            scale = Math.max(scale, Math.abs(golden.getDouble(i)));
        }
        double error = 0;
        int worst = -1;
        for (int i = 0; i < golden.size(); i++) {
            double a = actual.getDouble(i);
            if (!Double.isFinite(a)) {
                fail(what + "[" + i + "] is " + a);
            }
            double e = Math.abs(a - golden.getDouble(i));
            if (e > error) {
                error = e;
                worst = i;
            }
        }
        double bound = TOLERANCE * scale;
        int at = worst;
        double err = error;
        assertTrue(error <= bound, () -> what + ": max|a − b| = " + err + " at [" + at + "] exceeds " + TOLERANCE
                + " · max|b| = " + bound);
    }
}
