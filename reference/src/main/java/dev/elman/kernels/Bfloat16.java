package dev.elman.kernels;

/**
 * bfloat16, the upper half of a float32: 1 sign bit, float32's 8 exponent bits and 7 fraction
 * bits. Widening is exact (the bits shifted back up); narrowing here rounds to nearest, ties to
 * even, the way every bfloat16 converter does.
 */
public final class Bfloat16 {
    /** The largest finite bfloat16, {@code 0x7F7F} widened: (2 − 2⁻⁷)·2¹²⁷. */
    public static final float MAX_VALUE = Float.intBitsToFloat(0x7F7F0000);

    private Bfloat16() {
    }

    /**
     * The bfloat16 nearest {@code value} (ties to even), as its 16 bits.
     *
     * @param value a float; NaN stays a (quiet) NaN, a value beyond {@link #MAX_VALUE} by more
     *     than half a unit becomes an infinity
     * @return the bits
     */
    public static short bits(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        int rounded = bits + 0x7FFF + ((bits >>> 16) & 1);
        return (short) (rounded >>> 16);
    }

    /**
     * The float of a bfloat16, exactly.
     *
     * @param bits the 16 bits
     * @return the float with these bits on top and zeros below
     */
    public static float value(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    /**
     * {@code value} rounded to bfloat16 and widened back: the float a bfloat16 weight computes as.
     *
     * @param value a float
     * @return the nearest float with 8 significant bits (see {@link #bits})
     */
    public static float round(float value) {
        return value(bits(value));
    }
}
