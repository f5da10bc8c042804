package dev.elman.simd;

import dev.elman.kernels.WeightPrecision;

import static dev.elman.simd.Gemm.GROUP;
import static dev.elman.simd.Gemm.LANES;

/**
 * A {@link Gemm} {@code B} operand stored in a reduced {@link WeightPrecision}: the weights a
 * forward pass multiplies with ({@code Wxᵀ}, {@code Whᵀ}), in fewer bytes than {@link Panels}.
 *
 * <p>The column groups are those of {@link Panels} ({@link Gemm#GROUP} vectors of
 * {@link Gemm#LANES} columns, the last group possibly narrower, padding columns zero), so a group
 * index or a column split means the same here as there. Each implementation turns its stored
 * numbers into exactly the floats {@link WeightPrecision#round} gives, in two ways:
 * <ul>
 *   <li>{@link #dequantize}: a block of rows of one group into float panels, for the register
 *       tiles of many rows, which reuse every weight across their rows (the conversion is paid
 *       once per block, not per row);</li>
 *   <li>the row kernels: one row of {@code A} times the stored weights, converted in registers as
 *       they stream in, for a single row (a batch-1 step), which reads every weight once and is
 *       bound by the bytes it reads — the reason this class exists.</li>
 * </ul>
 * Every row kernel keeps the tiles' rule, one accumulator chain per output vector with
 * {@code k} in order, and multiplies with the same floats, so a product is the float product the
 * f32 kernels compute on the rounded weights, bit for bit, whichever path computes it.
 */
abstract sealed class NarrowPanels permits Bf16Panels, Int8Panels {
    /** The rows of the operand (the depth of its products). */
    final int depth;
    /** The columns of the operand. */
    final int cols;
    /** Whole vectors across the columns. */
    final int vectors;

    NarrowPanels(int depth, int cols) {
        this.depth = depth;
        this.cols = cols;
        this.vectors = (cols + LANES - 1) / LANES;
    }

    /**
     * The operand for a reduced precision.
     *
     * @param precision {@link WeightPrecision#BF16} or {@link WeightPrecision#INT8}
     * @param depth the rows
     * @param cols the columns
     * @return the empty operand, filled by {@link #pack}
     */
    static NarrowPanels of(WeightPrecision precision, int depth, int cols) {
        return switch (precision) {
            case BF16 -> new Bf16Panels(depth, cols);
            case INT8 -> new Int8Panels(depth, cols);
            case F32 -> throw new IllegalArgumentException("f32 weights are packed as Panels, not NarrowPanels");
        };
    }

    /** @return the vectors of column group {@code group}: {@link Gemm#GROUP} but in a narrower last group */
    final int vectorsIn(int group) {
        return Math.min(GROUP, vectors - group * GROUP);
    }

    /**
     * Stores a matrix given as its transpose: element {@code (k, n)} is {@code source[n·depth + k]}
     * (the row-major {@code cols × depth} weights, whose row {@code n} is output unit {@code n}).
     *
     * @param source the float32 weights, finite and representable (checked by the caller)
     */
    abstract void pack(float[] source);

    /**
     * Writes the floats of rows {@code [k0, k0 + kLength)} of column group {@code group} in the
     * layout of that group of {@link Panels}: row {@code k} at
     * {@code target[offset + (k − k0)·vectorsIn(group)·LANES]}, its vectors side by side.
     */
    abstract void dequantize(int group, int k0, int kLength, float[] target, int offset);

    /**
     * One row of {@code A} (contiguous, {@code depth} floats from {@code ai}) times the full column
     * groups {@code group} and {@code group + 1}: {@code 2·GROUP} vectors of {@code C} from
     * {@code ci}, the accumulators starting at {@code C}'s values (the caller writes the bias or
     * zeros there first), stored.
     */
    abstract void rowTimesTwoGroups(float[] a, int ai, int group, float[] c, int ci);

    /** {@link #rowTimesTwoGroups} for one full group. */
    abstract void rowTimesGroup(float[] a, int ai, int group, float[] c, int ci);

    /**
     * One row times the single vector {@code vector} (of all the operand's vectors), of which
     * {@code lanes} columns are real: the last, possibly partial, vectors.
     */
    abstract void rowTimesVector(float[] a, int ai, int vector, float[] c, int ci, int lanes);
}
