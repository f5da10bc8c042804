package dev.elman.simd;

import dev.elman.kernels.Activation;
import dev.elman.kernels.RecurrentWeights;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * A layer's φ (and its clip) and its derivative over array ranges: the finishing passes
 * {@link Gemm} runs over each register tile it has just written (still in L1), and the elementwise
 * steps that no product precedes (the first step of a span without {@code h0}, the first step of a
 * backward span). One instance per layer, made with its {@link PackedLayer}.
 *
 * <p>Only arrays cross these methods' boundaries, never vectors: a method taking a vector that
 * the JIT declines to inline would box it on every call.
 *
 * <h2>Paths</h2>
 * Each call dispatches once on the layer's kind and clip. tanh, relu and identity without a clip
 * keep the fused passes they always had (the tile epilogues of the hot loop), with no test per
 * element. The other kinds, and every clipped layer, go through straightforward lanewise passes:
 * <ul>
 *   <li>sigmoid {@code = ½(1 + tanh(z/2))} and scaled tanh {@code = α·tanh(βz)} through
 *       {@link VectorTanh}; affine, leaky relu, thresholded relu, hard sigmoid and softsign as
 *       vector arithmetic;</li>
 *   <li>elu and softplus need {@code e^z} and {@code log}: {@code lanewise(EXP)} takes the native
 *       path of JDK-8367333, so they compute each element in double with {@code Math.expm1},
 *       {@code Math.exp} and {@code Math.log1p} (a few ulps of double, then one rounding to float),
 *       about 20 ns an element: fine for kinds no benchmark runs;</li>
 *   <li>softplus's derivative {@code 1 − e^−h} likewise, element by element.</li>
 * </ul>
 * The errors beyond float rounding are stated with the kernel tests' tolerance rule
 * ({@code Tolerance.activationError}): sigmoid ½ of {@link VectorTanh#MAX_ABSOLUTE_ERROR}, scaled
 * tanh {@code |α|·(MAX_ABSOLUTE_ERROR + 0.45·2⁻²⁴)} (the rounding of {@code βz} moves tanh by at
 * most {@code max_u u·sech²u ≤ 0.45} of a unit roundoff), softsign one rounding of
 * {@code 1 + |z|} ({@code 2⁻²⁴·|h|}), elu and softplus a few units of double precision, the rest
 * none.
 *
 * <h2>Clipping</h2>
 * A clipped layer first bounds the range to {@code [−clip, clip]}, applies φ, and then writes the
 * contract's exact clipped outputs ({@link RecurrentWeights#clippedLow()}, {@code clippedHigh()})
 * wherever the result equals this class's own {@code φ(∓clip)}: every clipped element does (its
 * input was exactly {@code ∓clip}), and an unclipped one that does is within φ's error of the
 * exact value anyway. So both implementations write the same bits where they clipped, and
 * backward recognises them as the contract says.
 */
final class VectorActivation {
    private final Activation.Kind kind;
    private final float alpha;
    private final float beta;
    /** Scaled tanh's {@code β/α}, rounded once: the derivative is {@code (α − h)(α + h)·β/α}. */
    private final float slopeScale;
    private final boolean clipping;
    private final float clip;
    /** {@code φ(∓clip)} as this class computes it (meaningless without clipping). */
    private final float approximateLow;
    private final float approximateHigh;
    /** The contract's clipped outputs; NaN without clipping. */
    private final float exactLow;
    private final float exactHigh;

    /**
     * @param activation φ
     * @param clip the layer's clip bound, 0 for none
     * @param exactLow {@link RecurrentWeights#clippedLow()}
     * @param exactHigh {@link RecurrentWeights#clippedHigh()}
     */
    VectorActivation(Activation activation, float clip, float exactLow, float exactHigh) {
        this.kind = activation.kind();
        this.alpha = activation.alpha();
        this.beta = activation.beta();
        this.slopeScale = alpha == 0f ? 0f : (float) ((double) beta / alpha);
        this.clipping = clip > 0f;
        this.clip = clip;
        this.exactLow = exactLow;
        this.exactHigh = exactHigh;
        float[] bounds = {-clip, clip};
        applyKind(bounds, 0, 2);
        this.approximateLow = bounds[0];
        this.approximateHigh = bounds[1];
    }

    /** {@code v[from …] = φ(clip(v[from …]))} over {@code count} elements; NaN stays NaN. */
    static void applyInPlace(VectorActivation act, float[] v, int from, int count) {
        if (act.clipping) {
            act.applyClipped(v, from, count);
        } else {
            act.applyKind(v, from, count);
        }
    }

