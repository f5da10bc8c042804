package dev.elman.simd;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The error of {@link VectorTanh} against {@code Math.tanh} in double (accurate to about 1e-16,
 * so its own error does not count at float scale), over the whole float range.
 *
 * <p>The normal build checks every 41st bit pattern of all 2³² (1.05·10⁸ floats, evenly spread
 * over signs, exponents and mantissas, so every binade from the subnormals to the largest finite
 * values and both signs are covered) plus the special values; {@code -Delman.tanh.exhaustive=true}
 * checks all 2³² patterns (about a minute and a half).
 */
class VectorTanhTest {
    private static final int LANES = Gemm.LANES;

    @Test
    void errorIsWithinTheDocumentedBoundOverTheWholeRange() {
        long stride = Boolean.getBoolean("elman.tanh.exhaustive") ? 1 : 41;
        Sweep sweep = new Sweep();
        float[] in = new float[LANES];
        int fill = 0;
        for (long bits = 0; bits < (1L << 32); bits += stride) {
            in[fill++] = Float.intBitsToFloat((int) bits);
            if (fill == LANES) {
                sweep.check(in, LANES);
                fill = 0;
            }
        }
        sweep.check(in, fill);
        assertTrue(sweep.count >= 100_000_000L, "checked only " + sweep.count + " floats");
        System.out.printf("VectorTanh over %d floats: max absolute error %.3g at %s, max relative error %.3g at %s%n",
                sweep.count, sweep.maxAbsolute, sweep.worstAbsolute, sweep.maxRelative, sweep.worstRelative);
    }

    @Test
    void specialValues() {
        float[] in = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, -Float.MIN_NORMAL,
                Float.MIN_NORMAL / 3, -Float.MIN_NORMAL / 7, 1e-20f, -1e-20f, Float.MAX_VALUE, -Float.MAX_VALUE,
                Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, Float.intBitsToFloat(0x7fc12345),
                Float.intBitsToFloat(0xffc00001), Float.intBitsToFloat(0x7f800001),
                0.9f, Math.nextDown(0.9f), -0.9f, -Math.nextDown(0.9f), 10f, Math.nextUp(10f), -10f, 9.5f, 20f, 1e30f};
        float[] out = new float[in.length];
        float[] lane = new float[LANES];
        for (int i = 0; i < in.length; i++) {
            java.util.Arrays.fill(lane, in[i]);
            VectorTanh.apply(lane, 0, lane, 0, LANES);
            out[i] = lane[0];
        }
        for (int i = 0; i < in.length; i++) {
            float x = in[i];
            float y = out[i];
            if (Float.isNaN(x)) {
                assertTrue(Float.isNaN(y), "tanh(NaN) must be NaN, got " + y);
            } else if (Math.abs(x) < 1e-12f) {
                // tanh x rounds to x here; the approximation must give x itself, sign of zero included.
                assertEquals(Float.floatToRawIntBits(x), Float.floatToRawIntBits(y), "tanh(" + x + ") = " + y);
            } else if (Math.abs(x) >= 10f) {
                assertEquals(Math.signum(x), y, "tanh(" + x + ")");
            } else {
                double exact = Math.tanh(x);
                assertTrue(Math.abs(y - exact) <= VectorTanh.MAX_ABSOLUTE_ERROR, "tanh(" + x + ") = " + y + ", exact " + exact);
            }
        }
    }

    private static final class Sweep {
        long count;
        double maxAbsolute;
        double maxRelative;
        float worstAbsolute;
        float worstRelative;
        private final float[] out = new float[LANES];
        private final float[] negated = new float[LANES];
        private final float[] negatedOut = new float[LANES];

        void check(float[] in, int n) {
            if (n == 0) {
                return;
            }
            VectorTanh.apply(in, 0, out, 0, n);
            for (int i = 0; i < LANES; i++) {
                negated[i] = -in[i];
            }
            VectorTanh.apply(negated, 0, negatedOut, 0, n);
            for (int i = 0; i < n; i++) {
                float x = in[i];
                float y = out[i];
                count++;
                if (Float.isNaN(x)) {
                    if (!Float.isNaN(y)) {
                        fail("tanh(NaN " + Integer.toHexString(Float.floatToRawIntBits(x)) + ") = " + y);
                    }
                    continue;
                }
                if (Float.floatToRawIntBits(negatedOut[i]) != Float.floatToRawIntBits(-y)) {
                    fail("not odd: tanh(" + x + ") = " + y + " but tanh(" + (-x) + ") = " + negatedOut[i]);
                }
                if (!(Math.abs(y) <= 1f)) {
                    fail("tanh(" + x + ") = " + y + " is outside [-1, 1]");
                }
                double exact = Math.tanh(x);
                double absolute = Math.abs(y - exact);
                if (absolute > maxAbsolute) {
                    maxAbsolute = absolute;
                    worstAbsolute = x;
                }
                if (exact == 0.0) {
                    if (Float.floatToRawIntBits(y) != Float.floatToRawIntBits(x)) {
                        fail("tanh(" + x + ") = " + y + ": a signed zero must come back unchanged");
                    }
                } else {
                    double relative = absolute / Math.abs(exact);
                    if (relative > maxRelative) {
                        maxRelative = relative;
                        worstRelative = x;
                    }
                }
                if (absolute > VectorTanh.MAX_ABSOLUTE_ERROR
                        || (exact != 0.0 && absolute > VectorTanh.MAX_RELATIVE_ERROR * Math.abs(exact))) {
                    fail("tanh(" + x + ") = " + y + ", exact " + exact + ": error " + absolute + " (relative "
                            + absolute / Math.abs(exact) + ") beyond the documented " + VectorTanh.MAX_ABSOLUTE_ERROR
                            + " absolute / " + VectorTanh.MAX_RELATIVE_ERROR + " relative");
                }
            }
        }
    }
}
