package dev.elman.simd;

import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Compares an output of the SIMD kernels with the reference's under {@link Tolerance}, and on
 * failure names the case, the output, the worst element (largest error/tolerance) with its
 * position, and the values.
 */
final class Comparison {
    /** Per output, the largest error/tolerance ratio seen in this JVM: how tight the rule is. */
    private static final Map<String, Double> WORST_RATIO = new TreeMap<>();
    private static final Map<String, String> WORST_CASE = new TreeMap<>();

    private Comparison() {
    }

    /** Names element {@code index} of an output, e.g. {@code "t=3 b=1 i=17"}. */
    interface Position {
        String of(int index);
    }

    /**
     * @param expected the reference's output, from {@code offset}
     * @param actual the SIMD output, from {@code offset}
     * @param tolerance per element, from 0
     */
    static void check(Object testCase, String output, float[] expected, float[] actual, int offset,
                      double[] tolerance, int count, Position position) {
        int worst = -1;
        double worstRatioHere = 0.0;
        for (int i = 0; i < count; i++) {
            float e = expected[offset + i];
            float a = actual[offset + i];
            if (Float.floatToIntBits(e) == Float.floatToIntBits(a)) {
                continue;
            }
            double ratio = Math.abs((double) a - e) / tolerance[i];
            if (!(ratio <= worstRatioHere)) {   // NaN ratios (one side NaN) are the worst of all
                worstRatioHere = Double.isNaN(ratio) ? Double.POSITIVE_INFINITY : ratio;
                worst = i;
            }
        }
        record(output, worstRatioHere, testCase.toString());
        if (worstRatioHere > 1.0) {
            int i = worst;
            fail(testCase + ": " + output + " differs beyond the tolerance at " + position.of(i)
                    + ": simd " + actual[offset + i] + ", reference " + expected[offset + i]
                    + ", |difference| " + Math.abs((double) actual[offset + i] - expected[offset + i])
                    + " > tolerance " + tolerance[i]);
        }
    }

    /** Fails when anything outside {@code [offset, offset + count)} is no longer the sentinel. */
    static void untouchedOutside(Object testCase, String output, float[] array, int offset, int count) {
        for (int i = 0; i < array.length; i++) {
            if ((i < offset || i >= offset + count) && Float.floatToIntBits(array[i]) != Float.floatToIntBits(SpanCase.SENTINEL)) {
                fail(testCase + ": " + output + "[" + i + "] outside the region [" + offset + ", " + (offset + count)
                        + ") was written (" + array[i] + ")");
            }
        }
    }

    private static synchronized void record(String output, double ratio, String where) {
        if (ratio >= WORST_RATIO.getOrDefault(output, 0.0)) {
            WORST_RATIO.put(output, ratio);
            WORST_CASE.put(output, where);
        }
    }

    /** @return per output, the largest error/tolerance ratio of this JVM and the case it was seen in */
    static synchronized String worstSoFar() {
        StringBuilder report = new StringBuilder();
        WORST_RATIO.forEach((output, ratio) -> report.append(String.format("%n  %-4s %.4f  %s", output, ratio,
                WORST_CASE.get(output))));
        return report.toString();
    }
}