    /**
     * {@code dz[dzFrom …] = φ'(h)·(g1 + g2)} over {@code count} elements, {@code φ'} recovered from
     * the output {@code h} (0 at clipped outputs); either gradient may be null (zero), and
     * {@code dz} may be {@code g1} (in place).
     */
    static void backward(VectorActivation act, float[] g1, int g1From, float[] g2, int g2From,
                         float[] h, int hFrom, float[] dz, int dzFrom, int count) {
        Activation.Kind kind = act.kind;
        if (act.clipping || !(kind == Activation.Kind.TANH || kind == Activation.Kind.RELU
                || kind == Activation.Kind.IDENTITY)) {
            if (kind == Activation.Kind.SOFTPLUS) {
                act.softplusBackward(g1, g1From, g2, g2From, h, hFrom, dz, dzFrom, count);
            } else {
                act.lanewiseBackward(g1, g1From, g2, g2From, h, hFrom, dz, dzFrom, count);
            }
            return;
        }
        for (int i = 0; i < count; i += Gemm.LANES) {
            VectorMask<Float> lanes = Gemm.SPECIES.indexInRange(i, count);
            FloatVector g = g1 == null ? FloatVector.zero(Gemm.SPECIES)
                    : FloatVector.fromArray(Gemm.SPECIES, g1, g1From + i, lanes);
            if (g2 != null) {
                g = g.add(FloatVector.fromArray(Gemm.SPECIES, g2, g2From + i, lanes));
            }
            if (kind != Activation.Kind.IDENTITY) {
                FloatVector out = FloatVector.fromArray(Gemm.SPECIES, h, hFrom + i, lanes);
                FloatVector slope;
                if (kind == Activation.Kind.TANH) {
                    slope = out.neg().fma(out, FloatVector.broadcast(Gemm.SPECIES, 1f));
                } else {
                    // 1 where h > 0, else 0 (NaN h too); multiplied, not selected, so that 0·∞ is
                    // NaN here as in the reference.
                    slope = FloatVector.zero(Gemm.SPECIES).blend(1f, out.compare(VectorOperators.GT, 0f));
                }
                g = g.mul(slope);
            }
            g.intoArray(dz, dzFrom + i, lanes);
        }
    }

    /** φ without the clip. */
    private void applyKind(float[] v, int from, int count) {
        if (kind == Activation.Kind.TANH) {
            VectorTanh.apply(v, from, v, from, count);
            return;
        }
        if (kind == Activation.Kind.RELU) {
            for (int i = 0; i < count; i += Gemm.LANES) {
                VectorMask<Float> lanes = Gemm.SPECIES.indexInRange(i, count);
                FloatVector.fromArray(Gemm.SPECIES, v, from + i, lanes).max(0f).intoArray(v, from + i, lanes);
            }
            return;
        }
        switch (kind) {
            case IDENTITY -> {
            }
            case SIGMOID -> {
                scale(v, from, count, 0.5f);
                VectorTanh.apply(v, from, v, from, count);
                affine(v, from, count, 0.5f, 0.5f);
            }
            case AFFINE -> affine(v, from, count, alpha, beta);
            case SCALED_TANH -> {
                scale(v, from, count, beta);
                VectorTanh.apply(v, from, v, from, count);
                scale(v, from, count, alpha);
            }
            case LEAKY_RELU, THRESHOLDED_RELU, HARD_SIGMOID, SOFTSIGN -> piecewise(v, from, count);
            case ELU -> {
                double a = alpha;
                for (int i = from; i < from + count; i++) {
                    float z = v[i];
                    // NaN fails z >= 0 and stays NaN through expm1.
                    v[i] = z >= 0 ? z : (float) (a * Math.expm1(z));
                }
            }
            case SOFTPLUS -> {
                for (int i = from; i < from + count; i++) {
                    double z = v[i];
                    v[i] = (float) (Math.max(z, 0.0) + Math.log1p(Math.exp(-Math.abs(z))));
                }
            }
            default -> throw new AssertionError(kind);
        }
    }

    /** The kinds that are a few vector operations per lane, in one pass. */
    private void piecewise(float[] v, int from, int count) {
        var species = Gemm.SPECIES;
        for (int i = 0; i < count; i += Gemm.LANES) {
            VectorMask<Float> lanes = species.indexInRange(i, count);
            FloatVector z = FloatVector.fromArray(species, v, from + i, lanes);
            FloatVector out = switch (kind) {
                // z < 0 is false for NaN and −0, which therefore stay as they are, as in the reference.
                case LEAKY_RELU -> z.blend(z.mul(alpha), z.compare(VectorOperators.LT, 0f));
                // z ≤ α is false for NaN, which stays.
                case THRESHOLDED_RELU -> z.blend(0f, z.compare(VectorOperators.LE, alpha));
                // max and min keep NaN.
                case HARD_SIGMOID -> z.fma(FloatVector.broadcast(species, alpha), FloatVector.broadcast(species, beta))
                        .max(0f).min(1f);
                case SOFTSIGN -> z.div(z.abs().add(1f));
                default -> throw new AssertionError(kind);
            };
            out.intoArray(v, from + i, lanes);
        }
    }

