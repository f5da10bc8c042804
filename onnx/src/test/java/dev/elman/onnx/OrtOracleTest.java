package dev.elman.onnx;

import dev.elman.kernels.RecurrentKernels;
import dev.elman.testing.Trials;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * ONNX Runtime is the oracle of the RNN operator: random single-node models (every direction,
 * layouts 0 and 1, opsets 7, 14 and 22, sizes 1 and around the vector widths, sequence lengths
 * including 0, with and without B and initial_h, either output alone) run in ONNX Runtime and in
 * Elman on both kernels, and agree under {@link Agreement}'s rule.
 *
 * <p>Where Elman follows the issue rather than ONNX Runtime 1.29.0, the test says so and compares
 * with the semantics instead: {@code layout = 1}, which ONNX Runtime refuses for RNN, runs
 * in ONNX Runtime as the same case transposed to layout 0, its outputs transposed back; and a
 * sequence of length 0 has {@code Y_h = initial_h} in Elman (the state carried through, as
 * TensorFlow and Keras do), where ONNX Runtime writes 0.
 */
class OrtOracleTest {
    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        Trials.seeds("ort oracle rnn node", Trials.tries(40)).forEach(seed -> {
            for (RecurrentKernels kernels : Kernels.all()) {
                RnnNodeCase c = RnnNodeCase.random(seed, ActivationChoices.CLIP);
                out.add(Arguments.of(kernels.getClass().getSimpleName() + " " + c, c, kernels));
            }
        });
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void elmanComputesWhatOnnxRuntimeComputes(String name, RnnNodeCase c, RecurrentKernels kernels) throws Exception {
        GraphEvaluator elman = GraphEvaluator.load(c.model(), Path.of("case.onnx"), kernels);
        List<GraphTensor> actual = new ArrayList<>(elman.run(c.feeds()).values());
        List<GraphTensor> expected = oracle(c);
        Agreement.assertAgrees(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            Agreement.assertAgrees(expected.get(i), actual.get(i), elman.outputs().get(i));
        }
    }

    /** ONNX Runtime's outputs, with the two documented deviations applied (see the class comment). */
    static List<GraphTensor> oracle(RnnNodeCase c) throws Exception {
        RnnNodeCase timeMajor = c.timeMajor();
        List<GraphTensor> ort = Ort.run(timeMajor.model().toByteArray(), timeMajor.feeds());
        int d = c.directions();
        List<GraphTensor> out = new ArrayList<>();
        int k = 0;
        if (c.wantY) {
            GraphTensor y = ort.get(k++);
            out.add(c.layout == 0 ? y : ShapeOperators.permute(y, new int[] {2, 0, 1, 3}));
        }
        if (c.wantYh) {
            float[] yH = ort.get(k).floats().clone();
            if (c.lengths != null) {
                for (int s = 0; s < c.batch; s++) {
                    if (c.lengths[s] == 0) {
                        for (int dir = 0; dir < d; dir++) {
                            for (int i = 0; i < c.hidden; i++) {
                                yH[(dir * c.batch + s) * c.hidden + i] = timeMajor.initialH == null ? 0f
                                        : timeMajor.initialH[(dir * c.batch + s) * c.hidden + i];
                            }
                        }
                    }
                }
            }
            GraphTensor h = GraphTensor.ofFloats(yH, d, c.batch, c.hidden);
            out.add(c.layout == 0 ? h : ShapeOperators.permute(h, new int[] {1, 0, 2}));
        }
        return out;
    }
}
