package dev.elman.testing;

import dev.elman.kernels.Activation;

import java.util.List;
import java.util.Random;

/**
 * How property tests draw the activation and the clip of a layer: every {@link Activation.Kind}
 * equally often, its parameters from ranges that exercise each branch of the kind for the
 * pre-activations the tests' weights produce (|z| mostly below 2), and a clip that binds some of
 * them. One helper for every module, so that the reference's gradient checks and the SIMD
 * comparison cover the same activations.
 */
public final class Activations {
    /** The activations of the first version of the kernels, which older properties draw among. */
    public static final List<Activation> CLASSIC = List.of(Activation.TANH, Activation.RELU, Activation.IDENTITY);

    private Activations() {
    }

    /**
     * An activation of a kind drawn uniformly, with drawn parameters.
     *
     * @param random the source
     * @return the activation
     */
    public static Activation random(Random random) {
        Activation.Kind[] kinds = Activation.Kind.values();
        return of(kinds[random.nextInt(kinds.length)], random);
    }

    /**
     * An activation of the given kind with parameters drawn for it: affine α in ±(0.3 … 1.5)
     * (either sign) and β in ±0.5; leaky relu α in [0, 0.5); thresholded relu α in ±0.5;
     * scaled tanh α in ±(0.5 … 2), β in 0.3 … 1.5; hard sigmoid α in ±(0.2 … 1) and β in
     * 0.2 … 0.8; elu α in [0, 2).
     *
     * @param kind the kind
     * @param random the source (not advanced for kinds without parameters)
     * @return the activation
     */
    public static Activation of(Activation.Kind kind, Random random) {
        return switch (kind) {
            case TANH -> Activation.TANH;
            case RELU -> Activation.RELU;
            case IDENTITY -> Activation.IDENTITY;
            case SIGMOID -> Activation.SIGMOID;
            case SOFTSIGN -> Activation.SOFTSIGN;
            case SOFTPLUS -> Activation.SOFTPLUS;
            case AFFINE -> Activation.affine(signed(random, 0.3, 1.5), (float) (random.nextDouble() - 0.5));
            case LEAKY_RELU -> Activation.leakyRelu((float) (0.5 * random.nextDouble()));
            case THRESHOLDED_RELU -> Activation.thresholdedRelu((float) (random.nextDouble() - 0.5));
            case SCALED_TANH -> Activation.scaledTanh(signed(random, 0.5, 2.0), (float) (0.3 + 1.2 * random.nextDouble()));
            case HARD_SIGMOID -> Activation.hardSigmoid(signed(random, 0.2, 1.0), (float) (0.2 + 0.6 * random.nextDouble()));
            case ELU -> Activation.elu((float) (2 * random.nextDouble()));
        };
    }

    /**
     * A clip: none half the time, else a bound in 0.3 … 1.5, which some pre-activations exceed.
     *
     * @param random the source
     * @return 0 or the bound
     */
    public static float clip(Random random) {
        return random.nextBoolean() ? 0f : (float) (0.3 + 1.2 * random.nextDouble());
    }

    private static float signed(Random random, double low, double high) {
        double magnitude = low + (high - low) * random.nextDouble();
        return (float) (random.nextBoolean() ? magnitude : -magnitude);
    }
}
