package dev.elman.testing;

import java.util.Random;

/**
 * Arrays of random values uniform in {@code (−scale, scale)}: how every test draws weights, inputs,
 * states and gradients. One draw of {@link Random#nextDouble()} per element, in order, so a case
 * built from a seed is the same whichever precision it asks for: {@link #floats} gives the float
 * nearest to each value {@link #doubles} gives.
 */
public final class Uniform {
    private Uniform() {
    }

    /**
     * @param random the source, advanced by {@code count} doubles
     * @param count how many values
     * @param scale the half-width of the interval; 0 gives zeros
     * @return {@code count} values {@code (2u − 1)·scale}, {@code u} uniform in [0, 1)
     * @throws IllegalArgumentException if {@code count} is negative or {@code scale} is negative or not finite
     */
    public static double[] doubles(Random random, int count, double scale) {
        check(count, scale);
        double[] values = new double[count];
        for (int i = 0; i < count; i++) {
            values[i] = (2 * random.nextDouble() - 1) * scale;
        }
        return values;
    }

    /**
     * @param random the source, advanced by {@code count} doubles
     * @param count how many values
     * @param scale the half-width of the interval; 0 gives zeros
     * @return {@code count} values {@code (2u − 1)·scale} rounded to float, {@code u} uniform in [0, 1)
     * @throws IllegalArgumentException if {@code count} is negative or {@code scale} is negative or not finite
     */
    public static float[] floats(Random random, int count, double scale) {
        check(count, scale);
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) ((2 * random.nextDouble() - 1) * scale);
        }
        return values;
    }

    private static void check(int count, double scale) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative, got " + count);
        }
        if (!(scale >= 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("scale must be finite and not negative, got " + scale);
        }
    }
}
