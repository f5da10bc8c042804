package dev.elman.simd;

import dev.elman.kernels.Bfloat16;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

import static dev.elman.simd.Gemm.GROUP;
import static dev.elman.simd.Gemm.LANES;
import static dev.elman.simd.Gemm.SPECIES;

/**
 * {@link NarrowPanels} of bfloat16 weights, two vectors' worth in one vector of ints.
 *
 * <p>Within a column group, row {@code k} holds its vectors in pairs: int lane {@code j} of pair
 * {@code p} carries column {@code j} of vector {@code 2p} in its low 16 bits and of vector
 * {@code 2p + 1} in its high 16 bits (zero when the group has no such vector). A float's upper
 * half is its bfloat16, so widening is one shift left by 16 for the low vector and one mask of
 * the low bits for the high one — no cross-lane shuffle, two cheap operations per 2·LANES
 * weights. Group {@code g} starts at {@code g·depth·(GROUP/2)·LANES} ints (all earlier groups are
 * full); its row {@code k} at {@code k·pairs·LANES} after that.
 */
final class Bf16Panels extends NarrowPanels {
    private static final VectorSpecies<Integer> INTS = SPECIES.withLanes(int.class);
    private static final int HIGH_HALF = 0xFFFF0000;

    private final int[] data;

    Bf16Panels(int depth, int cols) {
        super(depth, cols);
        int fullGroups = vectors / GROUP;
        int lastPairs = (vectors - fullGroups * GROUP + 1) / 2;
        long ints = ((long) fullGroups * (GROUP / 2) + lastPairs) * depth * LANES;
        this.data = new int[Math.toIntExact(ints)];
    }

    private static int pairs(int vectorsInGroup) {
        return (vectorsInGroup + 1) / 2;
    }

    private int base(int group) {
        return group * depth * (GROUP / 2) * LANES;
    }

    @Override
    void pack(float[] source) {
        Arrays.fill(data, 0);
        for (int v = 0; v < vectors; v++) {
            int g = v / GROUP;
            int within = v - g * GROUP;
            int stride = pairs(vectorsIn(g)) * LANES;
            int at = base(g) + (within / 2) * LANES;
            int shift = (within & 1) * 16;
            for (int k = 0; k < depth; k++) {
                int row = at + k * stride;
                for (int lane = 0; lane < LANES; lane++) {
                    int n = v * LANES + lane;
                    if (n < cols) {
                        int bits = Bfloat16.bits(source[n * depth + k]) & 0xFFFF;
                        data[row + lane] |= bits << shift;
                    }
                }
            }
        }
    }

    @Override
    void dequantize(int group, int k0, int kLength, float[] target, int offset) {
        int vectorsInGroup = vectorsIn(group);
        int pairs = pairs(vectorsInGroup);
        int stride = pairs * LANES;
        int width = vectorsInGroup * LANES;
        int from = base(group) + k0 * stride;
        for (int k = 0; k < kLength; k++) {
            int row = from + k * stride;
            int out = offset + k * width;
            for (int p = 0; p < pairs; p++) {
                IntVector pair = IntVector.fromArray(INTS, data, row + p * LANES);
                pair.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().intoArray(target, out + 2 * p * LANES);
                if (2 * p + 1 < vectorsInGroup) {
                    pair.lanewise(VectorOperators.AND, HIGH_HALF).reinterpretAsFloats()
                            .intoArray(target, out + (2 * p + 1) * LANES);
                }
            }
        }
    }

