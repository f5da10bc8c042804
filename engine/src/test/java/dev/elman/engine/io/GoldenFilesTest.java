package dev.elman.engine.io;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The golden files made by {@code make_golden.py} with torch.nn.RNN load with this package's
 * readers and are consistent: torch's keys and shapes for the case's configuration, float32
 * inputs, float64 outputs and gradients. Their numbers are checked too, as far as that needs no
 * engine: an independent double-precision forward pass reproduces Y and HN (which pins down the
 * conventions the engine must follow: time-major layout, direction order, state order), and the
 * two bias gradients agree. Rewriting an input with this package's writers reproduces NumPy's and
 * the script's files byte for byte.
 */
class GoldenFilesTest {
    static final Path GOLDEN = Path.of("src", "test", "resources", "golden");

    /**
     * Y and HN recomputed here in double differ from torch's float64 values only by summation
     * order: a few units of 1e-16 relative to the terms (reduction lengths ≤ 13, values ≤ ~10).
     * 1e-12 is far above that and far below any wrong weight, layout or direction (≥ 1e-2).
     */
    private static final double FORWARD_TOLERANCE = 1e-12;
    /** The two bias gradients are the same sum in different orders: equal to ~1e-15 relative. */
    private static final double BIAS_TOLERANCE = 1e-12;

