package dev.elman.reference;

import dev.elman.kernels.Activation;
import dev.elman.kernels.RecurrentWeights;
import dev.elman.testing.Activations;
import dev.elman.testing.Trials;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The activations as values: their formulas at hand-computed points, the derivative each recovers
 * from its output against a central difference of φ, labels that parse back, and the parameters
 * they refuse by name.
 */
class ActivationTest {

    static Stream<Activation> drawn() {
        Activation.Kind[] kinds = Activation.Kind.values();
        return Trials.seeds("activation-values", 240).mapToObj(seed -> {
            Random random = new Random(seed);
            return Activations.of(kinds[(int) Math.floorMod(seed, (long) kinds.length)], random);
        });
    }

    /**
     * {@code derivativeFromOutput(φ(z))} is {@code φ'(z)}: against a central difference with
     * {@code ε = 1e-6} (error ≤ ε²·|φ'''| + 1e-16/ε, below 1e-9 here), away from kinks and jumps.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("drawn")
    void theDerivativeFromTheOutputIsTheDerivative(Activation activation) {
        Random random = new Random(activation.hashCode());
        double step = 1e-6;
        for (int i = 0; i < 200; i++) {
            double z = (2 * random.nextDouble() - 1) * 4;
            if (nearKink(activation, z, 1e-4)) {
                continue;
            }
            double difference = (activation.apply(z + step) - activation.apply(z - step)) / (2 * step);
            double recovered = activation.derivativeFromOutput(activation.apply(z));
            if (!(Math.abs(difference - recovered) <= 1e-7 * Math.max(1, Math.abs(difference)))) {
                fail(activation + " at z = " + z + ": recovered " + recovered + ", finite difference " + difference);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("drawn")
    void labelsParseBackToEqualActivations(Activation activation) {
        Activation parsed = Activation.parse(activation.label());
        assertEquals(activation, parsed);
        assertEquals(activation.hashCode(), parsed.hashCode());
        assertEquals(activation.label(), parsed.label());
        assertEquals(activation.label(), activation.toString());
        assertEquals(activation, Activation.parse("  " + activation.label().toUpperCase(java.util.Locale.ROOT) + " "));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("drawn")
    void nanStaysNan(Activation activation) {
        assertTrue(Double.isNaN(activation.apply(Double.NaN)), activation + " keeps NaN");
    }

    @Test
    void formulasAtHandComputedPoints() {
        assertEquals(Math.tanh(0.5), Activation.TANH.apply(0.5));
        assertEquals(0.0, Activation.RELU.apply(-2));
        assertEquals(1 / (1 + Math.exp(-1.0)), Activation.SIGMOID.apply(1), 1e-16);
        assertEquals(1 / (1 + Math.exp(30.0)), Activation.SIGMOID.apply(-30), 1e-28);
        assertEquals(2 * 3.0 - 1, Activation.affine(2, -1).apply(3));
        assertEquals(-0.5, Activation.leakyRelu(0.25f).apply(-2));
        assertEquals(0.0, Activation.thresholdedRelu(1).apply(1), "at the threshold: 0, as ONNX's operator");
        assertEquals(1.5, Activation.thresholdedRelu(1).apply(1.5));
        assertEquals(-0.25, Activation.thresholdedRelu(-0.5f).apply(-0.25), "between a negative threshold and 0");
        assertEquals(2 * Math.tanh(0.5 * 3), Activation.scaledTanh(2, 0.5f).apply(3), 1e-15);
        assertEquals(1.0, Activation.hardSigmoid(0.2f, 0.5f).apply(3));
        assertEquals(0.2f * 1.0 + 0.5f, Activation.hardSigmoid(0.2f, 0.5f).apply(1), 1e-15);
        assertEquals(1.5 * Math.expm1(-1), Activation.elu(1.5f).apply(-1), 1e-16);
        assertEquals(-0.75, Activation.SOFTSIGN.apply(-3));
        assertEquals(Math.log(1 + Math.exp(2.0)), Activation.SOFTPLUS.apply(2), 1e-15);
        assertEquals(100.0, Activation.SOFTPLUS.apply(100), 1e-12, "no overflow");
        assertEquals(Math.exp(-100), Activation.SOFTPLUS.apply(-100), 1e-55, "small values keep their digits");
        assertEquals(0.0, Activation.scaledTanh(0, 2).derivativeFromOutput(0), "alpha 0 is constant");
        assertEquals(0.25, Activation.leakyRelu(0.25f).derivativeFromOutput(0), "at the kink: the left slope");
    }

    @Test
    void constantsAreTheParsedValues() {
        for (Activation a : new Activation[] {Activation.TANH, Activation.RELU, Activation.IDENTITY,
                Activation.SIGMOID, Activation.SOFTSIGN, Activation.SOFTPLUS}) {
            assertSame(a, Activation.parse(a.label()));
            assertEquals(0f, a.alpha());
            assertEquals(0f, a.beta());
        }
        assertEquals("leaky_relu(0.01)", Activation.leakyRelu(0.01f).label());
        assertEquals("hard_sigmoid(0.2,0.5)", Activation.hardSigmoid(0.2f, 0.5f).label());
        assertEquals(Activation.affine(2, -1), Activation.parse("Affine( 2 , -1e0 )"));
        assertEquals(Activation.elu(0), Activation.elu(-0f), "−0 is 0");
        assertNotEquals(Activation.affine(1, 0), Activation.IDENTITY, "a kind is part of the value");
        assertNotEquals(Activation.elu(1), Activation.elu(2));
        assertEquals(Activation.Kind.SCALED_TANH, Activation.scaledTanh(1, 2).kind());
        assertEquals(2f, Activation.scaledTanh(1, 2).beta());
    }

    @Test
    void badLabelsAndParametersAreRefusedByName() {
        rejects(() -> Activation.parse("swish"), "unknown activation 'swish'", "leaky_relu(alpha)");
        rejects(() -> Activation.parse(null), "unknown activation 'null'");
        rejects(() -> Activation.parse("elu"), "'elu' needs its parameters", "elu(alpha)");
        rejects(() -> Activation.parse("tanh(1)"), "'tanh(1)' has 1 parameter", "no parameters");
        rejects(() -> Activation.parse("affine(1)"), "has 1 parameter", "affine(alpha, beta)");
        rejects(() -> Activation.parse("elu(1"), "does not end with ')'");
        rejects(() -> Activation.parse("elu(one)"), "parameter 1 'one' is not a decimal number");
        rejects(() -> Activation.parse("elu(NaN)"), "'NaN' is not a decimal number");
        rejects(() -> Activation.parse("leaky_relu(-0.1)"), "activation 'leaky_relu(-0.1)'", "alpha must be at least 0");
        rejects(() -> Activation.leakyRelu(-0.01f), "leaky_relu alpha must be at least 0", "ambiguous");
        rejects(() -> Activation.elu(-1), "elu alpha must be at least 0");
        rejects(() -> Activation.affine(Float.NaN, 0), "affine alpha must be finite");
        rejects(() -> Activation.hardSigmoid(1, Float.POSITIVE_INFINITY), "hard_sigmoid beta must be finite");
        rejects(() -> Activation.scaledTanh(Float.NEGATIVE_INFINITY, 1), "scaled_tanh alpha must be finite");
        rejects(() -> Activation.thresholdedRelu(Float.NaN), "thresholded_relu alpha must be finite");
    }

    @Test
    void clipBoundsAreCheckedAndTheirOutputsFixed() {
        ReferenceKernels kernels = new ReferenceKernels();
        RecurrentWeights clipped = kernels.newRecurrentWeights(2, 3, Activation.SIGMOID, 1.5f, true);
        assertEquals(1.5f, clipped.clip());
        assertEquals((float) Activation.SIGMOID.apply(-1.5), clipped.clippedLow());
        assertEquals((float) Activation.SIGMOID.apply(1.5), clipped.clippedHigh());
        RecurrentWeights plain = kernels.newRecurrentWeights(2, 3, Activation.SIGMOID, true);
        assertEquals(0f, plain.clip());
        assertTrue(Float.isNaN(plain.clippedLow()) && Float.isNaN(plain.clippedHigh()), "no output equals NaN");
        rejects(() -> kernels.newRecurrentWeights(2, 3, Activation.TANH, -1f, true), "clip must be 0 (none) or positive",
                "got -1.0");
        rejects(() -> kernels.newRecurrentWeights(2, 3, Activation.TANH, Float.NaN, true), "clip", "got NaN");
        rejects(() -> kernels.newRecurrentWeights(2, 3, Activation.TANH, Float.POSITIVE_INFINITY, true), "clip",
                "got Infinity");
    }

    /** Whether {@code z} lies within {@code margin} of a point where φ has a kink or a jump. */
    private static boolean nearKink(Activation a, double z, double margin) {
        return switch (a.kind()) {
            case RELU, LEAKY_RELU, ELU -> Math.abs(z) < margin;
            // The threshold, and 0 where a negative threshold lets negative values through.
            case THRESHOLDED_RELU -> Math.abs(z - a.alpha()) < margin || Math.abs(z) < margin;
            case HARD_SIGMOID -> a.alpha() != 0
                    && (Math.abs(z + a.beta() / a.alpha()) < margin || Math.abs(z - (1 - a.beta()) / a.alpha()) < margin);
            default -> false;
        };
    }

    private static void rejects(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment),
                    () -> "message '" + e.getMessage() + "' should contain '" + fragment + "'");
        }
    }
}