    @Override
    void rowTimesTwoGroups(float[] a, int ai, int group, float[] c, int ci) {
        final int l = LANES;
        final int width = (GROUP / 2) * LANES;
        int p = base(group);
        int q = base(group + 1);
        FloatVector c0 = FloatVector.fromArray(SPECIES, c, ci);
        FloatVector c1 = FloatVector.fromArray(SPECIES, c, ci + l);
        FloatVector c2 = FloatVector.fromArray(SPECIES, c, ci + 2 * l);
        FloatVector c3 = FloatVector.fromArray(SPECIES, c, ci + 3 * l);
        FloatVector c4 = FloatVector.fromArray(SPECIES, c, ci + 4 * l);
        FloatVector c5 = FloatVector.fromArray(SPECIES, c, ci + 5 * l);
        FloatVector c6 = FloatVector.fromArray(SPECIES, c, ci + 6 * l);
        FloatVector c7 = FloatVector.fromArray(SPECIES, c, ci + 7 * l);
        for (int k = 0; k < depth; k++) {
            FloatVector x = FloatVector.broadcast(SPECIES, a[ai + k]);
            IntVector p0 = IntVector.fromArray(INTS, data, p);
            IntVector p1 = IntVector.fromArray(INTS, data, p + l);
            IntVector q0 = IntVector.fromArray(INTS, data, q);
            IntVector q1 = IntVector.fromArray(INTS, data, q + l);
            c0 = p0.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(x, c0);
            c1 = p0.lanewise(VectorOperators.AND, HIGH_HALF).reinterpretAsFloats().fma(x, c1);
            c2 = p1.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(x, c2);
            c3 = p1.lanewise(VectorOperators.AND, HIGH_HALF).reinterpretAsFloats().fma(x, c3);
            c4 = q0.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(x, c4);
            c5 = q0.lanewise(VectorOperators.AND, HIGH_HALF).reinterpretAsFloats().fma(x, c5);
            c6 = q1.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(x, c6);
            c7 = q1.lanewise(VectorOperators.AND, HIGH_HALF).reinterpretAsFloats().fma(x, c7);
            p += width;
            q += width;
        }
        c0.intoArray(c, ci);
        c1.intoArray(c, ci + l);
        c2.intoArray(c, ci + 2 * l);
        c3.intoArray(c, ci + 3 * l);
        c4.intoArray(c, ci + 4 * l);
        c5.intoArray(c, ci + 5 * l);
        c6.intoArray(c, ci + 6 * l);
        c7.intoArray(c, ci + 7 * l);
    }

    @Override
    void rowTimesGroup(float[] a, int ai, int group, float[] c, int ci) {
        final int l = LANES;
        final int width = (GROUP / 2) * LANES;
        int p = base(group);
        FloatVector c0 = FloatVector.fromArray(SPECIES, c, ci);
        FloatVector c1 = FloatVector.fromArray(SPECIES, c, ci + l);
        FloatVector c2 = FloatVector.fromArray(SPECIES, c, ci + 2 * l);
        FloatVector c3 = FloatVector.fromArray(SPECIES, c, ci + 3 * l);
        for (int k = 0; k < depth; k++) {
            FloatVector x = FloatVector.broadcast(SPECIES, a[ai + k]);
            IntVector p0 = IntVector.fromArray(INTS, data, p);
            IntVector p1 = IntVector.fromArray(INTS, data, p + l);
            c0 = p0.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(x, c0);
            c1 = p0.lanewise(VectorOperators.AND, HIGH_HALF).reinterpretAsFloats().fma(x, c1);
            c2 = p1.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(x, c2);
            c3 = p1.lanewise(VectorOperators.AND, HIGH_HALF).reinterpretAsFloats().fma(x, c3);
            p += width;
        }
        c0.intoArray(c, ci);
        c1.intoArray(c, ci + l);
        c2.intoArray(c, ci + 2 * l);
        c3.intoArray(c, ci + 3 * l);
    }

    @Override
    void rowTimesVector(float[] a, int ai, int vector, float[] c, int ci, int lanes) {
        int g = vector / GROUP;
        int within = vector - g * GROUP;
        int stride = pairs(vectorsIn(g)) * LANES;
        int p = base(g) + (within / 2) * LANES;
        VectorMask<Float> mask = SPECIES.indexInRange(0, lanes);
        FloatVector c0 = FloatVector.fromArray(SPECIES, c, ci, mask);
        // Padding columns are zero, so the full-vector loads add nothing to the real lanes.
        if ((within & 1) == 0) {
            for (int k = 0; k < depth; k++) {
                c0 = IntVector.fromArray(INTS, data, p).lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats()
                        .fma(FloatVector.broadcast(SPECIES, a[ai + k]), c0);
                p += stride;
            }
        } else {
            for (int k = 0; k < depth; k++) {
                c0 = IntVector.fromArray(INTS, data, p).lanewise(VectorOperators.AND, HIGH_HALF).reinterpretAsFloats()
                        .fma(FloatVector.broadcast(SPECIES, a[ai + k]), c0);
                p += stride;
            }
        }
        c0.intoArray(c, ci, mask);
    }
}
