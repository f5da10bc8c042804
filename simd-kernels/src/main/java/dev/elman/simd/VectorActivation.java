package dev.elman.simd;

import dev.elman.kernels.Activation;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * φ and its derivative over array ranges: the finishing passes {@link Gemm} runs over each
 * register tile it has just written (still in L1), and the elementwise steps that no product
 * precedes (the first step of a span without {@code h0}, the first step of a backward span).
 *
 * <p>Only arrays cross these methods' boundaries, never vectors: a method taking a vector that
 * the JIT declines to inline would box it on every call.
 */
final class VectorActivation {
    private VectorActivation() {
    }

    /** {@code v[from …] = φ(v[from …])} over {@code count} elements; relu keeps NaN, as {@code Math.max} does. */
    static void applyInPlace(Activation act, float[] v, int from, int count) {
        if (act == Activation.TANH) {
            VectorTanh.apply(v, from, v, from, count);
        } else if (act == Activation.RELU) {
            for (int i = 0; i < count; i += Gemm.LANES) {
                VectorMask<Float> lanes = Gemm.SPECIES.indexInRange(i, count);
                FloatVector.fromArray(Gemm.SPECIES, v, from + i, lanes).max(0f).intoArray(v, from + i, lanes);
            }
        }
    }

    /**
     * {@code dz[dzFrom …] = φ'(h)·(g1 + g2)} over {@code count} elements, {@code φ'} recovered from
     * the output {@code h}; either gradient may be null (zero), and {@code dz} may be {@code g1}
     * (in place).
     */
    static void backward(Activation act, float[] g1, int g1From, float[] g2, int g2From,
                         float[] h, int hFrom, float[] dz, int dzFrom, int count) {
        for (int i = 0; i < count; i += Gemm.LANES) {
            VectorMask<Float> lanes = Gemm.SPECIES.indexInRange(i, count);
            FloatVector g = g1 == null ? FloatVector.zero(Gemm.SPECIES)
                    : FloatVector.fromArray(Gemm.SPECIES, g1, g1From + i, lanes);
            if (g2 != null) {
                g = g.add(FloatVector.fromArray(Gemm.SPECIES, g2, g2From + i, lanes));
            }
            if (act != Activation.IDENTITY) {
                FloatVector out = FloatVector.fromArray(Gemm.SPECIES, h, hFrom + i, lanes);
                FloatVector slope;
                if (act == Activation.TANH) {
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
}
