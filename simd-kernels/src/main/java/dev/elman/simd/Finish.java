package dev.elman.simd;

import dev.elman.kernels.Activation;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * The last step of a {@link Gemm} register tile, one vector at a time: store, add, activate or
 * backpropagate through the activation, while the accumulator is still in a register.
 *
 * <p>These are small on purpose: they take a vector, so they must be inlined into the tile (a
 * call that is not inlined would box it), and the JIT always inlines methods this small.
 */
final class Finish {
    private Finish() {
    }

    /** Finishes a whole vector at {@code c[ci]}. */
    static void full(FloatVector v, float[] c, int ci, int finish, Activation act,
                     float[] dh, int dhShift, float[] h, int hShift) {
        switch (finish) {
            case Gemm.STORE -> v.intoArray(c, ci);
            case Gemm.ADD -> v.add(FloatVector.fromArray(Gemm.SPECIES, c, ci)).intoArray(c, ci);
            case Gemm.ACTIVATE -> VectorActivation.apply(act, v).intoArray(c, ci);
            default -> {
                FloatVector g = dh == null ? v : v.add(FloatVector.fromArray(Gemm.SPECIES, dh, ci + dhShift));
                VectorActivation.backward(act, g, FloatVector.fromArray(Gemm.SPECIES, h, ci + hShift))
                        .intoArray(c, ci);
            }
        }
    }

    /** Finishes the first {@code lanes} lanes of a vector at {@code c[ci]}. */
    static void masked(FloatVector v, float[] c, int ci, int lanes, int finish, Activation act,
                       float[] dh, int dhShift, float[] h, int hShift) {
        VectorMask<Float> mask = Gemm.SPECIES.indexInRange(0, lanes);
        switch (finish) {
            case Gemm.STORE -> v.intoArray(c, ci, mask);
            case Gemm.ADD -> v.add(FloatVector.fromArray(Gemm.SPECIES, c, ci, mask)).intoArray(c, ci, mask);
            case Gemm.ACTIVATE -> VectorActivation.apply(act, v).intoArray(c, ci, mask);
            default -> {
                FloatVector g = dh == null ? v : v.add(FloatVector.fromArray(Gemm.SPECIES, dh, ci + dhShift, mask));
                VectorActivation.backward(act, g, FloatVector.fromArray(Gemm.SPECIES, h, ci + hShift, mask))
                        .intoArray(c, ci, mask);
            }
        }
    }
}
