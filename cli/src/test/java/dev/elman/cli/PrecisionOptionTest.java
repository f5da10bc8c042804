package dev.elman.cli;

import dev.elman.cli.tasks.CharSampler;
import dev.elman.cli.tasks.Tasks;
import dev.elman.engine.interop.SavedModel;
import dev.elman.engine.interop.TorchRnnWeights;
import dev.elman.engine.io.Npy;
import dev.elman.engine.io.Tensor;
import dev.elman.engine.model.ForwardResult;
import dev.elman.engine.model.Initialization;
import dev.elman.engine.model.Model;
import dev.elman.engine.model.ModelConfig;
import dev.elman.engine.model.ParameterNames;
import dev.elman.engine.model.SequenceBatch;
import dev.elman.kernels.Activation;
import dev.elman.kernels.WeightPrecision;
import dev.elman.onnx.OnnxModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --precision} on {@code rnn run} and {@code rnn sample}: the command computes exactly what
 * the engine's model of that precision computes (from a state dict and from an ONNX file alike),
 * f32 is the default, a bad value or a weight beyond bfloat16 is one line with status 2, and
 * {@code rnn grad} has no such option.
 */
class PrecisionOptionTest {
    private static final int STEPS = 5;
    private static final int BATCH = 3;

    @TempDir
    static Path folder;
    /** A two-layer bidirectional tanh nn.RNN's state dict. */
    static Path weights;
    /** The same network as an ONNX file. */
    static Path onnx;
    static Path input;
    static Path chars;

