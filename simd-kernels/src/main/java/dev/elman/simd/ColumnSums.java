package dev.elman.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/** Bias gradients: column sums of a row-major block, added to an accumulator. */
final class ColumnSums {
    private ColumnSums() {
    }

    /**
     * {@code target[n] += Σ_r source[offset + r·cols + n]}: the sum over the rows in registers,
     * then one rounding onto the accumulator.
     */
    static void addTo(float[] source, int offset, int rows, int cols, float[] target) {
        addTo(source, offset, rows, cols, 0, cols, target);
    }

    /**
     * {@link #addTo} for the columns {@code [colFrom, colTo)} only: one participant's share.
     * {@code colFrom} must be a multiple of {@link Gemm#COLUMN_BLOCK} and {@code colTo} one too or
     * {@code cols}, so that every column is summed exactly as in the whole pass (pairs of vectors
     * over even and odd rows, a single chain in the tail).
     */
    static void addTo(float[] source, int offset, int rows, int cols, int colFrom, int colTo, float[] target) {
        int lanes = Gemm.LANES;
        int n = colFrom;
        for (; n + 2 * lanes <= colTo; n += 2 * lanes) {
            FloatVector s0 = FloatVector.zero(Gemm.SPECIES);
            FloatVector s1 = s0;
            FloatVector t0 = s0;
            FloatVector t1 = s0;
            int i = offset + n;
            int r = 0;
            for (; r + 2 <= rows; r += 2) {
                s0 = s0.add(FloatVector.fromArray(Gemm.SPECIES, source, i));
                s1 = s1.add(FloatVector.fromArray(Gemm.SPECIES, source, i + lanes));
                t0 = t0.add(FloatVector.fromArray(Gemm.SPECIES, source, i + cols));
                t1 = t1.add(FloatVector.fromArray(Gemm.SPECIES, source, i + cols + lanes));
                i += 2 * cols;
            }
            if (r < rows) {
                s0 = s0.add(FloatVector.fromArray(Gemm.SPECIES, source, i));
                s1 = s1.add(FloatVector.fromArray(Gemm.SPECIES, source, i + lanes));
            }
            s0.add(t0).add(FloatVector.fromArray(Gemm.SPECIES, target, n)).intoArray(target, n);
            s1.add(t1).add(FloatVector.fromArray(Gemm.SPECIES, target, n + lanes)).intoArray(target, n + lanes);
        }
        for (; n < colTo; n += lanes) {
            VectorMask<Float> mask = Gemm.SPECIES.indexInRange(n, colTo);
            FloatVector s = FloatVector.zero(Gemm.SPECIES);
            int i = offset + n;
            for (int r = 0; r < rows; r++) {
                s = s.add(FloatVector.fromArray(Gemm.SPECIES, source, i, mask));
                i += cols;
            }
            s.add(FloatVector.fromArray(Gemm.SPECIES, target, n, mask)).intoArray(target, n, mask);
        }
    }
}
