package dev.elman.simd;

import dev.elman.kernels.Activation;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * φ and its derivative on vectors, and the same as passes over array ranges for the places where
 * no matrix product precedes them (the first step of a span without {@code h0}, the first step
 * of a backward span, padded spans).
 */
final class VectorActivation {
    private VectorActivation() {
    }

    /** @return {@code φ(z)} lane by lane; relu keeps NaN, as {@code Math.max} does */
    static FloatVector apply(Activation act, FloatVector z) {
        if (act == Activation.TANH) {
            return VectorTanh.tanh(z);
        }
        if (act == Activation.RELU) {
            return z.max(0f);
        }
        return z;
    }

    /**
     * @param g {@code dL/dh}
     * @param h the output {@code φ(z)}
     * @return {@code dL/dz = φ'(z)·g}, with {@code φ'} recovered from {@code h}
     */
    static FloatVector backward(Activation act, FloatVector g, FloatVector h) {
        if (act == Activation.TANH) {
            return g.mul(h.neg().fma(h, FloatVector.broadcast(Gemm.SPECIES, 1f)));
        }
        if (act == Activation.RELU) {
            // φ' is 1 where h > 0 and 0 elsewhere (also for NaN h); multiplying, not selecting,
            // keeps 0·∞ = NaN visible as the reference computes it.
            FloatVector zero = FloatVector.zero(Gemm.SPECIES);
            return g.mul(zero.blend(1f, h.compare(VectorOperators.GT, 0f)));
        }
        return g;
    }

    /** {@code v[from …] = φ(v[from …])} over {@code count} elements. */
    static void applyInPlace(Activation act, float[] v, int from, int count) {
        if (act == Activation.IDENTITY) {
            return;
        }
        int i = 0;
        for (; i + Gemm.LANES <= count; i += Gemm.LANES) {
            apply(act, FloatVector.fromArray(Gemm.SPECIES, v, from + i)).intoArray(v, from + i);
        }
        if (i < count) {
            VectorMask<Float> mask = Gemm.SPECIES.indexInRange(i, count);
            apply(act, FloatVector.fromArray(Gemm.SPECIES, v, from + i, mask)).intoArray(v, from + i, mask);
        }
    }

    /**
     * {@code dz[dzFrom …] = φ'(h)·(g1 + g2)} over {@code count} elements, where either gradient
     * may be null (zero).
     */
    static void backward(Activation act, float[] g1, int g1From, float[] g2, int g2From,
                         float[] h, int hFrom, float[] dz, int dzFrom, int count) {
        for (int i = 0; i < count; i += Gemm.LANES) {
            VectorMask<Float> mask = Gemm.SPECIES.indexInRange(i, count);
            FloatVector g = FloatVector.zero(Gemm.SPECIES);
            if (g1 != null) {
                g = FloatVector.fromArray(Gemm.SPECIES, g1, g1From + i, mask);
            }
            if (g2 != null) {
                g = g.add(FloatVector.fromArray(Gemm.SPECIES, g2, g2From + i, mask));
            }
            backward(act, g, FloatVector.fromArray(Gemm.SPECIES, h, hFrom + i, mask)).intoArray(dz, dzFrom + i, mask);
        }
    }
}
