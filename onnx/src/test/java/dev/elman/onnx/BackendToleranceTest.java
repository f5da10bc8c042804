package dev.elman.onnx;

import dev.elman.testing.Trials;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code rnn onnx-test}'s own bar: random single-node cases of at least 8 steps (every attribute,
 * as {@link OrtOracleTest} draws them), their expected outputs computed by ONNX Runtime and written
 * in the backend-test layout, pass {@link OnnxTestCase} under ONNX's tolerance (rtol 1e-3,
 * atol 1e-7), with the two documented deviations from ONNX Runtime applied to the expectations.
 */
class BackendToleranceTest {
    @TempDir
    Path folder;

    static Stream<Arguments> cases() {
        return Trials.seeds("onnx backend tolerance", Trials.tries(20)).mapToObj(seed -> {
            RnnNodeCase c = RnnNodeCase.random(seed, true);
            while (c.steps < 8) {
                c = RnnNodeCase.random(++seed, true);
            }
            return Arguments.of(c.toString(), c);
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void onnxRuntimesOutputsPassUnderOnnxTolerance(String name, RnnNodeCase c) throws Exception {
        Path dir = BackendCases.write(folder.resolve("case"), c.model(), new ArrayList<>(c.feeds().values()),
                OrtOracleTest.oracle(c));
        OnnxTestCase.Result result = OnnxTestCase.run(dir);
        assertEquals(OnnxTestCase.Status.PASS, result.status(), result.line());
    }
}
