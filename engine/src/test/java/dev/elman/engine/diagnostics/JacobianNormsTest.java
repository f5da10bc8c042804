package dev.elman.engine.diagnostics;

import dev.elman.engine.model.Initialization;
import dev.elman.engine.model.Model;
import dev.elman.engine.model.ModelConfig;
import dev.elman.engine.testing.RandomData;
import dev.elman.kernels.Activation;
import dev.elman.reference.ReferenceKernels;
import dev.elman.testing.Trials;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Random;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The vanishing and exploding gradient, measured: ‖∂h_t/∂h_{t−k}‖ decays geometrically for a tanh
 * RNN whose Wh has norm below 1, and grows geometrically for a large spectral radius with relu or
 * identity activations. The bounds used are theorems, not fits:
 * <ul>
 *   <li>tanh with {@code Wh = ρ·Q}, Q orthogonal: every factor {@code diag(φ') Wh} has spectral
 *       norm ≤ ρ (|φ'| ≤ 1), so {@code ‖J_k‖ ≤ ρ^k};</li>
 *   <li>identity activation: {@code J_k = Wh^k}, and {@code ‖Wh^k‖ ≥ ρ(Wh^k) = ρ(Wh)^k} for every
 *       operator norm;</li>
 *   <li>relu with {@code Wh = ρ·I} and positive inputs and weights: every unit stays active, so
 *       {@code J_k = ρ^k·I} exactly.</li>
 * </ul>
 */
class JacobianNormsTest {
    private static final ReferenceKernels REFERENCE = new ReferenceKernels();
    /** Float32 weights and states, double products: 1e-6 relative per lag covers the rounding. */
    private static final double SLACK = 1e-6;

    static LongStream seeds() {
        return Trials.seeds("jacobian", 12);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void tanhWithSpectralRadiusBelowOneDecaysGeometrically(long seed) {
        Random random = new Random(seed);
        double rho = 0.5 + 0.4 * random.nextDouble();
        int hidden = 2 + random.nextInt(12);
        ModelConfig config = ModelConfig.builder().inputSize(3).hiddenSize(hidden).build();
        Model model = Model.create(config, Initialization.orthogonal().withSpectralRadius(rho), seed, REFERENCE);
        assertEquals(rho, model.spectralRadius(0, false), 1e-6, "ρ·Q has spectral radius ρ");
        int steps = 40;
        JacobianDecay decay = JacobianNorms.measure(model, RandomData.uniform(random, steps * 3, 1), steps, 0, false, steps);
        for (int k = 1; k <= steps; k++) {
            assertTrue(decay.norm(k) <= Math.pow(rho, k) * (1 + k * SLACK),
                    "ρ = " + rho + ", lag " + k + ": " + decay.norm(k) + " > ρ^k = " + Math.pow(rho, k));
        }
        assertTrue(decay.ratePerStep(1, steps) <= rho * (1 + SLACK), "mean decay per step " + decay.ratePerStep(1, steps));
        assertTrue(decay.norm(steps) < 1e-4 * decay.norm(1), "vanished over 40 steps");
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theLinearRnnWithALargeSpectralRadiusExplodes(long seed) {
        Random random = new Random(seed);
        double rho = 1.2 + 0.5 * random.nextDouble();
        int hidden = 2 + random.nextInt(12);
        ModelConfig config = ModelConfig.builder().inputSize(2).hiddenSize(hidden).activation(Activation.IDENTITY).build();
        Model model = Model.create(config, Initialization.uniform().withSpectralRadius(rho), seed, REFERENCE);
        int steps = 30;
        JacobianDecay decay = JacobianNorms.measure(model, RandomData.uniform(random, steps * 2, 1), steps, 0, false, steps);
        for (int k = 1; k <= steps; k++) {
            assertTrue(decay.logNorm(k) >= k * Math.log(rho) - k * SLACK,
                    "ρ = " + rho + ", lag " + k + ": ‖Wh^k‖ = " + decay.norm(k) + " < ρ^k = " + Math.pow(rho, k));
        }
        assertTrue(decay.norm(steps) > 100 * decay.norm(1), "exploded over 30 steps");
    }

    @Test
    void reluWithAScaledIdentityGrowsExactlyGeometrically() {
        double rho = 1.25;
        ModelConfig config = ModelConfig.builder().inputSize(2).hiddenSize(5).activation(Activation.RELU).build();
        Model model = Model.create(config, Initialization.identity().withSpectralRadius(rho), 1, REFERENCE);
        float[] wx = model.parameters().get("wx_l0").data();
        for (int i = 0; i < wx.length; i++) {
            wx[i] = Math.abs(wx[i]) + 0.01f;
        }
        model.loadParameters();
        int steps = 60;
        float[] x = new float[steps * 2];
        java.util.Arrays.fill(x, 1f);
        JacobianDecay decay = JacobianNorms.measure(model, x, steps, 0, false, steps);
        for (int k = 1; k <= steps; k++) {
            assertEquals(k * Math.log(rho), decay.logNorm(k), 1e-6 * k, "lag " + k);
        }
        assertEquals(rho, decay.ratePerStep(10, 60), 1e-6);
    }

    @Test
    void normsBeyondTheDoubleRangeStayAvailableAsLogarithms() {
        ModelConfig config = ModelConfig.builder().inputSize(1).hiddenSize(3).activation(Activation.IDENTITY).build();
        Model model = Model.create(config, Initialization.identity().withSpectralRadius(1e3), 1, REFERENCE);
        int steps = 200;
        JacobianDecay decay = JacobianNorms.measure(model, new float[steps], steps, 0, false, steps);
        assertEquals(Double.POSITIVE_INFINITY, decay.norm(steps));
        assertEquals(steps * Math.log(1e3), decay.logNorm(steps), 1e-6 * steps);
    }

    @Test
    void bidirectionalReverseDirectionsAndBadArguments() {
        ModelConfig config = ModelConfig.builder().inputSize(1).hiddenSize(3).layers(2).bidirectional(true).build();
        Model model = Model.create(config, Initialization.orthogonal().withSpectralRadius(0.5), 1, REFERENCE);
        JacobianDecay reverse = JacobianNorms.measure(model, new float[5], 5, 1, true, 5);
        assertEquals(5, reverse.maxLag());
        assertTrue(reverse.norm(5) <= Math.pow(0.5, 5) * (1 + 5 * SLACK));
        assertEquals(JacobianNorms.METHOD, reverse.method());
        assertEquals("maxLag must be in 1 … 5 (steps), got 6",
                assertThrows(IllegalArgumentException.class,
                        () -> JacobianNorms.measure(model, new float[5], 5, 0, false, 6)).getMessage());
        assertEquals("layer must be in 0 … 1, got 2",
                assertThrows(IllegalArgumentException.class,
                        () -> JacobianNorms.measure(model, new float[5], 5, 2, false, 1)).getMessage());
        assertEquals("x: expected length 5 (steps × inputSize = 5 × 1), got 4",
                assertThrows(IllegalArgumentException.class,
                        () -> JacobianNorms.measure(model, new float[4], 5, 0, false, 1)).getMessage());
    }

    /**
     * A forward model keeps only the last maxLag steps: the steps before them run in spans with
     * the states carried, so memory does not grow with T. On the SIMD kernels, whose steps are float
     * arithmetic whatever the span, the norms are those of one pass over the whole sequence bit for
     * bit (the same states, the same products), for either layer. The reference kernels carry the
     * state in double within a span, so a cut rounds it to float once more: there the norms agree
     * within {@link #SLACK} per lag, as float states do.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aShortLagRunsTheStepsBeforeItInSpansWithTheSameNorms(long seed) {
        Random random = new Random(seed);
        int steps = 20 + random.nextInt(60);
        ModelConfig config = ModelConfig.builder().inputSize(3).hiddenSize(6).layers(2).outputSize(2).build();
        Model model = Model.create(config, Initialization.uniform(), seed);
        boolean exact = model.kernels().name().equals("simd");
        float[] x = new float[steps * 3];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        int lag = 1 + random.nextInt(steps / 3);
        for (int layer = 0; layer < 2; layer++) {
            double[] whole = JacobianNorms.measure(model, x, steps, layer, false, steps).norms();
            double[] chunked = JacobianNorms.measure(model, x, steps, layer, false, lag).norms();
            assertEquals(lag, chunked.length);
            for (int k = 0; k < lag; k++) {
                assertEquals(whole[k], chunked[k], exact ? 0.0 : whole[k] * SLACK * (k + 1), "T=" + steps + " maxLag=" + lag + " layer " + layer
                        + " lag " + (k + 1));
            }
        }
    }
}
