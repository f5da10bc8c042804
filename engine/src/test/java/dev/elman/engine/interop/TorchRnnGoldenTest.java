package dev.elman.engine.interop;

import dev.elman.engine.io.Npy;
import dev.elman.engine.io.Safetensors;
import dev.elman.engine.io.Tensor;
import dev.elman.engine.model.ModelConfig;
import dev.elman.engine.testing.GoldenCases;
import dev.elman.engine.testing.GoldenCases.Case;
import dev.elman.engine.testing.KernelsUnderTest;
import dev.elman.kernels.Activation;
import dev.elman.kernels.RecurrentKernels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The library API against torch.nn.RNN: for every golden case and every kernel implementation,
 * the weights' inferred shape is the case's configuration, and the outputs, final states and every
 * gradient match the float64 oracle by the README's rule ({@link GoldenCases#TOLERANCE}).
 */
class TorchRnnGoldenTest {

    static Stream<Arguments> cases() {
        return GoldenCases.all().stream()
                .flatMap(c -> KernelsUnderTest.all().stream().map(k -> Arguments.of(c, k)));
    }

    static List<Case> goldenCases() {
        return GoldenCases.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenCases")
    void shapeIsInferredFromTheKeys(Case c) throws IOException {
        Activation nonlinearity = TorchRnn.nonlinearity(c.nonlinearity());
        ModelConfig config = TorchRnnWeights.read(c.file("W.safetensors"), nonlinearity).config();
        assertEquals(c.inputSize(), config.inputSize());
        assertEquals(c.hiddenSize(), config.hiddenSize());
        assertEquals(c.layers(), config.layers());
        assertEquals(c.bidirectional(), config.bidirectional());
        assertEquals(c.bias(), config.bias());
        assertEquals(nonlinearity, config.activation());
        assertFalse(config.hasHead());
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("cases")
    void forwardMatchesTorch(Case c, RecurrentKernels kernels) throws IOException {
        TorchRnn rnn = new TorchRnn(TorchRnnWeights.read(c.file("W.safetensors"),
                TorchRnn.nonlinearity(c.nonlinearity())), kernels);
        TorchRnnOutput out = rnn.forward(Npy.read(c.file("X.npy")), Npy.read(c.file("H0.npy")));
        GoldenCases.assertMatches(c + " Y", Npy.read(c.file("Y.npy")), out.output());
        GoldenCases.assertMatches(c + " HN", Npy.read(c.file("HN.npy")), out.finalState());
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("cases")
    void gradientsMatchTorch(Case c, RecurrentKernels kernels) throws IOException {
        TorchRnn rnn = new TorchRnn(TorchRnnWeights.read(c.file("W.safetensors"),
                TorchRnn.nonlinearity(c.nonlinearity())), kernels);
        TorchRnnGradients g = rnn.gradient(Npy.read(c.file("X.npy")), Npy.read(c.file("H0.npy")),
                Npy.read(c.file("GY.npy")), c.window() == 0 ? Integer.MAX_VALUE : c.window());
        Map<String, Tensor> golden = Safetensors.read(c.file("G.safetensors")).tensors();
        Map<String, Tensor> actual = g.tensors();
        assertEquals(golden.keySet(), actual.keySet());
        for (Map.Entry<String, Tensor> e : golden.entrySet()) {
            GoldenCases.assertMatches(c + " G." + e.getKey(), e.getValue(), actual.get(e.getKey()));
        }
    }
}
