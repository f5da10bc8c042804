package dev.elman.onnx;

import dev.elman.engine.model.Direction;
import dev.elman.engine.model.ForwardResult;
import dev.elman.engine.model.Model;
import dev.elman.engine.model.SequenceBatch;
import dev.elman.testing.Trials;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A single RNN node with stored weights imports as an Elman model of the node's attributes (its
 * direction, forward and reverse included; each direction's activation; its clip; either layout),
 * and the model computes what ONNX Runtime computes for the file, with sequence_lens as the
 * batch's lengths and initial_h as the initial states.
 */
class SingleNodeImportTest {
    @TempDir
    Path folder;

    static Stream<Arguments> cases() {
        return Trials.seeds("onnx single node import", Trials.tries(24)).mapToObj(seed -> {
            RnnNodeCase c = RnnNodeCase.random(seed, true);
            c.wantY = true;
            c.wantYh = true;
            if (c.b == null) {
                c.b = new float[c.directions() * 2 * c.hidden];
            }
            return Arguments.of(c.toString(), c);
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theImportedModelComputesTheNode(String name, RnnNodeCase c) throws Exception {
        Path file = Files.write(folder.resolve("node.onnx"), c.storedWeights().toByteArray());
        try (Model model = OnnxModels.read(file)) {
            assertEquals(Direction.parse(c.direction), model.config().direction());
            assertEquals(c.clip, model.config().clip());
            List<GraphTensor> expected = OrtOracleTest.oracle(c);
            RnnNodeCase t = c.timeMajor();
            float[] states = t.initialH;
            ForwardResult result = model.forward(new SequenceBatch(t.x, c.steps, c.batch, c.input, c.lengths), states);
            int d = c.directions();
            // Elman's output [T, B, D·H] is ONNX's Y [T, D, B, H] with the direction axis moved.
            GraphTensor y = ShapeOperators.permute(GraphTensor.ofFloats(result.output(), c.steps, c.batch, d, c.hidden),
                    new int[] {0, 2, 1, 3});
            GraphTensor yH = GraphTensor.ofFloats(result.finalStates(), d, c.batch, c.hidden);
            if (c.layout == 1) {
                y = ShapeOperators.permute(y, new int[] {2, 0, 1, 3});
                yH = ShapeOperators.permute(yH, new int[] {1, 0, 2});
            }
            Agreement.assertAgrees(expected.get(0), y, "Y");
            Agreement.assertAgrees(expected.get(1), yH, "Y_h");
        }
    }

}
