package dev.elman.jmh;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import dev.elman.engine.model.Initialization;
import dev.elman.engine.model.Model;
import dev.elman.engine.model.ModelConfig;
import dev.elman.onnx.OnnxModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The graph ORT benchmarks is the exporter's RNN node alone, wired to the graph's inputs and
 * outputs (that it computes Elman's numbers is {@link OrtPeerTest}'s subject).
 */
class BareRnnGraphTest {
    @ParameterizedTest(name = "initial state input: {0}")
    @ValueSource(booleans = {false, true})
    void theGraphIsOneRnnNodeBetweenTheGraphsInputsAndOutputs(boolean initialState) throws Exception {
        ModelConfig config = ModelConfig.builder().inputSize(5).hiddenSize(7).build();
        try (Model model = Model.create(config, Initialization.uniform(), 3)) {
            UnknownFieldSet graph = UnknownFieldSet.parseFrom(UnknownFieldSet.parseFrom(
                    BareRnnGraph.of(OnnxModels.toBytes(model, initialState))).getField(7).getLengthDelimitedList().getFirst());
            List<ByteString> nodes = graph.getField(1).getLengthDelimitedList();
            assertEquals(1, nodes.size());
            UnknownFieldSet node = UnknownFieldSet.parseFrom(nodes.getFirst());
            assertEquals(List.of("RNN"), strings(node, 4));
            List<String> inputs = strings(node, 1);
            List<String> graphInputs = graph.getField(11).getLengthDelimitedList().stream().map(BareRnnGraphTest::name).toList();
            assertEquals(graphInputs.getFirst(), inputs.getFirst(), "X is the graph's input");
            if (initialState) {
                assertEquals(graphInputs.get(1), inputs.get(5), "initial_h is the graph's state input");
            } else {
                assertTrue(inputs.size() < 6 || inputs.get(5).isEmpty(), inputs.toString());
            }
            List<String> graphOutputs = graph.getField(12).getLengthDelimitedList().stream().map(BareRnnGraphTest::name).toList();
            assertEquals(graphOutputs, strings(node, 2), "Y and Y_h are the graph's outputs");
            // W, R and B: nothing the wrappers used.
            assertEquals(3, graph.getField(5).getLengthDelimitedList().size());
        }
    }

    @Test
    void moreThanOneLayerIsRefused() {
        ModelConfig config = ModelConfig.builder().inputSize(3).hiddenSize(4).layers(2).build();
        try (Model model = Model.create(config, Initialization.uniform(), 3)) {
            byte[] exported = OnnxModels.toBytes(model, true);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BareRnnGraph.of(exported));
            assertTrue(e.getMessage().contains("one RNN node") && e.getMessage().contains("2"), e.getMessage());
        }
        IllegalArgumentException garbage = assertThrows(IllegalArgumentException.class,
                () -> BareRnnGraph.of(new byte[] {(byte) 0xff, 1, 2}));
        assertTrue(garbage.getMessage().contains("not a protobuf message"), garbage.getMessage());
    }

    private static List<String> strings(UnknownFieldSet message, int number) {
        return message.getField(number).getLengthDelimitedList().stream().map(ByteString::toStringUtf8).toList();
    }

    private static String name(ByteString valueInfo) {
        try {
            return strings(UnknownFieldSet.parseFrom(valueInfo), 1).getFirst();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }
}
