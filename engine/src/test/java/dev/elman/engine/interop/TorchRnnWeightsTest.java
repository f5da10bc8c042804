package dev.elman.engine.interop;

import dev.elman.engine.io.MalformedFileException;
import dev.elman.engine.io.Safetensors;
import dev.elman.engine.io.Tensor;
import dev.elman.engine.model.Initialization;
import dev.elman.engine.model.Merge;
import dev.elman.engine.model.Model;
import dev.elman.engine.model.ModelConfig;
import dev.elman.engine.model.ParameterNames;
import dev.elman.engine.model.Parameters;
import dev.elman.engine.model.SequenceBatch;
import dev.elman.engine.testing.KernelsUnderTest;
import dev.elman.engine.testing.RandomData;
import dev.elman.kernels.Activation;
import dev.elman.testing.Trials;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * nn.RNN state dicts: the shape inferred from keys and shapes, every kind of inconsistent set
 * rejected naming the key, the summed bias, and the way back from an Elman model.
 */
class TorchRnnWeightsTest {

    static Stream<Arguments> shapes() {
        return Stream.of(
                Arguments.of(1, 1, 1, false, false),
                Arguments.of(3, 5, 1, false, true),
                Arguments.of(2, 4, 3, false, true),
                Arguments.of(4, 3, 1, true, true),
                Arguments.of(2, 3, 2, true, false),
                Arguments.of(7, 2, 12, true, true));
    }

    @ParameterizedTest(name = "I={0} H={1} L={2} bidirectional={3} bias={4}")
    @MethodSource("shapes")
    void infersTheShapeFromKeysAndShapes(int inputSize, int hiddenSize, int layers, boolean bidirectional, boolean bias) {
        TorchRnnWeights weights = TorchRnnWeights.of(
                TorchStateDicts.random(new Random(1), inputSize, hiddenSize, layers, bidirectional, bias), Activation.RELU);
        ModelConfig config = weights.config();
        assertEquals(inputSize, config.inputSize());
        assertEquals(hiddenSize, config.hiddenSize());
        assertEquals(layers, config.layers());
        assertEquals(bidirectional, config.bidirectional());
        assertEquals(bidirectional ? 2 : 1, config.directions());
        assertEquals(bias, config.bias());
        assertEquals(Activation.RELU, config.activation());
        assertEquals(ModelConfig.builder().inputSize(inputSize).hiddenSize(hiddenSize).layers(layers)
                .bidirectional(bidirectional).activation(Activation.RELU).bias(bias).build(), config);
        assertFalse(config.hasHead());
    }

    /** One inconsistent set: how to break a valid one, the key the message must name, and what it must say. */
    record Breakage(String description, Consumer<Map<String, Tensor>> breaker, String key, String says) {
        @Override
        public String toString() {
            return description;
        }
    }

