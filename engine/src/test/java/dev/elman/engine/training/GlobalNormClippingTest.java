package dev.elman.engine.training;

import dev.elman.engine.io.Tensor;
import dev.elman.engine.model.Initialization;
import dev.elman.engine.model.Model;
import dev.elman.engine.model.ModelConfig;
import dev.elman.engine.model.ParameterNames;
import dev.elman.engine.model.Parameters;
import dev.elman.reference.ReferenceKernels;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Global-norm clipping in the trainer covers every tensor, the output head's included: the norm
 * the listener reports is the norm over all gradients, and a limit {@code c} between the norm
 * without the head and the full norm scales the step the optimizer receives to norm {@code c}.
 * (A clip that left the head's gradients out of the norm once survived every test, whose only
 * limit, 1e-3, lay far below both norms.)
 */
class GlobalNormClippingTest {
    private static final ReferenceKernels REFERENCE = new ReferenceKernels();
    /**
     * The step's norm may differ from {@code c} by the rounding of each scaled gradient to float
     * (a relative error of at most 2⁻²⁴ per value, so at most 2⁻²⁴ on the norm) and of the norms
     * summed in double (relative ≈ n·2⁻⁵³ for n values, far smaller): 2⁻²³ bounds both.
     */
    private static final double RELATIVE = 0x1p-23;

    @Test
    void theClippedStepHasNormExactlyTheLimitWhenTheLimitLiesBetweenTheNormWithoutTheHeadAndTheFullNorm() {
        List<Parameters> unclipped = firstGradients(GradientClipping.none(), new ArrayList<>());
        Parameters g = unclipped.get(0);
        double full = g.norm();
        double withoutHead = normWithout(g, ParameterNames.HEAD_WEIGHTS, ParameterNames.HEAD_BIAS);
        assertTrue(withoutHead < full * 0.99, "the head carries a visible share of the norm: " + withoutHead + " of "
                + full);

        double limit = (withoutHead + full) / 2;
        List<Double> reported = new ArrayList<>();
        List<Parameters> clipped = firstGradients(GradientClipping.globalNorm(limit), reported);
        assertEquals(full, reported.get(0), full * RELATIVE, "the reported norm covers every tensor, head included");
        double step = clipped.get(0).norm();
        assertEquals(limit, step, limit * RELATIVE,
                "the applied step has norm c = " + limit + " (norm without the head " + withoutHead + ", full "
                        + full + ")");
        // Clipping scales, it does not redirect: every value is the unclipped one times c / norm.
        double scale = limit / full;
        for (int t = 0; t < g.count(); t++) {
            float[] before = g.get(t).data();
            float[] after = clipped.get(0).get(t).data();
            for (int i = 0; i < before.length; i++) {
                assertEquals(before[i] * scale, after[i], Math.abs(before[i] * scale) * RELATIVE,
                        g.names().get(t) + "[" + i + "]");
            }
        }
    }

    @Test
    void aLimitAboveTheFullNormLeavesTheStepAlone() {
        Parameters g = firstGradients(GradientClipping.none(), new ArrayList<>()).get(0);
        List<Double> reported = new ArrayList<>();
        Parameters kept = firstGradients(GradientClipping.globalNorm(g.norm() * 1.01), reported).get(0);
        for (int t = 0; t < g.count(); t++) {
            assertEquals(List.of(toList(g.get(t))), List.of(toList(kept.get(t))), g.names().get(t));
        }
    }

    /**
     * Trains one update of a fixed model on a fixed batch, with an optimizer that records the
     * gradients it receives (after clipping) and applies nothing.
     */
    private static List<Parameters> firstGradients(GradientClipping clipping, List<Double> reportedNorms) {
        ModelConfig config = ModelConfig.builder().inputSize(1).hiddenSize(5).layers(2).outputSize(1).build();
        Model model = Model.create(config, Initialization.uniform(), 11, REFERENCE);
        List<Parameters> received = new ArrayList<>();
        Optimizer recording = parameters -> new Optimizer.State() {
            private long steps;

            @Override
            public void step(Parameters gradients) {
                received.add(gradients.copy());
                steps++;
            }

            @Override
            public long steps() {
                return steps;
            }
        };
        TrainingConfig training = TrainingConfig.builder().optimizer(recording).truncation(6, 6).clipping(clipping)
                .build();
        Trainer trainer = new Trainer(model, training);
        trainer.train(new OptimizerTest.DelayedSum(new Random(5), 6, 3), 1, p -> reportedNorms.add(p.gradientNorm()));
        assertEquals(1, received.size(), "one update");
        return received;
    }

    private static double normWithout(Parameters g, String... names) {
        double sum = 0;
        for (int t = 0; t < g.count(); t++) {
            if (List.of(names).contains(g.names().get(t))) {
                continue;
            }
            for (float v : g.get(t).data()) {
                sum += (double) v * v;
            }
        }
        return Math.sqrt(sum);
    }

    private static List<Float> toList(Tensor t) {
        List<Float> values = new ArrayList<>();
        for (float v : t.data()) {
            values.add(v);
        }
        return values;
    }
}