    @BeforeAll
    static void writeModels() throws IOException {
        ModelConfig config = ModelConfig.builder().inputSize(4).hiddenSize(9).layers(2).bidirectional(true).build();
        weights = folder.resolve("W.safetensors");
        onnx = folder.resolve("W.onnx");
        try (Model model = Model.create(config, Initialization.uniform(), 17)) {
            TorchRnnWeights.fromModel(model).write(weights);
            OnnxModels.write(model, onnx);
        }
        input = folder.resolve("X.npy");
        Npy.write(input, Tensor.of(uniform(new Random(3), STEPS * BATCH * 4), STEPS, BATCH, 4));

        Path text = folder.resolve("text.txt");
        Files.writeString(text, "abracadabra, said the cat. ".repeat(8));
        chars = folder.resolve("chars.elman");
        Cli.Result trained = Cli.run("train", "--task", "chars", "--text", text.toString(), "--length", "8", "--hidden", "6",
                "--steps", "3", "--evaluations", "1", "--held-out", "4", "--sample", "0", "--out", chars.toString());
        assertEquals(0, trained.status(), trained.err());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"bf16", "int8"})
    void runWritesTheEnginesForwardInThatPrecision(String label) throws IOException {
        WeightPrecision precision = WeightPrecision.parse(label);
        Path y = folder.resolve("Y-" + label + ".npy");
        Path hn = folder.resolve("HN-" + label + ".npy");
        Cli.Result run = Cli.run("run", "--weights", weights.toString(), "--input", input.toString(), "--precision", label,
                "--output", y.toString(), "--hn", hn.toString());
        assertEquals(0, run.status(), run.err());
        assertEquals("", run.err());

        ForwardResult expected = engineForward(TorchRnnWeights.read(weights, Activation.TANH), precision);
        assertArrayEquals(expected.output(), Npy.read(y).toFloatArray(), label + ": Y, bit for bit");
        assertArrayEquals(expected.finalStates(), Npy.read(hn).toFloatArray(), label + ": h_n, bit for bit");
        assertArrayEquals(new int[] {STEPS, BATCH, 18}, Npy.read(y).shape());

        Path f32 = folder.resolve("Y-f32-" + label + ".npy");
        assertEquals(0, Cli.run("run", "--weights", weights.toString(), "--input", input.toString(),
                "--output", f32.toString()).status());
        assertFalse(Arrays.equals(Npy.read(f32).toFloatArray(), Npy.read(y).toFloatArray()),
                label + ": the rounded weights give other outputs than f32's");
    }

    @Test
    void runOnAnOnnxFileRoundsTheSameModel() throws IOException {
        Path y = folder.resolve("Y-onnx.npy");
        Cli.Result run = Cli.run("run", "--weights", onnx.toString(), "--input", input.toString(), "--precision", "int8",
                "--output", y.toString());
        assertEquals(0, run.status(), run.err());
        ForwardResult expected = engineForward(TorchRnnWeights.fromModel(OnnxModels.read(onnx)), WeightPrecision.INT8);
        assertArrayEquals(expected.output(), Npy.read(y).toFloatArray(), "Y of the .onnx at int8, bit for bit");
    }

    @Test
    void f32IsTheDefault() throws IOException {
        Path plain = folder.resolve("Y-plain.npy");
        Path f32 = folder.resolve("Y-f32.npy");
        assertEquals(0, Cli.run("run", "--weights", weights.toString(), "--input", input.toString(),
                "--output", plain.toString()).status());
        assertEquals(0, Cli.run("run", "--weights", weights.toString(), "--input", input.toString(), "--precision", " F32 ",
                "--output", f32.toString()).status());
        assertArrayEquals(Npy.read(plain).toFloatArray(), Npy.read(f32).toFloatArray());
        assertEquals(Cli.run("sample", "--model", chars.toString(), "--length", "20").out(),
                Cli.run("sample", "--model", chars.toString(), "--length", "20", "--precision", "f32").out());
    }

    @Test
    void sampleDrawsFromTheInt8Model() throws Exception {
        Cli.Result result = Cli.run("sample", "--model", chars.toString(), "--prime", "abra", "--length", "30", "--seed", "4",
                "--precision", "int8");
        assertEquals(0, result.status(), result.err());
        assertEquals(34, result.out().length() - 1, "prime, 30 characters and a newline: " + result.out());

        SavedModel saved = Checkpoints.load(chars);
        try (Model model = saved.model().withInferencePrecision(WeightPrecision.INT8)) {
            String expected = new CharSampler(model, Tasks.vocabulary(saved.metadata()))
                    .sample("abra", 30, 0.8, new SplittableRandom(4));
            assertEquals(expected + "\n", result.out().replace(System.lineSeparator(), "\n"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"run", "sample"})
    void aBadValueExitsWithTwoNamingTheOptionAndTheChoices(String command) {
        String[] args = command.equals("run")
                ? new String[] {"run", "--weights", weights.toString(), "--input", input.toString(), "--precision", "fp16",
                        "--output", folder.resolve("never.npy").toString()}
                : new String[] {"sample", "--model", chars.toString(), "--precision", "fp16"};
        Cli.Result result = Cli.run(args);
        assertEquals(2, result.status());
        assertEquals("rnn " + command + ": --precision must be one of f32, bf16, int8, got 'fp16'", result.errorLine());
        assertEquals("", result.out());
        assertFalse(Files.exists(folder.resolve("never.npy")), "nothing is written");
    }

    @Test
    void gradHasNoPrecision() {
        Cli.Result result = Cli.run("grad", "--weights", weights.toString(), "--input", input.toString(),
                "--grad-output", input.toString(), "--precision", "bf16", "--output", folder.resolve("G.safetensors").toString());
        assertEquals(2, result.status());
        assertEquals("rnn grad: unknown option --precision (see rnn grad --help)", result.errorLine());
    }

    @Test
    void aWeightBeyondBfloat16ExitsWithTwoNamingTheTensorAndNothingIsWritten() throws IOException {
        ModelConfig config = ModelConfig.builder().inputSize(4).hiddenSize(3).build();
        Path huge = folder.resolve("huge.safetensors");
        try (Model model = Model.create(config, Initialization.uniform(), 5)) {
            model.parameters().get(ParameterNames.recurrentWeights(0, false)).data()[4] = 3.4e38f;
            model.loadParameters();
            TorchRnnWeights.fromModel(model).write(huge);
        }
        Path y = folder.resolve("Y-huge.npy");
        Cli.Result result = Cli.run("run", "--weights", huge.toString(), "--input", input.toString(), "--precision", "bf16",
                "--output", y.toString());
        assertEquals(2, result.status());
        String line = result.errorLine();
        assertTrue(line.startsWith("rnn run: --precision bf16: " + huge + ": wh_l0[4] = 3.4E38 rounds beyond bfloat16's"
                + " largest value"), line);
        assertFalse(Files.exists(y), "nothing is written");
        assertEquals(0, Cli.run("run", "--weights", huge.toString(), "--input", input.toString(), "--precision", "int8",
                "--output", y.toString()).status(), "int8 stores any finite weight");
    }

    /** What the engine computes for the command's input on the network's model in that precision. */
    private static ForwardResult engineForward(TorchRnnWeights network, WeightPrecision precision) throws IOException {
        Tensor x = Npy.read(input);
        try (Model f32 = network.toModel(); Model model = f32.withInferencePrecision(precision)) {
            return model.forward(new SequenceBatch(x.toFloatArray(), STEPS, BATCH, x.dim(2)));
        }
    }

    private static float[] uniform(Random random, int count) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) (2 * random.nextDouble() - 1);
        }
        return values;
    }
}