    static Stream<Breakage> breakages() {
        return Stream.of(
                new Breakage("missing reverse twin", d -> d.remove("weight_hh_l1_reverse"), "weight_hh_l1_reverse",
                        "reverse twin of weight_hh_l1"),
                new Breakage("forward missing, reverse present", d -> d.remove("weight_ih_l0"), "weight_ih_l0",
                        "while its reverse twin weight_ih_l0_reverse is present"),
                new Breakage("missing weight_hh", d -> {
                    d.remove("weight_hh_l1");
                    d.remove("weight_hh_l1_reverse");
                }, "weight_hh_l1", "every layer and direction has weight_ih and weight_hh"),
                new Breakage("missing layer", d -> d.keySet().removeIf(k -> k.contains("_l0")), "weight_ih_l0",
                        "layer 0 has no tensors but layer 1 has"),
                new Breakage("layers far apart", d -> d.put("weight_ih_l999999999", d.get("weight_ih_l1")), "weight_ih_l2",
                        "layer 2 has no tensors but layer 999999999 has"),
                new Breakage("bias_ih without bias_hh", d -> d.remove("bias_hh_l0"), "bias_hh_l0",
                        "missing while bias_ih_l0 is present (nn.RNN has both biases or neither)"),
                new Breakage("bias_hh without bias_ih", d -> d.remove("bias_ih_l1_reverse"), "bias_ih_l1_reverse",
                        "missing while bias_hh_l1_reverse is present"),
                new Breakage("biases in one layer only", d -> d.keySet().removeIf(k -> k.startsWith("bias") && k.contains("_l1")),
                        "bias_ih_l1", "with bias=True every layer and direction has bias_ih and bias_hh"),
                new Breakage("unexpected key", d -> d.put("scale", Tensor.scalar(1)), "scale", "is not an nn.RNN parameter"),
                new Breakage("enclosing module's prefix", d -> d.put("rnn.weight_ih_l0", d.remove("weight_ih_l0")),
                        "rnn.weight_ih_l0", "without the prefix 'rnn.'"),
                new Breakage("leading zero in the layer", d -> d.put("weight_ih_l01", d.get("weight_ih_l1")), "weight_ih_l01",
                        "is not an nn.RNN parameter"),
                new Breakage("LSTM projection", d -> d.put("weight_hr_l0", d.get("weight_hh_l0")), "weight_hr_l0",
                        "nn.LSTM, nn.GRU and proj_size are not supported"),
                new Breakage("non-square weight_hh_l0", d -> d.put("weight_hh_l0", Tensor.zeros(4, 5)), "weight_hh_l0",
                        "has shape [4, 5]; expected a square [H, H]"),
                new Breakage("vector weight_hh_l0", d -> d.put("weight_hh_l0", Tensor.zeros(4)), "weight_hh_l0",
                        "has shape [4]; expected a square [H, H]"),
                new Breakage("weight_ih_l0 of another H", d -> d.put("weight_ih_l0", Tensor.zeros(5, 3)), "weight_ih_l0",
                        "has shape [5, 3]; expected [H, I] = [4, I]"),
                new Breakage("weight_ih_l1 reading one direction", d -> d.put("weight_ih_l1_reverse", Tensor.zeros(4, 4)),
                        "weight_ih_l1_reverse", "has shape [4, 4]; expected [4, 8] (H = 4 from weight_hh_l0; layer 1 reads"
                        + " the 2·H = 8 features of the layer below)"),
                new Breakage("reverse input of another I", d -> d.put("weight_ih_l0_reverse", Tensor.zeros(4, 2)),
                        "weight_ih_l0_reverse", "has shape [4, 2]; expected [4, 3] (H = 4 from weight_hh_l0, I = 3"),
                new Breakage("weight_hh_l1 of another H", d -> d.put("weight_hh_l1", Tensor.zeros(3, 3)), "weight_hh_l1",
                        "has shape [3, 3]; expected [4, 4]"),
                new Breakage("bias of another H", d -> d.put("bias_hh_l1", Tensor.zeros(5)), "bias_hh_l1",
                        "has shape [5]; expected [4] (H = 4 from weight_hh_l0)"),
                new Breakage("NaN", d -> d.put("weight_hh_l1", TorchStateDicts.withElement(d.get("weight_hh_l1"), 9, Float.NaN)),
                        "weight_hh_l1", "element [2, 1] is NaN; weights must be finite"),
                new Breakage("infinity", d -> d.put("bias_ih_l0",
                        TorchStateDicts.withElement(d.get("bias_ih_l0"), 3, Float.NEGATIVE_INFINITY)),
                        "bias_ih_l0", "element [3] is -Infinity"),
                new Breakage("biases summing past float32", d -> {
                    d.put("bias_ih_l1", TorchStateDicts.withElement(d.get("bias_ih_l1"), 2, 3e38f));
                    d.put("bias_hh_l1", TorchStateDicts.withElement(d.get("bias_hh_l1"), 2, 3e38f));
                }, "bias_hh_l1", "overflows float32"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("breakages")
    void inconsistentSetsAreRejectedNamingTheKey(Breakage breakage) {
        Map<String, Tensor> dict = TorchStateDicts.bidirectionalTwoLayers();
        breakage.breaker().accept(dict);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TorchRnnWeights.of(dict, Activation.TANH));
        assertTrue(e.getMessage().startsWith("state dict: tensor '" + breakage.key() + "': "), e.getMessage());
        assertTrue(e.getMessage().contains(breakage.says()), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("breakages")
    void aFileWithAnInconsistentSetIsMalformedNamingFileAndKey(Breakage breakage, @TempDir Path dir) throws IOException {
        Map<String, Tensor> dict = TorchStateDicts.bidirectionalTwoLayers();
        breakage.breaker().accept(dict);
        Path file = dir.resolve("W.safetensors");
        Safetensors.write(file, dict);
        MalformedFileException e = assertThrows(MalformedFileException.class,
                () -> TorchRnnWeights.read(file, Activation.TANH));
        assertEquals(file, e.file());
        assertEquals(breakage.key(), e.tensor().orElseThrow());
        assertTrue(e.getMessage().startsWith(file + ": tensor '" + breakage.key() + "': "), e.getMessage());
        assertTrue(e.getMessage().contains(breakage.says()), e.getMessage());
    }

    @Test
    void emptyAndNullSetsAreRejected() {
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> TorchRnnWeights.of(Map.of(), Activation.TANH));
        assertTrue(empty.getMessage().contains("holds no tensors"), empty.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TorchRnnWeights.of(null, Activation.TANH));
        Map<String, Tensor> withNull = new HashMap<>(TorchStateDicts.bidirectionalTwoLayers());
        withNull.put("weight_ih_l0", null);
        assertThrows(IllegalArgumentException.class, () -> TorchRnnWeights.of(withNull, Activation.TANH));
    }

    @Test
    void theTwoBiasesAreSummedAndTheWeightsCopied() {
        Map<String, Tensor> dict = TorchStateDicts.bidirectionalTwoLayers();
        Parameters p = TorchRnnWeights.of(dict, Activation.TANH).toParameters();
        for (int layer = 0; layer < 2; layer++) {
            for (boolean reverse : new boolean[] {false, true}) {
                String suffix = "_l" + layer + (reverse ? "_reverse" : "");
                assertArrayEquals(dict.get("weight_ih" + suffix).toFloatArray(),
                        p.get(ParameterNames.inputWeights(layer, reverse)).data());
                assertArrayEquals(dict.get("weight_hh" + suffix).toFloatArray(),
                        p.get(ParameterNames.recurrentWeights(layer, reverse)).data());
                float[] ih = dict.get("bias_ih" + suffix).toFloatArray();
                float[] hh = dict.get("bias_hh" + suffix).toFloatArray();
                float[] b = p.get(ParameterNames.bias(layer, reverse)).data();
                for (int i = 0; i < b.length; i++) {
                    assertEquals(ih[i] + hh[i], b[i], suffix + "[" + i + "]");
                }
            }
        }
    }

    @Test
    void nnRnnHasOnlyTanhAndRelu(@TempDir Path dir) throws IOException {
        Map<String, Tensor> dict = TorchStateDicts.bidirectionalTwoLayers();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TorchRnnWeights.of(dict, Activation.IDENTITY));
        assertEquals("nn.RNN's nonlinearity is tanh or relu, got identity", e.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> TorchRnnWeights.of(dict, null));
        assertEquals("nn.RNN's nonlinearity is tanh or relu, got null", none.getMessage());
        Path file = dir.resolve("W.safetensors");
        Safetensors.write(file, dict);
        IllegalArgumentException read = assertThrows(IllegalArgumentException.class,
                () -> TorchRnnWeights.read(file, Activation.IDENTITY));
        assertEquals("nn.RNN's nonlinearity is tanh or relu, got identity", read.getMessage());
    }

    /** The checks stay true: writing into a caller's array after of() does not reach the weights. */
    @Test
    void weightsGivenInMemoryAreCopied() {
        Map<String, Tensor> dict = TorchStateDicts.bidirectionalTwoLayers();
        TorchRnnWeights weights = TorchRnnWeights.of(dict, Activation.TANH);
        float[] before = dict.get("weight_hh_l1").toFloatArray();
        dict.get("weight_hh_l1").data()[0] = Float.NaN;
        assertArrayEquals(before, weights.tensors().get("weight_hh_l1").toFloatArray());
        assertArrayEquals(before, weights.toParameters().get(ParameterNames.recurrentWeights(1, false)).data());
    }

    static Stream<Arguments> modelSeeds() {
        return Trials.seeds("torch state dict round trip", 8).mapToObj(seed -> {
            Random random = new Random(seed);
            ModelConfig config = ModelConfig.builder().inputSize(1 + random.nextInt(5)).hiddenSize(1 + random.nextInt(6))
                    .layers(1 + random.nextInt(3)).bidirectional(random.nextBoolean())
                    .activation(random.nextBoolean() ? Activation.TANH : Activation.RELU).bias(random.nextBoolean()).build();
            return Arguments.of(config, seed);
        });
    }

    /**
     * Model → state dict → file → state dict → model gives back the same configuration and the
     * same parameters bit for bit (Elman's bias goes out as bias_ih with bias_hh zero, and
     * b + 0 = b exactly), hence the same outputs.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("modelSeeds")
    void roundTripThroughATorchStateDict(ModelConfig config, long seed, @TempDir Path dir) throws IOException {
        Model model = Model.create(config, Initialization.uniform(), seed, KernelsUnderTest.reference());
        TorchRnnWeights exported = TorchRnnWeights.fromModel(model);
        assertEquals(config, exported.config(), "the export keeps the model's configuration, nonlinearity included");
        Path file = dir.resolve("exported.safetensors");
        exported.write(file);
        TorchRnnWeights read = TorchRnnWeights.read(file, config.activation());
        assertEquals(exported.tensors().keySet(), read.tensors().keySet());
        assertEquals(config, read.config());
        Model back = read.toModel(KernelsUnderTest.reference());
        assertEquals(config, back.config());
        for (String name : model.parameters().names()) {
            assertArrayEquals(model.parameters().get(name).data(), back.parameters().get(name).data(), name);
        }
        Random random = new Random(seed);
        int steps = 1 + random.nextInt(6);
        int batch = 1 + random.nextInt(3);
        SequenceBatch input = new SequenceBatch(RandomData.uniform(random, steps * batch * config.inputSize(), 1),
                steps, batch, config.inputSize());
        assertArrayEquals(model.forward(input).output(), back.forward(input).output());
        if (config.bias()) {
            for (Map.Entry<String, Tensor> e : exported.tensors().entrySet()) {
                if (e.getKey().startsWith("bias_hh")) {
                    assertArrayEquals(new float[config.hiddenSize()], e.getValue().toFloatArray(), e.getKey());
                }
            }
        }
    }

    @Test
    void modelsNnRnnCannotExpressAreRefused() {
        ModelConfig base = ModelConfig.builder().inputSize(2).hiddenSize(3).build();
        IllegalArgumentException head = assertThrows(IllegalArgumentException.class,
                () -> TorchRnnWeights.fromModel(model(base.toBuilder().outputSize(2).build())));
        assertTrue(head.getMessage().startsWith("the model has an output head (wy, 2 outputs), which nn.RNN cannot express"),
                head.getMessage());
        IllegalArgumentException identity = assertThrows(IllegalArgumentException.class,
                () -> TorchRnnWeights.fromModel(model(base.toBuilder().activation(Activation.IDENTITY).build())));
        assertEquals("nn.RNN's nonlinearity is tanh or relu, got identity", identity.getMessage());
        IllegalArgumentException sum = assertThrows(IllegalArgumentException.class,
                () -> TorchRnnWeights.fromModel(model(base.toBuilder().bidirectional(true).merge(Merge.SUM).build())));
        assertTrue(sum.getMessage().contains("merges its directions by sum; nn.RNN concatenates them"), sum.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TorchRnnWeights.fromModel(null));
    }

    @Test
    void gradientsGoToBothBiases() {
        ModelConfig config = ModelConfig.builder().inputSize(2).hiddenSize(3).layers(2).bidirectional(true).build();
        Parameters gradients = Parameters.zeros(config);
        Random random = new Random(3);
        for (Tensor t : gradients.tensors()) {
            float[] values = RandomData.uniform(random, t.size(), 1);
            System.arraycopy(values, 0, t.data(), 0, values.length);
        }
        Map<String, Tensor> torch = TorchRnnWeights.gradients(gradients);
        assertEquals(4 * 4, torch.size());
        for (int layer = 0; layer < 2; layer++) {
            for (boolean reverse : new boolean[] {false, true}) {
                String suffix = "_l" + layer + (reverse ? "_reverse" : "");
                float[] db = gradients.get(ParameterNames.bias(layer, reverse)).data();
                assertArrayEquals(db, torch.get("bias_ih" + suffix).toFloatArray(), suffix);
                assertArrayEquals(db, torch.get("bias_hh" + suffix).toFloatArray(), suffix);
                assertArrayEquals(gradients.get(ParameterNames.inputWeights(layer, reverse)).data(),
                        torch.get("weight_ih" + suffix).toFloatArray(), suffix);
                assertArrayEquals(gradients.get(ParameterNames.recurrentWeights(layer, reverse)).shape(),
                        torch.get("weight_hh" + suffix).shape(), suffix);
            }
        }
        assertEquals(new TreeMap<>(torch).keySet(), TorchRnnWeights.of(torch, Activation.TANH).tensors().keySet(),
                "the gradient keys are exactly a state dict's");
    }

    private static Model model(ModelConfig config) {
        return Model.create(config, Initialization.uniform(), 1, KernelsUnderTest.reference());
    }
}
