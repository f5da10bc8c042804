package dev.elman.onnx;

import dev.elman.engine.model.ForwardResult;
import dev.elman.engine.model.Model;
import dev.elman.engine.model.SequenceBatch;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Models written by {@code torch.onnx.export} (Debian's torch 1.13, opset 14; see
 * {@code src/test/python/make_torch_fixtures.py}): zero state made in the graph, h0 passed,
 * stacked, bidirectional, relu, no bias, batch_first, an {@code nn.Linear} head. Each runs as an
 * ONNX backend case with torch's outputs, and imports as an Elman model whose forward pass gives
 * torch's outputs.
 */
class TorchExportTest {
    static List<Path> cases() {
        return Fixtures.torchCases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theGraphRunsWithTorchsOutputs(Path folder) {
        OnnxTestCase.Result result = OnnxTestCase.run(folder);
        assertEquals(OnnxTestCase.Status.PASS, result.status(), result.line());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theImportedModelGivesTorchsOutputs(Path folder) throws IOException {
        Path data = folder.resolve("test_data_set_0");
        GraphTensor x = Fixtures.tensor(data.resolve("input_0.pb"));
        GraphTensor y = Fixtures.tensor(data.resolve("output_0.pb"));
        boolean batchFirst = folder.getFileName().toString().contains("batch_first");
        try (Model model = OnnxModels.read(folder.resolve("model.onnx"))) {
            int steps = batchFirst ? x.dim(1) : x.dim(0);
            int batch = batchFirst ? x.dim(0) : x.dim(1);
            float[] input = batchFirst ? Layouts.swap01(x.floats(), batch, steps, x.dim(2)) : x.floats();
            float[] h0 = Files.exists(data.resolve("input_1.pb")) ? Fixtures.tensor(data.resolve("input_1.pb")).floats() : null;
            ForwardResult result = model.forward(new SequenceBatch(input, steps, batch, x.dim(2)), h0);
            float[] output = batchFirst ? Layouts.swap01(result.output(), steps, batch, result.width()) : result.output();
            Agreement.assertAgrees(y.floats(), output, folder.getFileName() + " y");
            if (Files.exists(data.resolve("output_1.pb"))) {
                Agreement.assertAgrees(Fixtures.tensor(data.resolve("output_1.pb")).floats(), result.finalStates(),
                        folder.getFileName() + " h_n");
            }
        }
    }
}
