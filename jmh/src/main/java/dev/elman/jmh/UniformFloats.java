package dev.elman.jmh;

import java.util.Random;

/**
 * The benchmarks' random weights and inputs: floats uniform in {@code (−scale, scale)}, one
 * {@link Random#nextDouble()} per value, so a benchmark's data is fixed by its seed.
 */
public final class UniformFloats {
    private UniformFloats() {
    }

    /**
     * @param random the source, advanced by {@code count} doubles
     * @param count how many values
     * @param scale the half-width of the interval
     * @return {@code count} values {@code (2u − 1)·scale} rounded to float, {@code u} uniform in [0, 1)
     * @throws IllegalArgumentException if {@code count} is negative or {@code scale} is negative or not finite
     */
    public static float[] draw(Random random, int count, double scale) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative, got " + count);
        }
        if (!(scale >= 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("scale must be finite and not negative, got " + scale);
        }
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) ((2 * random.nextDouble() - 1) * scale);
        }
        return values;
    }
}
