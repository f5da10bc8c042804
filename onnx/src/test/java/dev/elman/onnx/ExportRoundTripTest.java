package dev.elman.onnx;

import dev.elman.engine.model.Direction;
import dev.elman.engine.model.ForwardResult;
import dev.elman.engine.model.Initialization;
import dev.elman.engine.model.Merge;
import dev.elman.engine.model.Model;
import dev.elman.engine.model.ModelConfig;
import dev.elman.engine.model.SequenceBatch;
import dev.elman.kernels.Activation;
import dev.elman.testing.Trials;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Elman model → ONNX → ONNX Runtime gives Elman's outputs and final states: random models
 * (1 to 3 layers; forward, reverse, or bidirectional merged by concat or sum; every activation,
 * chosen per direction; with and without clip, biases, head and the h0 input). And the exported file imports back as
 * the same model, bit for bit.
 */
class ExportRoundTripTest {
    @TempDir
    Path folder;

    static Stream<Arguments> models() {
        return Trials.seeds("onnx export round trip", Trials.tries(16)).mapToObj(seed -> {
            Random random = new Random(seed);
            List<Activation> activations = ExportActivations.all();
            Direction direction = Direction.values()[random.nextInt(3)];
            boolean bidirectional = direction == Direction.BIDIRECTIONAL;
            ModelConfig.Builder b = ModelConfig.builder()
                    .inputSize(RnnNodeCase.SIZES[random.nextInt(RnnNodeCase.SIZES.length)])
                    .hiddenSize(RnnNodeCase.SIZES[random.nextInt(RnnNodeCase.SIZES.length)])
                    .layers(1 + random.nextInt(3))
                    .direction(direction)
                    .activations(activations.get(random.nextInt(activations.size())),
                            activations.get(random.nextInt(activations.size())))
                    .bias(random.nextInt(4) != 0);
            if (bidirectional && random.nextInt(3) == 0) {
                b.merge(Merge.SUM);
            }
            if (random.nextInt(3) == 0) {
                b.clip((float) (0.3 + random.nextDouble()));
            }
            if (random.nextBoolean()) {
                b.outputSize(1 + random.nextInt(5)).headBias(random.nextBoolean());
            }
            boolean h0 = random.nextBoolean();
            ModelConfig config = b.build();
            return Arguments.of(config + (h0 ? " with h0" : ""), config, h0, seed);
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void onnxRuntimeRunsTheExportWithElmansOutputs(String name, ModelConfig config, boolean h0, long seed) throws Exception {
        Random random = new Random(seed ^ 0x5DEECE66DL);
        int steps = 1 + random.nextInt(8);
        int batch = 1 + random.nextInt(3);
        float[] x = RnnNodeCase.uniform(random, steps * batch * config.inputSize(), 1.0);
        float[] states = h0 ? RnnNodeCase.uniform(random, config.layers() * config.directions() * batch
                * config.hiddenSize(), 0.5) : null;
        try (Model model = Model.create(config, Initialization.uniform(), seed)) {
            ForwardResult elman = model.forward(new SequenceBatch(x, steps, batch, config.inputSize()), states);
            Map<String, GraphTensor> feeds = new LinkedHashMap<>();
            feeds.put("X", GraphTensor.ofFloats(x, steps, batch, config.inputSize()));
            if (h0) {
                feeds.put("h0", GraphTensor.ofFloats(states, config.layers() * config.directions(), batch,
                        config.hiddenSize()));
            }
            byte[] bytes = OnnxModels.toBytes(model, h0);
            List<GraphTensor> ort = Ort.run(bytes, feeds);
            assertArrayEquals(new int[] {steps, batch, config.outputWidth()}, ort.get(0).shape());
            Agreement.assertAgrees(elman.output(), ort.get(0).floats(), "Y");
            Agreement.assertAgrees(elman.finalStates(), ort.get(1).floats(), "h_n");

            Path file = folder.resolve("model.onnx");
            OnnxModels.write(model, file, h0);
            try (Model back = OnnxModels.read(file)) {
                assertEquals(config, back.config());
                ForwardResult again = back.forward(new SequenceBatch(x, steps, batch, config.inputSize()), states);
                assertArrayEquals(elman.output(), again.output(), "re-imported output");
                assertArrayEquals(elman.finalStates(), again.finalStates(), "re-imported final states");
            }
        }
    }
}
