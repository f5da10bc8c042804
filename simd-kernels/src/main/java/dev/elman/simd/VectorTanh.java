package dev.elman.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * {@code tanh} on whole float vectors, inline, branch-free.
 *
 * <p>Why not the alternatives: {@code Math.tanh} per lane costs ~20 ns an element, and
 * {@code lanewise(VectorOperators.TANH)} goes through a native call path that JDK 25 miscompiles in
 * some shapes (JDK-8367333). This is about 35 vector instructions for 16 lanes.
 *
 * <h2>Method</h2>
 * Two branches are computed for every lane and blended on {@code |x| < 0.9}:
 * <ul>
 *   <li>small {@code |x|}: {@code tanh x = x·(1 + x²·P(x²))}, {@code P} a degree-6 polynomial
 *       fitted here (Remez exchange on the relative error of tanh over {@code x ∈ [0, 0.9]}, fit
 *       error 1.1e-9). The factored form keeps the relative error small down to the subnormals and
 *       returns {@code ±0} with its sign.</li>
 *   <li>otherwise: {@code tanh |x| = 1 − 2e/(1 + e)} with {@code e = exp(−2|x|) ≤ 0.17}, so nothing
 *       overflows and the subtraction loses nothing; {@code exp} is {@code 2ⁿ·Q(r)} with
 *       {@code n = round(y·log₂e)}, {@code r = y − n·ln 2} (two-part {@code ln 2} with fused
 *       multiply-adds) and {@code Q} a degree-6 polynomial fitted here on {@code |r| ≤ ln2/2}
 *       (relative fit error 1.9e-9); {@code 2ⁿ} is built in the exponent bits. {@code |x|} is
 *       clamped to 10 first, where {@code tanh} is 1 in float.</li>
 * </ul>
 * NaN propagates (the clamp is a compare-and-blend, which keeps NaN, and every later step is
 * arithmetic on it); {@code ±∞} give {@code ±1}; {@code ±0} and subnormals come back unchanged;
 * the result is exactly odd.
 *
 * <h2>Measured error</h2>
 * Against {@code Math.tanh} in double, over every one of the 2³² float bit patterns
 * ({@code VectorTanhTest} with {@code -Delman.tanh.exhaustive=true}, 39 s): at most 7.53e-8
 * absolute and 1.053e-7 relative, both at {@code x = 0.89757216} (the small branch at the end of
 * its interval; 1.3 units in the last place of the result 0.715). The constants below are these
 * maxima rounded up; the normal test build checks them on 1.05·10⁸ floats spread evenly over all
 * bit patterns plus the special values, and the tolerance rule of the kernel tests takes
 * {@link #MAX_ABSOLUTE_ERROR} as the activation's error.
 */
final class VectorTanh {
    /** The largest {@code |approximation − tanh x|} over all floats (measured, see class comment). */
    static final double MAX_ABSOLUTE_ERROR = 7.6e-8;
    /** The largest {@code |approximation − tanh x| / |tanh x|} over all non-zero results. */
    static final double MAX_RELATIVE_ERROR = 1.06e-7;

    private static final float SMALL_LIMIT = 0.9f;
    private static final float CLAMP = 10f;
    // P(s) for tanh x = x·(1 + s·P(s)), s = x², |x| < 0.9.
    private static final float P0 = -0.333333222635f;
    private static final float P1 = 0.133329782658f;
    private static final float P2 = -0.0539293017487f;
    private static final float P3 = 0.0216635430474f;
    private static final float P4 = -0.00826454487712f;
    private static final float P5 = 0.00258266877785f;
    private static final float P6 = -0.000455460310471f;
    // Q(r) ≈ e^r, |r| ≤ ln2/2.
    private static final float Q0 = 1.00000000055f;
    private static final float Q1 = 1.00000003632f;
    private static final float Q2 = 0.499999920798f;
    private static final float Q3 = 0.166664201698f;
    private static final float Q4 = 0.0416682255694f;
    private static final float Q5 = 0.00837481580749f;
    private static final float Q6 = 0.00138368460376f;
    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HIGH = 0.693147182464599609375f;
    private static final float LN2_LOW = -1.904654299957768e-9f;
    /** 1.5·2²³: adding it rounds to an integer and leaves that integer in the low mantissa bits. */
    private static final float ROUNDING_MAGIC = 12582912f;

    private VectorTanh() {
    }

    /**
     * {@code target[targetFrom + i] = tanh(source[sourceFrom + i])} for {@code i < count}; the
     * arrays may be the same (in place).
     *
     * <p>The arithmetic is written inside the loop rather than in a method taking a vector: such a
     * method is too large for the JIT to inline, and a call that is not inlined boxes its vectors.
     */
    static void apply(float[] source, int sourceFrom, float[] target, int targetFrom, int count) {
        var species = Gemm.SPECIES;
        for (int i = 0; i < count; i += Gemm.LANES) {
            VectorMask<Float> lanes = species.indexInRange(i, count);
            FloatVector x = FloatVector.fromArray(species, source, sourceFrom + i, lanes);
            FloatVector a = x.abs();

            FloatVector s = x.mul(x);
            FloatVector p = s.fma(P6, P5);
            p = p.fma(s, FloatVector.broadcast(species, P4));
            p = p.fma(s, FloatVector.broadcast(species, P3));
            p = p.fma(s, FloatVector.broadcast(species, P2));
            p = p.fma(s, FloatVector.broadcast(species, P1));
            p = p.fma(s, FloatVector.broadcast(species, P0));
            FloatVector nearZero = x.mul(s.fma(p, FloatVector.broadcast(species, 1f)));

            FloatVector y = a.blend(CLAMP, a.compare(VectorOperators.GT, CLAMP)).mul(-2f);
            FloatVector rounded = y.fma(LOG2E, ROUNDING_MAGIC);
            FloatVector n = rounded.sub(ROUNDING_MAGIC);
            FloatVector r = n.fma(FloatVector.broadcast(species, -LN2_HIGH), y);
            r = n.fma(FloatVector.broadcast(species, -LN2_LOW), r);
            FloatVector q = r.fma(Q6, Q5);
            q = q.fma(r, FloatVector.broadcast(species, Q4));
            q = q.fma(r, FloatVector.broadcast(species, Q3));
            q = q.fma(r, FloatVector.broadcast(species, Q2));
            q = q.fma(r, FloatVector.broadcast(species, Q1));
            q = q.fma(r, FloatVector.broadcast(species, Q0));
            // The integer n sits in the low mantissa bits of `rounded`; shifted into the exponent
            // field (the magic's own bits shift out of the word) it makes 2ⁿ.
            FloatVector twoToN = rounded.reinterpretAsInts().add(127).lanewise(VectorOperators.LSHL, 23)
                    .reinterpretAsFloats();
            FloatVector e = q.mul(twoToN);
            FloatVector one = FloatVector.broadcast(species, 1f);
            FloatVector magnitude = one.sub(e.add(e).div(one.add(e)));
            FloatVector awayFromZero = magnitude.blend(magnitude.neg(), x.compare(VectorOperators.LT, 0f));

            awayFromZero.blend(nearZero, a.compare(VectorOperators.LT, SMALL_LIMIT))
                    .intoArray(target, targetFrom + i, lanes);
        }
    }
}
