package dev.elman.reference;

import dev.elman.kernels.Activation;
import dev.elman.testing.Activations;
import dev.elman.testing.Trials;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Random;
import java.util.stream.Stream;


import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Central finite differences, in double, against every gradient the reference backward pass
 * produces: dWx, dWh, db, dx and dh0, for every activation (every kind, with drawn parameters) with
 * and without a clip, both directions, with and without carried-in state, carried-in gradient,
 * gradient from above, bias and variable lengths.
 *
 * <p>Tolerance. With step {@code ε = 1e-5} the central difference has truncation error
 * {@code ε²/6·|L'''|} and rounding error about {@code u·Σ|terms of L|/ε} ({@code u = 1.1e-16}).
 * For these shapes (T ≤ 6, B ≤ 3, I, H ≤ 7, weights scaled by at most 1.5/√n) {@code |L'''|} and
 * {@code Σ|terms|} stay below ~10³, so both errors are below ~2e-8 times the gradient's scale. We
 * accept {@code |fd − analytic| ≤ 1e-6·max(1, max|analytic| of that gradient)}: 50× above the
 * expected error, and far below what any missing or misplaced term produces (≥ 1e-3 relative).
 */
class GradientCheckTest {
    private static final double STEP = 1e-5;
    private static final double TOLERANCE = 1e-6;

    private static final int TRIES = 500;
    /** About 100 cases of each of the twelve kinds. */
    private static final int KINDS_TRIES = 1200;

    static Stream<DoubleSpanCase> tanhCases() {
        return Trials.seeds("tanh", TRIES).mapToObj(seed -> DoubleSpanCase.random(Activation.TANH, true, seed));
    }

    static Stream<DoubleSpanCase> reluCases() {
        return Trials.seeds("relu", TRIES).mapToObj(seed -> DoubleSpanCase.random(Activation.RELU, true, seed));
    }

    static Stream<DoubleSpanCase> identityCases() {
        return Trials.seeds("identity", TRIES).mapToObj(seed -> DoubleSpanCase.random(Activation.IDENTITY, true, seed));
    }

    /** Only the carried-in gradient drives the loss: the path a chained span's backward takes. */
    static Stream<DoubleSpanCase> carriedOnlyCases() {
        return Trials.seeds("carried", TRIES).mapToObj(
                seed -> DoubleSpanCase.random(Activations.CLASSIC.get((int) Math.floorMod(seed, 3L)), false, seed));
    }

    /**
     * Every kind of activation in turn, with drawn parameters, clipped half the time; the
     * carried-in gradient alone drives the loss one time in four.
     */
    static Stream<DoubleSpanCase> everyActivationCases() {
        Activation.Kind[] kinds = Activation.Kind.values();
        return Trials.seeds("every-activation", KINDS_TRIES).mapToObj(seed -> {
            Random random = new Random(seed);
            Activation activation = Activations.of(kinds[(int) Math.floorMod(seed, (long) kinds.length)], random);
            return DoubleSpanCase.random(activation, Activations.clip(random), random.nextInt(4) > 0, random.nextLong());
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tanhCases")
    void tanhGradientsMatchFiniteDifferences(DoubleSpanCase c) {
        check(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("reluCases")
    void reluGradientsMatchFiniteDifferences(DoubleSpanCase c) {
        check(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("identityCases")
    void identityGradientsMatchFiniteDifferences(DoubleSpanCase c) {
        check(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyActivationCases")
    void everyActivationAndClipMatchFiniteDifferences(DoubleSpanCase c) {
        check(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("carriedOnlyCases")
    void carriedGradientAloneMatchesFiniteDifferences(DoubleSpanCase c) {
        check(c);
    }

    private static void check(DoubleSpanCase c) {
        DoubleSpanCase.Gradients analytic = c.backward(c.forward());
        Counter counter = new Counter();
        compare(c, "dWx", c.wx, analytic.dWx, counter);
        compare(c, "dWh", c.wh, analytic.dWh, counter);
        if (c.b != null) {
            compare(c, "db", c.b, analytic.db, counter);
        }
        compare(c, "dx", c.x, analytic.dx, counter);
        compare(c, "dh0", c.h0, analytic.dh0, counter);
        // A kink (or a thresholded relu's jump, or a clip bound) inside (θ−ε, θ+ε) invalidates that
        // coordinate's difference; it must stay rare, or the property would be checking nothing.
        assertTrue(counter.skipped * 4 <= counter.total,
                () -> c + ": " + counter.skipped + " of " + counter.total + " coordinates straddled a kink");
    }

    private static void compare(DoubleSpanCase c, String name, double[] parameter, double[] analytic, Counter counter) {
        double scale = 1.0;
        for (double g : analytic) {
            scale = Math.max(scale, Math.abs(g));
        }
        double[] base = c.forwardForDifferences();
        for (int i = 0; i < parameter.length; i++) {
            double saved = parameter[i];
            parameter[i] = saved + STEP;
            double[] plus = c.forwardForDifferences();
            parameter[i] = saved - STEP;
            double[] minus = c.forwardForDifferences();
            parameter[i] = saved;
            counter.total++;
            if (!sameActivePattern(c, base, plus) || !sameActivePattern(c, base, minus)) {
                counter.skipped++;
                continue;
            }
            double difference = (c.loss(plus) - c.loss(minus)) / (2 * STEP);
            double error = Math.abs(difference - analytic[i]);
            if (!(error <= TOLERANCE * scale)) {
                fail(c + ": " + name + "[" + i + "] analytic " + analytic[i] + ", finite difference " + difference
                        + ", |error| " + error + " > " + TOLERANCE * scale);
            }
        }
    }

    /**
     * Whether every real (non-padding) step has each unit on the same piece of φ (and of the clip)
     * in both runs. Padding steps only copy a state, so a change there is no kink.
     */
    private static boolean sameActivePattern(DoubleSpanCase c, double[] a, double[] b) {
        for (int t = 0; t < c.steps; t++) {
            for (int n = 0; n < c.batch; n++) {
                if (c.lengths != null && t >= c.lengths[n]) {
                    continue;
                }
                for (int i = 0; i < c.hiddenSize; i++) {
                    int index = (t * c.batch + n) * c.hiddenSize + i;
                    if (piece(c, a[index]) != piece(c, b[index])) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /**
     * Which smooth piece of the layer's function an output lies on: 0 for a smooth φ; for the
     * piecewise kinds the side of their kinks; 3 and 4 where the clip bound was active. A
     * difference across pieces measures no derivative.
     */
    private static int piece(DoubleSpanCase c, double h) {
        if (h == c.clippedLow()) {
            return 3;
        }
        if (h == c.clippedHigh()) {
            return 4;
        }
        return switch (c.activation.kind()) {
            case RELU, LEAKY_RELU, ELU -> h > 0 ? 1 : 0;
            case THRESHOLDED_RELU -> h != 0 ? 1 : 0;
            case HARD_SIGMOID -> h <= 0 ? 0 : h >= 1 ? 2 : 1;
            default -> 0;
        };
    }

    private static final class Counter {
        int total;
        int skipped;
    }

}