    record GoldenCase(String name, boolean relu, int layers, boolean bidirectional, boolean bias, int inputSize,
                      int hiddenSize, int steps, int batch, Integer window) {
        int directions() {
            return bidirectional ? 2 : 1;
        }

        Path dir() {
            return GOLDEN.resolve(name);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static List<GoldenCase> cases() throws Exception {
        Path manifest = GOLDEN.resolve("manifest.json");
        assertTrue(Files.exists(manifest), () -> manifest.toAbsolutePath() + " is missing (tests run from the engine module)");
        JsonValue.JsonObject root = (JsonValue.JsonObject) JsonParser.parse(MemorySegment.ofArray(Files.readAllBytes(manifest)));
        List<GoldenCase> cases = new ArrayList<>();
        for (JsonValue v : ((JsonValue.JsonArray) root.members().get("cases")).elements()) {
            Map<String, JsonValue> c = ((JsonValue.JsonObject) v).members();
            String nonlinearity = ((JsonValue.JsonString) c.get("nonlinearity")).value();
            assertTrue(nonlinearity.equals("tanh") || nonlinearity.equals("relu"), nonlinearity);
            JsonValue window = c.get("window");
            cases.add(new GoldenCase(((JsonValue.JsonString) c.get("name")).value(), nonlinearity.equals("relu"),
                    integer(c, "num_layers"), bool(c, "bidirectional"), bool(c, "bias"), integer(c, "input_size"),
                    integer(c, "hidden_size"), integer(c, "seq_len"), integer(c, "batch"),
                    window instanceof JsonValue.JsonNull ? null : Integer.valueOf(((JsonValue.JsonNumber) window).text())));
        }
        return cases;
    }

    private static int integer(Map<String, JsonValue> c, String key) {
        return Integer.parseInt(((JsonValue.JsonNumber) c.get(key)).text());
    }

    private static boolean bool(Map<String, JsonValue> c, String key) {
        return ((JsonValue.JsonBoolean) c.get(key)).value();
    }

    @BeforeAll
    static void manifestListsTheCasesOfTheIssue() throws Exception {
        List<GoldenCase> cases = cases();
        assertTrue(cases.stream().anyMatch(c -> !c.relu() && c.layers() == 1 && !c.bidirectional()), "single tanh");
        assertTrue(cases.stream().anyMatch(c -> c.relu() && c.layers() == 1 && !c.bidirectional()), "single relu");
        assertTrue(cases.stream().anyMatch(c -> c.layers() > 1), "stacked");
        assertTrue(cases.stream().anyMatch(c -> c.bidirectional() && c.layers() > 1), "stacked bidirectional");
        assertTrue(cases.stream().anyMatch(c -> !c.bias()), "no bias");
        assertTrue(cases.stream().anyMatch(c -> c.steps() >= 200), "long sequence");
        assertTrue(cases.stream().anyMatch(c -> c.window() != null && c.steps() % c.window() != 0), "window");
    }

    /** torch's state_dict keys and shapes for a configuration. */
    static Map<String, int[]> expectedWeights(GoldenCase c) {
        Map<String, int[]> keys = new TreeMap<>();
        int h = c.hiddenSize();
        for (int layer = 0; layer < c.layers(); layer++) {
            int in = layer == 0 ? c.inputSize() : c.directions() * h;
            for (String suffix : c.bidirectional() ? List.of("", "_reverse") : List.of("")) {
                keys.put("weight_ih_l" + layer + suffix, new int[]{h, in});
                keys.put("weight_hh_l" + layer + suffix, new int[]{h, h});
                if (c.bias()) {
                    keys.put("bias_ih_l" + layer + suffix, new int[]{h});
                    keys.put("bias_hh_l" + layer + suffix, new int[]{h});
                }
            }
        }
        return keys;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void filesHaveTorchKeysAndConsistentShapes(GoldenCase c) throws IOException {
        int d = c.directions();
        SafetensorsFile w = Safetensors.read(c.dir().resolve("W.safetensors"));
        Map<String, int[]> weights = expectedWeights(c);
        assertEquals(weights.keySet(), w.tensors().keySet());
        weights.forEach((key, shape) -> {
            assertArrayEquals(shape, w.tensors().get(key).shape(), key);
            assertEquals(DType.F32, w.tensors().get(key).dtype(), key);
        });

        assertInput(c.dir().resolve("X.npy"), c.steps(), c.batch(), c.inputSize());
        assertInput(c.dir().resolve("H0.npy"), c.layers() * d, c.batch(), c.hiddenSize());
        assertInput(c.dir().resolve("GY.npy"), c.steps(), c.batch(), d * c.hiddenSize());
        assertOutput(Npy.read(c.dir().resolve("Y.npy")), c.steps(), c.batch(), d * c.hiddenSize());
        assertOutput(Npy.read(c.dir().resolve("HN.npy")), c.layers() * d, c.batch(), c.hiddenSize());

        SafetensorsFile g = Safetensors.read(c.dir().resolve("G.safetensors"));
        TreeSet<String> gradientKeys = new TreeSet<>(weights.keySet());
        gradientKeys.add("input");
        gradientKeys.add("h0");
        assertEquals(gradientKeys, g.tensors().keySet());
        weights.forEach((key, shape) -> assertOutput(g.tensors().get(key), shape));
        assertOutput(g.tensors().get("input"), c.steps(), c.batch(), c.inputSize());
        assertOutput(g.tensors().get("h0"), c.layers() * d, c.batch(), c.hiddenSize());

        if (c.window() != null) {
            assertTrue(c.window() > 0 && c.window() < c.steps() && !c.bidirectional(), "windowed cases are single-direction");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void biasGradientsAgree(GoldenCase c) throws IOException {
        Map<String, Tensor> g = Safetensors.read(c.dir().resolve("G.safetensors")).tensors();
        for (String key : g.keySet()) {
            if (key.startsWith("bias_ih")) {
                double[] ih = g.get(key).toDoubleArray();
                double[] hh = g.get(key.replace("bias_ih", "bias_hh")).toDoubleArray();
                double scale = maxAbs(hh);
                for (int i = 0; i < ih.length; i++) {
                    assertTrue(Math.abs(ih[i] - hh[i]) <= BIAS_TOLERANCE * scale, key + "[" + i + "]");
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void anIndependentForwardPassReproducesYAndHn(GoldenCase c) throws IOException {
        Map<String, Tensor> w = Safetensors.read(c.dir().resolve("W.safetensors")).tensors();
        int t = c.steps();
        int b = c.batch();
        int h = c.hiddenSize();
        int d = c.directions();
        double[] input = Npy.read(c.dir().resolve("X.npy")).toDoubleArray();
        double[] h0 = Npy.read(c.dir().resolve("H0.npy")).toDoubleArray();
        double[] hn = new double[c.layers() * d * b * h];
        int inputSize = c.inputSize();
        for (int layer = 0; layer < c.layers(); layer++) {
            double[] output = new double[t * b * d * h];
            for (int dir = 0; dir < d; dir++) {
                String suffix = "_l" + layer + (dir == 1 ? "_reverse" : "");
                double[] wih = w.get("weight_ih" + suffix).toDoubleArray();
                double[] whh = w.get("weight_hh" + suffix).toDoubleArray();
                double[] bias = new double[h];
                if (c.bias()) {
                    double[] bih = w.get("bias_ih" + suffix).toDoubleArray();
                    double[] bhh = w.get("bias_hh" + suffix).toDoubleArray();
                    for (int j = 0; j < h; j++) {
                        bias[j] = bih[j] + bhh[j];
                    }
                }
                int state = layer * d + dir;
                for (int n = 0; n < b; n++) {
                    double[] prev = new double[h];
                    System.arraycopy(h0, (state * b + n) * h, prev, 0, h);
                    for (int s = 0; s < t; s++) {
                        int step = dir == 0 ? s : t - 1 - s;
                        double[] next = new double[h];
                        for (int j = 0; j < h; j++) {
                            double z = bias[j];
                            for (int k = 0; k < inputSize; k++) {
                                z += wih[j * inputSize + k] * input[(step * b + n) * inputSize + k];
                            }
                            for (int k = 0; k < h; k++) {
                                z += whh[j * h + k] * prev[k];
                            }
                            next[j] = c.relu() ? Math.max(0, z) : Math.tanh(z);
                            output[(step * b + n) * d * h + dir * h + j] = next[j];
                        }
                        prev = next;
                    }
                    System.arraycopy(prev, 0, hn, (state * b + n) * h, h);
                }
            }
            input = output;
            inputSize = d * h;
        }
        assertClose(Npy.read(c.dir().resolve("Y.npy")).toDoubleArray(), input, "Y");
        assertClose(Npy.read(c.dir().resolve("HN.npy")).toDoubleArray(), hn, "HN");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rewritingReproducesTheFilesByteForByte(GoldenCase c, @TempDir Path tmp) throws IOException {
        for (String name : List.of("X.npy", "H0.npy", "GY.npy")) {
            Npy.write(tmp.resolve(name), Npy.read(c.dir().resolve(name)));
            assertArrayEquals(Files.readAllBytes(c.dir().resolve(name)), Files.readAllBytes(tmp.resolve(name)), name);
        }
        for (String name : List.of("Y.npy", "HN.npy")) {
            Npy.write(tmp.resolve(name), Npy.read(c.dir().resolve(name)), DType.F64);
            assertArrayEquals(Files.readAllBytes(c.dir().resolve(name)), Files.readAllBytes(tmp.resolve(name)), name);
        }
        Safetensors.write(tmp.resolve("W.safetensors"), Safetensors.read(c.dir().resolve("W.safetensors")).tensors());
        assertArrayEquals(Files.readAllBytes(c.dir().resolve("W.safetensors")), Files.readAllBytes(tmp.resolve("W.safetensors")));
    }

    /** The readers convert F16, BF16 and F64 to float32 exactly as torch does. */
    @Test
    void conversionsMatchTorch() throws IOException {
        Map<String, Tensor> t = Safetensors.read(GOLDEN.resolve("conversions.safetensors")).tensors();
        for (String source : List.of("f16", "bf16", "f64")) {
            float[] ours = t.get(source).toFloatArray();
            float[] torch = t.get(source + "_as_f32").toFloatArray();
            assertEquals(DType.valueOf(source.toUpperCase()), t.get(source).dtype());
            assertEquals(torch.length, ours.length);
            for (int i = 0; i < ours.length; i++) {
                boolean same = Float.isNaN(torch[i]) ? Float.isNaN(ours[i])
                        : Float.floatToRawIntBits(torch[i]) == Float.floatToRawIntBits(ours[i]);
                assertTrue(same, source + "[" + i + "]: torch " + torch[i] + ", ours " + ours[i]);
            }
        }
    }

    private static void assertInput(Path file, int... shape) throws IOException {
        Tensor t = Npy.read(file);
        assertArrayEquals(shape, t.shape(), file.toString());
        assertEquals(DType.F32, t.dtype(), file.toString());
    }

    private static void assertOutput(Tensor t, int... shape) {
        assertArrayEquals(shape, t.shape(), t.toString());
        assertEquals(DType.F64, t.dtype(), t.toString());
    }

    private static void assertClose(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        double scale = maxAbs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertTrue(Math.abs(expected[i] - actual[i]) <= FORWARD_TOLERANCE * scale,
                    what + "[" + i + "]: golden " + expected[i] + ", recomputed " + actual[i]);
        }
    }

    private static double maxAbs(double[] values) {
        double max = 0;
        for (double v : values) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }
}
