package dev.elman.kernels;

/**
 * Symmetric int8 quantisation with one scale per row (see {@link WeightPrecision#INT8}): the
 * arithmetic every implementation shares, so that all of them compute with the same values.
 */
public final class Int8Rows {
    private Int8Rows() {
    }

    /**
     * The scale of a row: its largest magnitude over 127, so that the largest weight is ±127
     * steps; 0 for a row of zeros; the smallest positive float when the quotient underflows.
     *
     * @param weights the matrix, finite
     * @param from the row's first index
     * @param length the row's length
     * @return the scale, 0 or positive
     */
    public static float scale(float[] weights, int from, int length) {
        float largest = 0f;
        for (int j = from; j < from + length; j++) {
            largest = Math.max(largest, Math.abs(weights[j]));
        }
        float scale = largest / 127f;
        return largest > 0f && scale == 0f ? Float.MIN_VALUE : scale;
    }

    /**
     * A weight's step count: {@code rint(w / scale)}, held to {@code −127 … 127}.
     *
     * @param weight the weight
     * @param scale its row's {@link #scale}
     * @return the quantised weight
     */
    public static byte quantize(float weight, float scale) {
        if (scale == 0f) {
            return 0;
        }
        float steps = (float) Math.rint(weight / scale);
        return (byte) Math.max(-127, Math.min(127, (int) steps));
    }

    /**
     * The float a quantised weight computes as: {@code (float) q · scale}, one rounding.
     *
     * @param q the quantised weight
     * @param scale its row's scale
     * @return the value
     */
    public static float value(byte q, float scale) {
        return q * scale;
    }
}