    /** Bound, φ, then the contract's exact values where the result is this class's {@code φ(∓clip)}. */
    private void applyClipped(float[] v, int from, int count) {
        var species = Gemm.SPECIES;
        for (int i = 0; i < count; i += Gemm.LANES) {
            VectorMask<Float> lanes = species.indexInRange(i, count);
            // max and min keep NaN.
            FloatVector.fromArray(species, v, from + i, lanes).max(-clip).min(clip).intoArray(v, from + i, lanes);
        }
        applyKind(v, from, count);
        for (int i = 0; i < count; i += Gemm.LANES) {
            VectorMask<Float> lanes = species.indexInRange(i, count);
            FloatVector out = FloatVector.fromArray(species, v, from + i, lanes);
            out.blend(exactLow, out.compare(VectorOperators.EQ, approximateLow))
                    .blend(exactHigh, out.compare(VectorOperators.EQ, approximateHigh))
                    .intoArray(v, from + i, lanes);
        }
    }

    /** Every kind but softplus, clipped or not: the slope per lane, 0 at the clipped outputs. */
    private void lanewiseBackward(float[] g1, int g1From, float[] g2, int g2From, float[] h, int hFrom,
                                  float[] dz, int dzFrom, int count) {
        var species = Gemm.SPECIES;
        FloatVector one = FloatVector.broadcast(species, 1f);
        FloatVector zero = FloatVector.zero(species);
        FloatVector a = FloatVector.broadcast(species, alpha);
        for (int i = 0; i < count; i += Gemm.LANES) {
            VectorMask<Float> lanes = species.indexInRange(i, count);
            FloatVector g = g1 == null ? zero : FloatVector.fromArray(species, g1, g1From + i, lanes);
            if (g2 != null) {
                g = g.add(FloatVector.fromArray(species, g2, g2From + i, lanes));
            }
            FloatVector out = FloatVector.fromArray(species, h, hFrom + i, lanes);
            // Every slope is multiplied into g, never selected, so that 0·∞ is NaN as in the reference.
            FloatVector slope = switch (kind) {
                case TANH -> out.neg().fma(out, one);
                case RELU -> zero.blend(1f, out.compare(VectorOperators.GT, 0f));
                case IDENTITY -> one;
                // h − h², one rounding.
                case SIGMOID -> out.neg().fma(out, out);
                case AFFINE -> a;
                case LEAKY_RELU -> a.blend(1f, out.compare(VectorOperators.GT, 0f));
                // h ≠ 0 is true for NaN, as in the reference.
                case THRESHOLDED_RELU -> zero.blend(1f, out.compare(VectorOperators.NE, 0f));
                // (α − h)(α + h)·β/α: no cancellation near saturation, where h ≈ ±α.
                case SCALED_TANH -> alpha == 0f ? zero : a.sub(out).mul(a.add(out)).mul(slopeScale);
                case HARD_SIGMOID -> zero.blend(alpha,
                        out.compare(VectorOperators.GT, 0f).and(out.compare(VectorOperators.LT, 1f)));
                case ELU -> out.add(alpha).blend(1f, out.compare(VectorOperators.GT, 0f));
                case SOFTSIGN -> {
                    FloatVector rest = one.sub(out.abs());
                    yield rest.mul(rest);
                }
                default -> throw new AssertionError(kind);
            };
            if (clipping) {
                slope = slope.blend(0f, out.compare(VectorOperators.EQ, exactLow)
                        .or(out.compare(VectorOperators.EQ, exactHigh)));
            }
            g.mul(slope).intoArray(dz, dzFrom + i, lanes);
        }
    }

    /** Softplus: {@code φ' = 1 − e^−h}, element by element in double, then as the lanes do. */
    private void softplusBackward(float[] g1, int g1From, float[] g2, int g2From, float[] h, int hFrom,
                                  float[] dz, int dzFrom, int count) {
        for (int i = 0; i < count; i++) {
            float g = g1 == null ? 0f : g1[g1From + i];
            if (g2 != null) {
                g += g2[g2From + i];
            }
            float out = h[hFrom + i];
            float slope = out == exactLow || out == exactHigh ? 0f : (float) -Math.expm1(-out);
            dz[dzFrom + i] = g * slope;
        }
    }

    /** {@code v *= factor}. */
    private static void scale(float[] v, int from, int count, float factor) {
        for (int i = 0; i < count; i += Gemm.LANES) {
            VectorMask<Float> lanes = Gemm.SPECIES.indexInRange(i, count);
            FloatVector.fromArray(Gemm.SPECIES, v, from + i, lanes).mul(factor).intoArray(v, from + i, lanes);
        }
    }

    /** {@code v = v·a + b}, one rounding. */
    private static void affine(float[] v, int from, int count, float a, float b) {
        var species = Gemm.SPECIES;
        for (int i = 0; i < count; i += Gemm.LANES) {
            VectorMask<Float> lanes = species.indexInRange(i, count);
            FloatVector.fromArray(species, v, from + i, lanes)
                    .fma(FloatVector.broadcast(species, a), FloatVector.broadcast(species, b))
                    .intoArray(v, from + i, lanes);
        }
    }
}
