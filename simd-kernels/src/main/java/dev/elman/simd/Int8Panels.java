package dev.elman.simd;

import dev.elman.kernels.Int8Rows;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import static dev.elman.simd.Gemm.GROUP;
import static dev.elman.simd.Gemm.LANES;
import static dev.elman.simd.Gemm.SPECIES;

/**
 * {@link NarrowPanels} of int8 weights with one scale per output column (per hidden unit, the
 * rows of the unpacked matrix; see {@link dev.elman.kernels.WeightPrecision#INT8}).
 *
 * <p>The bytes are laid out exactly as {@link Panels} lays out floats (element {@code i} of the
 * float panels is byte {@code i} here), the scales as a padded vector per column. A weight is
 * widened in registers — sign extension and conversion, exact — and multiplied by its column's
 * scale, one rounding: the float {@code (float) q · s} of {@link Int8Rows#value}. (The widening
 * is written out at every use rather than in a helper: see {@link Gemm} on vectors crossing calls.)
 */
final class Int8Panels extends NarrowPanels {
    /**
     * Bytes loaded per vector of weights: one per float lane, but never below the narrowest
     * byte vector the API has (64 bits), whose first lanes are then the ones converted.
     */
    private static final VectorSpecies<Byte> BYTES =
            VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, LANES * Byte.SIZE)));

    private final byte[] data;
    private final float[] scales;

    Int8Panels(int depth, int cols) {
        super(depth, cols);
        // Room past the end for a byte vector wider than the float lanes it feeds.
        this.data = new byte[Math.addExact(Panels.size(depth, cols), BYTES.length())];
        this.scales = new float[vectors * LANES];
    }

    @Override
    void pack(float[] source) {
        java.util.Arrays.fill(scales, 0f);
        for (int n = 0; n < cols; n++) {
            scales[n] = Int8Rows.scale(source, n * depth, depth);
        }
        for (int v = 0; v < vectors; v++) {
            int g = v / GROUP;
            int inGroup = vectorsIn(g);
            int base = g * depth * GROUP * LANES + (v - g * GROUP) * LANES;
            int stride = inGroup * LANES;
            for (int k = 0; k < depth; k++) {
                for (int lane = 0; lane < LANES; lane++) {
                    int n = v * LANES + lane;
                    data[base + k * stride + lane] = n < cols ? Int8Rows.quantize(source[n * depth + k], scales[n]) : 0;
                }
            }
        }
    }

    @Override
    void dequantize(int group, int k0, int kLength, float[] target, int offset) {
        int inGroup = vectorsIn(group);
        int stride = inGroup * LANES;
        int from = group * depth * GROUP * LANES + k0 * stride;
        int firstColumn = group * GROUP * LANES;
        for (int v = 0; v < inGroup; v++) {
            FloatVector scale = FloatVector.fromArray(SPECIES, scales, firstColumn + v * LANES);
            for (int k = 0; k < kLength; k++) {
                ((FloatVector) ByteVector.fromArray(BYTES, data, from + k * stride + v * LANES).convertShape(VectorOperators.B2F, SPECIES, 0)).mul(scale).intoArray(target, offset + k * stride + v * LANES);
            }
        }
    }

    @Override
    void rowTimesTwoGroups(float[] a, int ai, int group, float[] c, int ci) {
        final int l = LANES;
        final int width = GROUP * LANES;
        int p = group * depth * width;
        int q = p + depth * width;
        int column = group * width;
        FloatVector s0 = FloatVector.fromArray(SPECIES, scales, column);
        FloatVector s1 = FloatVector.fromArray(SPECIES, scales, column + l);
        FloatVector s2 = FloatVector.fromArray(SPECIES, scales, column + 2 * l);
        FloatVector s3 = FloatVector.fromArray(SPECIES, scales, column + 3 * l);
        FloatVector s4 = FloatVector.fromArray(SPECIES, scales, column + 4 * l);
        FloatVector s5 = FloatVector.fromArray(SPECIES, scales, column + 5 * l);
        FloatVector s6 = FloatVector.fromArray(SPECIES, scales, column + 6 * l);
        FloatVector s7 = FloatVector.fromArray(SPECIES, scales, column + 7 * l);
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
            c0 = ((FloatVector) ByteVector.fromArray(BYTES, data, p).convertShape(VectorOperators.B2F, SPECIES, 0)).mul(s0).fma(x, c0);
            c1 = ((FloatVector) ByteVector.fromArray(BYTES, data, p + l).convertShape(VectorOperators.B2F, SPECIES, 0)).mul(s1).fma(x, c1);
            c2 = ((FloatVector) ByteVector.fromArray(BYTES, data, p + 2 * l).convertShape(VectorOperators.B2F, SPECIES, 0)).mul(s2).fma(x, c2);
            c3 = ((FloatVector) ByteVector.fromArray(BYTES, data, p + 3 * l).convertShape(VectorOperators.B2F, SPECIES, 0)).mul(s3).fma(x, c3);
            c4 = ((FloatVector) ByteVector.fromArray(BYTES, data, q).convertShape(VectorOperators.B2F, SPECIES, 0)).mul(s4).fma(x, c4);
            c5 = ((FloatVector) ByteVector.fromArray(BYTES, data, q + l).convertShape(VectorOperators.B2F, SPECIES, 0)).mul(s5).fma(x, c5);
            c6 = ((FloatVector) ByteVector.fromArray(BYTES, data, q + 2 * l).convertShape(VectorOperators.B2F, SPECIES, 0)).mul(s6).fma(x, c6);
            c7 = ((FloatVector) ByteVector.fromArray(BYTES, data, q + 3 * l).convertShape(VectorOperators.B2F, SPECIES, 0)).mul(s7).fma(x, c7);
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
        final int width = GROUP * LANES;
        int p = group * depth * width;
        int column = group * width;
        FloatVector s0 = FloatVector.fromArray(SPECIES, scales, column);
        FloatVector s1 = FloatVector.fromArray(SPECIES, scales, column + l);
        FloatVector s2 = FloatVector.fromArray(SPECIES, scales, column + 2 * l);
        FloatVector s3 = FloatVector.fromArray(SPECIES, scales, column + 3 * l);
        FloatVector c0 = FloatVector.fromArray(SPECIES, c, ci);
        FloatVector c1 = FloatVector.fromArray(SPECIES, c, ci + l);
        FloatVector c2 = FloatVector.fromArray(SPECIES, c, ci + 2 * l);
        FloatVector c3 = FloatVector.fromArray(SPECIES, c, ci + 3 * l);
        for (int k = 0; k < depth; k++) {
            FloatVector x = FloatVector.broadcast(SPECIES, a[ai + k]);
            c0 = ((FloatVector) ByteVector.fromArray(BYTES, data, p).convertShape(VectorOperators.B2F, SPECIES, 0)).mul(s0).fma(x, c0);
            c1 = ((FloatVector) ByteVector.fromArray(BYTES, data, p + l).convertShape(VectorOperators.B2F, SPECIES, 0)).mul(s1).fma(x, c1);
            c2 = ((FloatVector) ByteVector.fromArray(BYTES, data, p + 2 * l).convertShape(VectorOperators.B2F, SPECIES, 0)).mul(s2).fma(x, c2);
            c3 = ((FloatVector) ByteVector.fromArray(BYTES, data, p + 3 * l).convertShape(VectorOperators.B2F, SPECIES, 0)).mul(s3).fma(x, c3);
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
        int stride = vectorsIn(g) * LANES;
        int p = g * depth * GROUP * LANES + (vector - g * GROUP) * LANES;
        FloatVector scale = FloatVector.fromArray(SPECIES, scales, vector * LANES);
        VectorMask<Float> mask = SPECIES.indexInRange(0, lanes);
        FloatVector c0 = FloatVector.fromArray(SPECIES, c, ci, mask);
        // Padding columns are zero with scale zero, so they add nothing to the real lanes.
        for (int k = 0; k < depth; k++) {
            c0 = ((FloatVector) ByteVector.fromArray(BYTES, data, p).convertShape(VectorOperators.B2F, SPECIES, 0)).mul(scale).fma(FloatVector.broadcast(SPECIES, a[ai + k]), c0);
            p += stride;
        }
        c0.intoArray(c, ci, mask);
    }
}
