package dev.elman.reference;

import dev.elman.kernels.Bfloat16;
import dev.elman.kernels.Int8Rows;
import dev.elman.kernels.WeightPrecision;
import dev.elman.testing.Trials;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The number formats of reduced-precision weights: bfloat16 rounding ({@link Bfloat16}) against an
 * exact, independent computation of round-to-nearest-even, and its order properties; int8 rows
 * ({@link Int8Rows}); and {@link WeightPrecision}'s parsing, representability check and the error
 * {@link WeightPrecision#bound()} promises for every weight {@link WeightPrecision#round} produces.
 */
class WeightPrecisionTest {
    /** Random float bit patterns per seed of the bfloat16 properties. */
    private static final int VALUES_PER_SEED = 2000;

    static LongStream nearestSeeds() {
        return Trials.seeds("bf16-nearest-even", Trials.tries(25));
    }

    static LongStream orderSeeds() {
        return Trials.seeds("bf16-order", Trials.tries(25));
    }

    static LongStream int8Seeds() {
        return Trials.seeds("int8-rows", Trials.tries(200));
    }

    static Stream<Arguments> boundCases() {
        return Arrays.stream(WeightPrecision.values()).flatMap(precision -> Trials.seeds("precision-bound",
                Trials.tries(150)).mapToObj(seed -> Arguments.of(precision, seed)));
    }

    // ---- bfloat16 ---------------------------------------------------------------------------

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("nearestSeeds")
    void bfloat16RoundsToTheNearestTiesToEven(long seed) {
        Random random = new Random(seed);
        for (int i = 0; i < VALUES_PER_SEED; i++) {
            // Every finite bit pattern is equally likely: subnormals, huge values and both signs.
            float value = finite(random);
            assertNearestEven(value);
            // The halfway point between two bfloat16 neighbours, the case the tie rule decides.
            int halfway = (Float.floatToRawIntBits(value) & 0xFFFF0000) | 0x8000;
            if (Float.isFinite(Float.intBitsToFloat(halfway))) {
                assertNearestEven(Float.intBitsToFloat(halfway));
            }
        }
    }

    @Test
    void bfloat16TiesGoToTheEvenNeighbour() {
        // 1 + 2⁻⁸ lies halfway between 1 (fraction ...0, even) and 1 + 2⁻⁷ (odd): down to 1.
        assertEquals(1f, Bfloat16.round(1f + 0x1p-8f));
        // 1 + 3·2⁻⁸ lies halfway between 1 + 2⁻⁷ (odd) and 1 + 2⁻⁶ (even): up.
        assertEquals(1f + 0x1p-6f, Bfloat16.round(1f + 3 * 0x1p-8f));
        assertEquals(-(1f + 0x1p-6f), Bfloat16.round(-(1f + 3 * 0x1p-8f)), "the sign does not change the rule");
        // Just above and below the tie: the nearest, whatever the evenness.
        assertEquals(1f + 0x1p-7f, Bfloat16.round(Math.nextUp(1f + 0x1p-8f)));
        assertEquals(1f + 0x1p-7f, Bfloat16.round(Math.nextDown(1f + 3 * 0x1p-8f)));
        // The largest float rounding to bfloat16's largest value, and the tie above it (odd: up, to ∞).
        assertEquals(Bfloat16.MAX_VALUE, Bfloat16.round(Float.intBitsToFloat(0x7F7F7FFF)));
        assertEquals(Float.POSITIVE_INFINITY, Bfloat16.round(Float.intBitsToFloat(0x7F7F8000)));
        assertEquals(0x1.FEp127f, Bfloat16.MAX_VALUE, "(2 − 2⁻⁷)·2¹²⁷");
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("orderSeeds")
    void bfloat16RoundingIsMonotoneAndIdempotent(long seed) {
        Random random = new Random(seed);
        float[] values = new float[VALUES_PER_SEED];
        for (int i = 0; i < values.length; i++) {
            // Half of them close together (neighbours within a few bfloat16 steps), half anywhere.
            values[i] = i % 2 == 0 ? finite(random)
                    : Float.intBitsToFloat(Float.floatToRawIntBits(values[i - 1]) + random.nextInt(1 << 18) - (1 << 17));
            if (!Float.isFinite(values[i])) {
                values[i] = 0f;
            }
        }
        Arrays.sort(values);
        for (int i = 0; i < values.length; i++) {
            float rounded = Bfloat16.round(values[i]);
            if (i > 0 && !(Bfloat16.round(values[i - 1]) <= rounded)) {
                fail("round is not monotone: round(" + hex(values[i - 1]) + ") > round(" + hex(values[i]) + ")");
            }
            assertEquals(Float.floatToRawIntBits(rounded), Float.floatToRawIntBits(Bfloat16.round(rounded)),
                    () -> "round(round(x)) ≠ round(x) for x = " + hex(rounded));
            assertEquals(Float.floatToRawIntBits(rounded) & 0xFFFF, 0, () -> "round(" + hex(rounded) + ") has low bits set");
        }
        // Signed zeros and the smallest values keep their sign.
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(Bfloat16.round(-0f)));
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(Bfloat16.round(-Float.MIN_VALUE)));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("orderSeeds")
    void bfloat16IsExactForValuesOfAtMostEightSignificantBits(long seed) {
        Random random = new Random(seed);
        for (int i = 0; i < VALUES_PER_SEED; i++) {
            // A normal float m·2^e with an integer m of at most 8 bits.
            int significand = 1 + random.nextInt(255);
            float value = (random.nextBoolean() ? -1 : 1) * Math.scalb((float) significand, -133 + random.nextInt(261));
            if (!Float.isFinite(value) || Math.abs(value) < Float.MIN_NORMAL) {
                continue;
            }
            assertEquals(value, Bfloat16.round(value), () -> "not exact: " + hex(value));
            assertEquals(value, Bfloat16.value(Bfloat16.bits(value)));
        }
        // Subnormal floats are exact only when bfloat16 has them too: the 7 upper fraction bits.
        float subnormal = Float.intBitsToFloat(0x00350000);
        assertEquals(subnormal, Bfloat16.round(subnormal));
    }

    @Test
    void bfloat16OverflowIsRefusedNamingTheArrayAndIndex() {
        float[] weights = {0.5f, -2f, Bfloat16.MAX_VALUE, -Float.MAX_VALUE, 1f};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WeightPrecision.BF16.checkRepresentable("wh", weights));
        assertTrue(e.getMessage().contains("wh[3]"), e.getMessage());
        assertTrue(e.getMessage().contains("bfloat16"), e.getMessage());
        // The same values are fine in float32, and in int8, which scales the row, all but ±Float.MAX_VALUE
        // itself (see int8RowsAtTheEndsOfTheFloatRange).
        WeightPrecision.F32.checkRepresentable("wh", weights);
        float[] belowTheTop = weights.clone();
        belowTheTop[3] = -Math.nextDown(Float.MAX_VALUE);
        WeightPrecision.INT8.checkRepresentable("wh", belowTheTop);
        // Up to the largest float that rounds to bfloat16's largest value, nothing is refused.
        WeightPrecision.BF16.checkRepresentable("wx", new float[] {Float.intBitsToFloat(0x7F7F7FFF),
                -Float.intBitsToFloat(0x7F7F7FFF), Float.MIN_VALUE});
        IllegalArgumentException tie = assertThrows(IllegalArgumentException.class,
                () -> WeightPrecision.BF16.checkRepresentable("wx", new float[] {Float.intBitsToFloat(0x7F7F8000)}));
        assertTrue(tie.getMessage().contains("wx[0]"), tie.getMessage());
    }

    @Test
    void nonFiniteWeightsAreRefusedByEveryPrecision() {
        for (WeightPrecision precision : WeightPrecision.values()) {
            for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
                float[] weights = {1f, 2f, bad};
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> precision.checkRepresentable("wx", weights), precision + " " + bad);
                assertTrue(e.getMessage().contains("wx[2]"), e.getMessage());
                assertTrue(e.getMessage().contains(Float.toString(bad)), e.getMessage());
            }
        }
        assertTrue(Float.isNaN(Bfloat16.round(Float.NaN)), "NaN stays NaN");
        assertEquals(Float.NEGATIVE_INFINITY, Bfloat16.round(Float.NEGATIVE_INFINITY));
    }

    // ---- int8 -------------------------------------------------------------------------------

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("int8Seeds")
    void int8RowsUseTheFullRangeAndNoMore(long seed) {
        Random random = new Random(seed);
        int rows = 1 + random.nextInt(6);
        int cols = 1 + random.nextInt(40);
        float[] w = normalMatrix(random, rows, cols);
        float[] rounded = new float[w.length];
        WeightPrecision.INT8.round(w, rows, cols, rounded);
        for (int r = 0; r < rows; r++) {
            int from = r * cols;
            float scale = Int8Rows.scale(w, from, cols);
            float largest = 0f;
            int largestAt = from;
            for (int j = from; j < from + cols; j++) {
                if (Math.abs(w[j]) > largest) {
                    largest = Math.abs(w[j]);
                    largestAt = j;
                }
            }
            String row = "row " + r + " of " + rows + " × " + cols + " (largest " + largest + ")";
            if (largest == 0f) {
                assertEquals(0f, scale, row + ": a zero row has scale 0");
                for (int j = from; j < from + cols; j++) {
                    assertEquals(0, Int8Rows.quantize(w[j], scale), row);
                    assertEquals(0f, rounded[j], row + ": a zero row rounds to zeros");
                }
                continue;
            }
            assertTrue(scale > 0f, row + ": scale " + scale);
            for (int j = from; j < from + cols; j++) {
                byte q = Int8Rows.quantize(w[j], scale);
                assertTrue(q >= -127 && q <= 127, row + ": q = " + q + " for " + w[j]);
                assertEquals(Int8Rows.value(q, scale), rounded[j], row + ": round() is value(quantize())");
                assertTrue(w[j] == 0f ? q == 0 : q == 0 || Math.signum(q) == Math.signum(w[j]),
                        row + ": q = " + q + " has the sign of " + w[j]);
            }
            byte top = Int8Rows.quantize(w[largestAt], scale);
            assertEquals(Math.copySign(127, w[largestAt]), top, row + ": the largest weight is ±127 steps");
        }
    }

    @Test
    void int8ZeroMatrixAndRowsOfOneValue() {
        float[] zeros = new float[12];
        float[] target = new float[12];
        Arrays.fill(target, 7f);
        WeightPrecision.INT8.round(zeros, 3, 4, target);
        assertTrue(Arrays.equals(zeros, target), Arrays.toString(target));
        // A row whose every weight is its maximum keeps it exactly (127 · max/127 rounds back for these).
        float[] same = {0.25f, -0.25f, 0.25f, 3f, 3f, -3f};
        WeightPrecision.INT8.round(same, 2, 3, target = new float[6]);
        for (int i = 0; i < same.length; i++) {
            assertEquals(same[i], target[i], 1e-6 * Math.abs(same[i]), "element " + i);
        }
    }

    @Test
    void int8RowsAtTheEndsOfTheFloatRange() {
        // A row whose max/127 underflows takes the smallest positive scale: its weights are then
        // whole numbers of steps, kept exactly (fewer than 127 steps: the top is not ±127 here).
        float[] tiny = {Float.MIN_VALUE, -3 * Float.MIN_VALUE, 0f};
        assertEquals(Float.MIN_VALUE, Int8Rows.scale(tiny, 0, 3));
        float[] rounded = new float[3];
        WeightPrecision.INT8.round(tiny, 1, 3, rounded);
        assertTrue(Arrays.equals(tiny, rounded), Arrays.toString(rounded));
        // What checkRepresentable accepts rounds to finite values: here 127 steps of max/127 would
        // round past float32's range for a weight of exactly ±Float.MAX_VALUE.
        float[] huge = {Float.MAX_VALUE, -Float.MAX_VALUE, Math.nextDown(Float.MAX_VALUE), 1f};
        for (WeightPrecision precision : WeightPrecision.values()) {
            try {
                precision.checkRepresentable("wh", huge);
            } catch (IllegalArgumentException refused) {
                assertTrue(refused.getMessage().contains("wh["), refused.getMessage());
                continue;
            }
            float[] values = new float[huge.length];
            precision.round(huge, 1, huge.length, values);
            for (int i = 0; i < huge.length; i++) {
                assertTrue(Float.isFinite(values[i]), precision.label() + ": checkRepresentable accepts " + huge[i]
                        + ", which rounds to " + values[i]);
            }
        }
    }

    // ---- the bound ----------------------------------------------------------------------------

    /**
     * Every weight {@link WeightPrecision#round} produces lies within {@link WeightPrecision#bound()}
     * of its float32 value, {@code |ŵ − w| ≤ rel·|w| + abs·max_j|w_row j|}, over random matrices
     * whose rows range from 2⁻¹⁰⁰ to near bfloat16's largest values, with zeros and weights far
     * below their row's maximum. The difference and the bound are computed exactly (BigDecimal).
     */
    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("boundCases")
    void everyRoundedWeightIsWithinTheBound(WeightPrecision precision, long seed) {
        Random random = new Random(seed);
        int rows = 1 + random.nextInt(8);
        int cols = 1 + random.nextInt(70);
        assertWithinBound(precision, normalMatrix(random, rows, cols), rows, cols);
    }

    /**
     * The same bound for subnormal weights and for int8 rows whose scale {@code max/127} is
     * subnormal (row maxima below {@code 127·2⁻¹²⁶ ≈ 1.5e−36}). Here the rounding has an absolute
     * floor the relative terms do not cover: bfloat16's subnormals are {@code 2⁻¹³³} apart (error up
     * to {@code 2⁻¹³⁴}), and a subnormal int8 scale is off by up to {@code 2⁻¹⁵⁰}, which the largest
     * weight's 127 steps multiply (up to {@code 127·2⁻¹⁵⁰}).
     */
    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("boundCases")
    void subnormalWeightsAreWithinTheBound(WeightPrecision precision, long seed) {
        Random random = new Random(seed);
        int rows = 1 + random.nextInt(8);
        int cols = 1 + random.nextInt(70);
        assertWithinBound(precision, tinyMatrix(random, rows, cols), rows, cols);
    }

    private static void assertWithinBound(WeightPrecision precision, float[] w, int rows, int cols) {
        precision.checkRepresentable("w", w);
        float[] rounded = new float[w.length];
        precision.round(w, rows, cols, rounded);
        double[] bound = precision.bound();
        BigDecimal relative = new BigDecimal(bound[0]);
        BigDecimal absolute = new BigDecimal(bound[1]);
        BigDecimal floor = new BigDecimal(bound[2]);
        for (int r = 0; r < rows; r++) {
            float rowMax = 0f;
            for (int j = r * cols; j < (r + 1) * cols; j++) {
                rowMax = Math.max(rowMax, Math.abs(w[j]));
            }
            for (int j = r * cols; j < (r + 1) * cols; j++) {
                BigDecimal error = new BigDecimal(rounded[j]).subtract(new BigDecimal(w[j])).abs();
                BigDecimal allowed = relative.multiply(new BigDecimal(Math.abs(w[j])))
                        .add(absolute.multiply(new BigDecimal(rowMax))).add(floor);
                if (error.compareTo(allowed) > 0) {
                    fail(precision.label() + ", " + rows + " × " + cols + ", row " + r + " (max " + hex(rowMax) + "): "
                            + hex(w[j]) + " rounds to " + hex(rounded[j]) + ", off by " + error.doubleValue()
                            + ", more than the bound " + allowed.doubleValue());
                }
            }
        }
    }

    @Test
    void roundMayWriteInPlaceAndChecksItsShape() {
        float[] w = {0.1f, 0.2f, -0.3f, 0.7f};
        float[] expected = new float[4];
        WeightPrecision.BF16.round(w, 2, 2, expected);
        WeightPrecision.BF16.round(w, 2, 2, w);
        assertTrue(Arrays.equals(expected, w));
        float[] copy = new float[4];
        WeightPrecision.F32.round(w, 2, 2, copy);
        assertTrue(Arrays.equals(w, copy), "f32 copies");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WeightPrecision.INT8.round(new float[6], 2, 2, new float[4]));
        assertTrue(e.getMessage().contains("2 × 2"), e.getMessage());
    }

    // ---- names --------------------------------------------------------------------------------

    @Test
    void parseAcceptsTheLabelsInAnyCaseAndRefusesOthersListingTheChoices() {
        for (WeightPrecision precision : WeightPrecision.values()) {
            assertSame(precision, WeightPrecision.parse(precision.label()));
            assertSame(precision, WeightPrecision.parse(precision.label().toUpperCase(java.util.Locale.ROOT)));
        }
        assertSame(WeightPrecision.BF16, WeightPrecision.parse("Bf16"));
        assertEquals(4, WeightPrecision.F32.bytesPerWeight());
        assertEquals(2, WeightPrecision.BF16.bytesPerWeight());
        assertEquals(1, WeightPrecision.INT8.bytesPerWeight());
        for (String bad : new String[] {"fp16", "", "int4", "float32", null}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WeightPrecision.parse(bad),
                    String.valueOf(bad));
            assertTrue(e.getMessage().contains("f32, bf16, int8"), e.getMessage());
            assertTrue(e.getMessage().contains(String.valueOf(bad)), e.getMessage());
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    /**
     * Checks {@link Bfloat16#round} against round-to-nearest-even computed exactly: the two
     * bfloat16 values around {@code value} (its bits cut to the upper 16, and the next one away from
     * zero, which past the largest is 2¹²⁸, standing for an infinity), compared in BigDecimal.
     */
    private static void assertNearestEven(float value) {
        int bits = Float.floatToRawIntBits(value);
        int lowerBits = bits & 0xFFFF0000;
        int upperBits = lowerBits + 0x10000;
        BigDecimal exact = new BigDecimal(value).abs();
        BigDecimal lower = new BigDecimal(Float.intBitsToFloat(lowerBits)).abs();
        boolean upperIsInfinite = (upperBits & 0x7F800000) == 0x7F800000;
        BigDecimal upper = upperIsInfinite ? new BigDecimal(Math.scalb(1.0, 128))
                : new BigDecimal(Float.intBitsToFloat(upperBits)).abs();
        int side = exact.subtract(lower).compareTo(upper.subtract(exact));
        boolean up = side > 0 || side == 0 && ((lowerBits >>> 16) & 1) == 1;
        float expected = up ? upperIsInfinite ? Math.copySign(Float.POSITIVE_INFINITY, value)
                : Float.intBitsToFloat(upperBits) : Float.intBitsToFloat(lowerBits);
        float actual = Bfloat16.round(value);
        if (Float.floatToRawIntBits(expected) != Float.floatToRawIntBits(actual)) {
            fail("round(" + hex(value) + ") = " + hex(actual) + ", expected " + hex(expected));
        }
    }

    /** A finite float of uniformly random bits. */
    private static float finite(Random random) {
        while (true) {
            float value = Float.intBitsToFloat(random.nextInt());
            if (Float.isFinite(value)) {
                return value;
            }
        }
    }

    /**
     * A matrix whose rows have random magnitudes {@code 2^minExponent … 2^maxExponent}, some rows
     * zero, some with zeros and with weights far below the row's largest.
     *
     * @param flushBelow weights of smaller magnitude become 0 (0: none do)
     */
    private static float[] matrix(Random random, int rows, int cols, int minExponent, int maxExponent,
                                  double flushBelow) {
        float[] w = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            int kind = random.nextInt(8);
            if (kind == 0) {
                continue;
            }
            double magnitude = Math.scalb(1.0, minExponent + random.nextInt(maxExponent - minExponent + 1));
            for (int j = r * cols; j < (r + 1) * cols; j++) {
                double spread = kind == 1 ? Math.scalb(1.0, -random.nextInt(40)) : 1;
                float value = (float) ((2 * random.nextDouble() - 1) * spread * magnitude);
                w[j] = random.nextInt(8) == 0 || Math.abs(value) < flushBelow ? 0f : value;
            }
        }
        return w;
    }

    /**
     * Rows from 2⁻¹⁰⁰ to 2¹²⁷ (below bfloat16's largest value), every weight 0 or at least 2⁻¹⁰⁰:
     * normal floats, and normal int8 scales.
     */
    private static float[] normalMatrix(Random random, int rows, int cols) {
        return matrix(random, rows, cols, -100, 127, 0x1p-100);
    }

    /** Rows from 2⁻¹⁴⁹ to 2⁻¹⁰⁰: subnormal weights, and int8 rows whose scale is subnormal. */
    private static float[] tinyMatrix(Random random, int rows, int cols) {
        return matrix(random, rows, cols, -149, -100, 0);
    }

    private static String hex(float value) {
        return Float.toHexString(value) + " (" + value + ")";
    }
}
