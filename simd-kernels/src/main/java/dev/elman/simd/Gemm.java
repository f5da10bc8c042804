package dev.elman.simd;

import dev.elman.kernels.Activation;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Register-blocked matrix products {@code C = A·B}, the only place the kernels spend their time:
 * every pass is a few of these with the right strides and a finishing step.
 *
 * <h2>Operands</h2>
 * <ul>
 *   <li>{@code A} is {@code rows × depth}, element {@code (m, k)} at
 *       {@code a[aOffset + m·aRowStride + k·aDepthStride]}: any strides, so a transposed view
 *       ({@code dZᵀ} for the weight gradients) costs nothing. Its elements are broadcast, one
 *       scalar load each.</li>
 *   <li>{@code B} is {@code depth × cols} and is read as whole vectors along a row. Either
 *       {@linkplain Panels panel-packed} (weights, packed once per {@code load}) or row-major with
 *       a row stride (activations such as {@code x} or {@code h}, used in place).</li>
 *   <li>{@code C} is {@code rows × cols}, row-major with a row stride. The accumulators begin
 *       at zero, at {@code C} or at the bias (<em>start</em>), are stored or added to {@code C}
 *       (<em>finish</em>), and each register tile, right after it is written and while it is in
 *       L1, can be passed through φ or through the backward step's {@code φ'(h)·(· + dh)}
 *       (<em>after</em>): bias, activation and derivative ride in the product's pass instead of
 *       costing another trip through memory.</li>
 * </ul>
 *
 * <h2>Blocking</h2>
 * A register tile is 6 rows × 4 vectors (24 accumulators, 4 loads of {@code B} and 6 broadcasts
 * of {@code A} per 24 fused multiply-adds, 29 of AVX-512's 32 registers), with 4 × 4 tiles for the
 * rows left over: measured, the wider tile took training at B = 32, H = 512 from 105 to 151
 * GFLOP/s (fewer loads per FMA: 10 per 24 against 8 per 16). The column group is the
 * outer loop and, from 8 rows on, the depth is cut into blocks of {@value #DEPTH_BLOCK}, so the
 * group's slice of {@code B} stays in L1 while every row tile passes over it.
 *
 * <p>A single row (a batch-1 step) has no reuse of {@code B} at all: it is bound by how fast
 * {@code B} streams in (measured on this machine: about 40 bytes a cycle from L1, 30–35 from L2).
 * Against packed weights it goes two column groups at a time through a kernel with constant
 * strides (8 independent accumulators, one broadcast per 8 loads), which streams fastest; other
 * single rows use 4 vectors with the depth split in two. The last, possibly partial, vectors of a
 * row use 1-vector tiles with masks.
 *
 * <p>No method here or in {@link VectorActivation} takes or returns a vector, only arrays and
 * indices: a vector crossing a call the JIT declines to inline (large methods, or methods already
 * compiled on their own) is boxed, which costs an allocation per call. The activation therefore
 * runs as an array pass over the tile just written rather than on the accumulators.
 */
final class Gemm {
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    static final int LANES = SPECIES.length();
    /** Vectors per column group (register tile width). */
    static final int GROUP = 4;
    private static final int TILE_ROWS = 4;
    /** Rows of the wide register tile, {@link #tile6x4}. */
    private static final int WIDE_ROWS = 6;
    /** Depth of a block of B that stays in L1: 128 · 4 vectors · 16 lanes · 4 bytes = 32 KiB. */
    private static final int DEPTH_BLOCK = 128;

    /** {@code B} is panel-packed (see {@link Panels}) rather than row-major. */
    static final int PACKED = -1;

    /** Start: accumulators begin at zero. */
    static final int FROM_ZERO = 0;
    /** Start: accumulators begin with {@code C}'s current values. */
    static final int FROM_C = 1;
    /** Start: accumulators begin with {@code bias[col]} (a padded, kernel-owned bias). */
    static final int FROM_BIAS = 2;

    /** Finish: {@code C = acc}. */
    static final int STORE = 0;
    /** Finish: {@code C = C + acc}, one rounding onto what was there. */
    static final int ADD = 1;

    /** After: nothing. */
    static final int PLAIN = 0;
    /** After: {@code C = φ(C)} over the tile. */
    static final int ACTIVATE = 1;
    /**
     * After: {@code C = φ'(h)·(C + dh)} over the tile, with {@code h} and {@code dh} read at
     * {@code C}'s index plus a shift ({@code dh} may be null): one step of backpropagation.
     */
    static final int DERIVE = 2;

    private Gemm() {
    }

    /**
     * {@code C = finish(start + A·B)}; see the class comment for the operands.
     *
     * @param rows M
     * @param cols N
     * @param depth K (0 leaves the accumulators at their start)
     * @param bDepthStride the row stride of a row-major {@code B}, or {@link #PACKED}
     * @param bias the padded bias for {@link #FROM_BIAS}, else ignored
     * @param finish {@link #STORE} or {@link #ADD}
     * @param after {@link #PLAIN}, {@link #ACTIVATE} or {@link #DERIVE}
     * @param act φ for {@link #ACTIVATE} and {@link #DERIVE}, else ignored
     * @param dh for {@link #DERIVE}: the gradient from above, or null; read at {@code cIndex + dhShift}
     * @param h for {@link #DERIVE}: the layer's output; read at {@code cIndex + hShift}
     */
    static void multiply(int rows, int cols, int depth,
                         float[] a, int aOffset, int aRowStride, int aDepthStride,
                         float[] b, int bOffset, int bDepthStride,
                         float[] c, int cOffset, int cRowStride,
                         int start, float[] bias, int finish, int after, Activation act,
                         float[] dh, int dhShift, float[] h, int hShift) {
        boolean add = finish == ADD;
        boolean packed = bDepthStride == PACKED;
        int vectors = (cols + LANES - 1) / LANES;
        int fullGroups = cols / (LANES * GROUP);
        int groupFloats = depth * GROUP * LANES;
        // Depth blocks keep a column group's slice of B in L1 while every row tile passes over it
        // (a whole group is depth·GROUP·LANES floats, too big for L1 from depth ~200 on). Later
        // blocks continue from C, which holds the exact float accumulators of the earlier ones,
        // so the sums are rounded exactly as without blocking. Not for ADD, whose C must only
        // receive the finished sum.
        int block = !add && blocksDepth(rows, depth) ? DEPTH_BLOCK : Math.max(depth, 1);
        // Single rows against a packed B with a contiguous A row (batch-1 steps, the odd row of a
        // batch) go two column groups at a time through a kernel with constant strides: a
        // matrix-vector product is bound by the bandwidth of streaming B, and this one streams it
        // fastest.
        boolean rowPairs = packed && aDepthStride == 1 && block == depth;
        int tiledRows = rowPairs ? rows - rows % TILE_ROWS : rows;
        for (int g = 0; g < fullGroups; g++) {
            int col = g * GROUP * LANES;
            int bIndex = packed ? bOffset + g * groupFloats : bOffset + col;
            int bStride = packed ? GROUP * LANES : bDepthStride;
            for (int k0 = 0; k0 == 0 || k0 < depth; k0 += block) {
                int kLength = Math.min(block, depth - k0);
                int blockStart = k0 == 0 ? start : FROM_C;
                int blockAfter = k0 + kLength >= depth ? after : PLAIN;
                int aAt = aOffset + k0 * aDepthStride;
                int bAt = bIndex + k0 * bStride;
                int m = 0;
                // An even number of 6-row tiles leaves a multiple of 4 rows for the 4-row tiles.
                int wideRows = (tiledRows / WIDE_ROWS & ~1) * WIDE_ROWS;
                for (; m < wideRows; m += WIDE_ROWS) {
                    int ci = cOffset + m * cRowStride + col;
                    tile6x4(kLength, a, aAt + m * aRowStride, aRowStride, aDepthStride, b, bAt, bStride,
                            c, ci, cRowStride, blockStart, bias, col, add);
                    after(blockAfter, act, c, ci, cRowStride, WIDE_ROWS, GROUP * LANES, dh, dhShift, h, hShift);
                }
                for (; m + TILE_ROWS <= tiledRows; m += TILE_ROWS) {
                    int ci = cOffset + m * cRowStride + col;
                    tile4x4(kLength, a, aAt + m * aRowStride, aRowStride, aDepthStride, b, bAt, bStride,
                            c, ci, cRowStride, blockStart, bias, col, add);
                    after(blockAfter, act, c, ci, cRowStride, TILE_ROWS, GROUP * LANES, dh, dhShift, h, hShift);
                }
                for (; m < tiledRows; m++) {
                    int ci = cOffset + m * cRowStride + col;
                    tile1x4(kLength, a, aAt + m * aRowStride, aDepthStride, b, bAt, bStride,
                            c, ci, blockStart, bias, col, add);
                    after(blockAfter, act, c, ci, cRowStride, 1, GROUP * LANES, dh, dhShift, h, hShift);
                }
            }
        }
        for (int m = tiledRows; m < rows; m++) {
            int ai = aOffset + m * aRowStride;
            int g = 0;
            for (; g + 2 <= fullGroups; g += 2) {
                int col = g * GROUP * LANES;
                int ci = cOffset + m * cRowStride + col;
                rowTimesTwoGroups(depth, a, ai, b, bOffset + g * groupFloats, c, ci, start, bias, col, add);
                after(after, act, c, ci, cRowStride, 1, 2 * GROUP * LANES, dh, dhShift, h, hShift);
            }
            if (g < fullGroups) {
                int col = g * GROUP * LANES;
                int ci = cOffset + m * cRowStride + col;
                tile1x4(depth, a, ai, 1, b, bOffset + g * groupFloats, GROUP * LANES,
                        c, ci, start, bias, col, add);
                after(after, act, c, ci, cRowStride, 1, GROUP * LANES, dh, dhShift, h, hShift);
            }
        }
        for (int v = fullGroups * GROUP; v < vectors; v++) {
            int col = v * LANES;
            int lanes = Math.min(LANES, cols - col);
            int g = v / GROUP;
            int vectorsInGroup = Math.min(GROUP, vectors - g * GROUP);
            int bIndex = packed ? bOffset + g * groupFloats + (v - g * GROUP) * LANES : bOffset + col;
            int bStride = packed ? vectorsInGroup * LANES : bDepthStride;
            int m = 0;
            for (; m + TILE_ROWS <= rows; m += TILE_ROWS) {
                int ci = cOffset + m * cRowStride + col;
                tile4x1(depth, a, aOffset + m * aRowStride, aRowStride, aDepthStride, b, bIndex, bStride,
                        c, ci, cRowStride, lanes, start, bias, col, add);
                after(after, act, c, ci, cRowStride, TILE_ROWS, lanes, dh, dhShift, h, hShift);
            }
            for (; m < rows; m++) {
                int ci = cOffset + m * cRowStride + col;
                tile1x1(depth, a, aOffset + m * aRowStride, aDepthStride, b, bIndex, bStride,
                        c, ci, lanes, start, bias, col, add);
                after(after, act, c, ci, cRowStride, 1, lanes, dh, dhShift, h, hShift);
            }
        }
    }

    /** Whether a product of this shape (unless it adds onto C) is cut into depth blocks. */
    static boolean blocksDepth(int rows, int depth) {
        return rows >= 2 * TILE_ROWS && depth > DEPTH_BLOCK;
    }

    /** The after-step over a tile of {@code tileRows × width} just written at {@code c[ci]}. */
    private static void after(int after, Activation act, float[] c, int ci, int cRow, int tileRows, int width,
                              float[] dh, int dhShift, float[] h, int hShift) {
        if (after == PLAIN) {
            return;
        }
        for (int r = 0; r < tileRows; r++) {
            int at = ci + r * cRow;
            if (after == ACTIVATE) {
                VectorActivation.applyInPlace(act, c, at, width);
            } else {
                VectorActivation.backward(act, c, at, dh, at + dhShift, h, at + hShift, c, at, width);
            }
        }
    }

    /**
     * Six rows times a column group: 24 accumulators, 4 loads of {@code B} and 6 broadcasts per
     * 24 fused multiply-adds (the 4×4 tile does 16 per 8 loads), 29 of the 32 vector registers.
     */
    private static void tile6x4(int depth, float[] a, int ai, int aRow, int aDepth,
                                float[] b, int bi, int bStride,
                                float[] c, int ci, int cRow, int start, float[] bias, int biasIndex, boolean add) {
        final int l = LANES;
        FloatVector c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33, c40, c41, c42, c43, c50, c51, c52, c53;
        if (start == FROM_C) {
            c00 = FloatVector.fromArray(SPECIES, c, ci);
            c01 = FloatVector.fromArray(SPECIES, c, ci + l);
            c02 = FloatVector.fromArray(SPECIES, c, ci + 2 * l);
            c03 = FloatVector.fromArray(SPECIES, c, ci + 3 * l);
            c10 = FloatVector.fromArray(SPECIES, c, ci + cRow);
            c11 = FloatVector.fromArray(SPECIES, c, ci + cRow + l);
            c12 = FloatVector.fromArray(SPECIES, c, ci + cRow + 2 * l);
            c13 = FloatVector.fromArray(SPECIES, c, ci + cRow + 3 * l);
            c20 = FloatVector.fromArray(SPECIES, c, ci + 2 * cRow);
            c21 = FloatVector.fromArray(SPECIES, c, ci + 2 * cRow + l);
            c22 = FloatVector.fromArray(SPECIES, c, ci + 2 * cRow + 2 * l);
            c23 = FloatVector.fromArray(SPECIES, c, ci + 2 * cRow + 3 * l);
            c30 = FloatVector.fromArray(SPECIES, c, ci + 3 * cRow);
            c31 = FloatVector.fromArray(SPECIES, c, ci + 3 * cRow + l);
            c32 = FloatVector.fromArray(SPECIES, c, ci + 3 * cRow + 2 * l);
            c33 = FloatVector.fromArray(SPECIES, c, ci + 3 * cRow + 3 * l);
            c40 = FloatVector.fromArray(SPECIES, c, ci + 4 * cRow);
            c41 = FloatVector.fromArray(SPECIES, c, ci + 4 * cRow + l);
            c42 = FloatVector.fromArray(SPECIES, c, ci + 4 * cRow + 2 * l);
            c43 = FloatVector.fromArray(SPECIES, c, ci + 4 * cRow + 3 * l);
            c50 = FloatVector.fromArray(SPECIES, c, ci + 5 * cRow);
            c51 = FloatVector.fromArray(SPECIES, c, ci + 5 * cRow + l);
            c52 = FloatVector.fromArray(SPECIES, c, ci + 5 * cRow + 2 * l);
            c53 = FloatVector.fromArray(SPECIES, c, ci + 5 * cRow + 3 * l);
        } else {
            if (start == FROM_BIAS) {
                c00 = FloatVector.fromArray(SPECIES, bias, biasIndex);
                c01 = FloatVector.fromArray(SPECIES, bias, biasIndex + l);
                c02 = FloatVector.fromArray(SPECIES, bias, biasIndex + 2 * l);
                c03 = FloatVector.fromArray(SPECIES, bias, biasIndex + 3 * l);
            } else {
                c00 = FloatVector.zero(SPECIES);
                c01 = c00;
                c02 = c00;
                c03 = c00;
            }
            c10 = c00;
            c11 = c01;
            c12 = c02;
            c13 = c03;
            c20 = c00;
            c21 = c01;
            c22 = c02;
            c23 = c03;
            c30 = c00;
            c31 = c01;
            c32 = c02;
            c33 = c03;
            c40 = c00;
            c41 = c01;
            c42 = c02;
            c43 = c03;
            c50 = c00;
            c51 = c01;
            c52 = c02;
            c53 = c03;
        }
        final int a1 = aRow;
        final int a2 = 2 * aRow;
        final int a3 = 3 * aRow;
        final int a4 = 4 * aRow;
        final int a5 = 5 * aRow;
        for (int k = 0; k < depth; k++) {
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bi);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bi + l);
            FloatVector b2 = FloatVector.fromArray(SPECIES, b, bi + 2 * l);
            FloatVector b3 = FloatVector.fromArray(SPECIES, b, bi + 3 * l);
            FloatVector x = FloatVector.broadcast(SPECIES, a[ai]);
            c00 = b0.fma(x, c00);
            c01 = b1.fma(x, c01);
            c02 = b2.fma(x, c02);
            c03 = b3.fma(x, c03);
            x = FloatVector.broadcast(SPECIES, a[ai + a1]);
            c10 = b0.fma(x, c10);
            c11 = b1.fma(x, c11);
            c12 = b2.fma(x, c12);
            c13 = b3.fma(x, c13);
            x = FloatVector.broadcast(SPECIES, a[ai + a2]);
            c20 = b0.fma(x, c20);
            c21 = b1.fma(x, c21);
            c22 = b2.fma(x, c22);
            c23 = b3.fma(x, c23);
            x = FloatVector.broadcast(SPECIES, a[ai + a3]);
            c30 = b0.fma(x, c30);
            c31 = b1.fma(x, c31);
            c32 = b2.fma(x, c32);
            c33 = b3.fma(x, c33);
            x = FloatVector.broadcast(SPECIES, a[ai + a4]);
            c40 = b0.fma(x, c40);
            c41 = b1.fma(x, c41);
            c42 = b2.fma(x, c42);
            c43 = b3.fma(x, c43);
            x = FloatVector.broadcast(SPECIES, a[ai + a5]);
            c50 = b0.fma(x, c50);
            c51 = b1.fma(x, c51);
            c52 = b2.fma(x, c52);
            c53 = b3.fma(x, c53);
            ai += aDepth;
            bi += bStride;
        }
        if (add) {
            c00 = c00.add(FloatVector.fromArray(SPECIES, c, ci));
            c01 = c01.add(FloatVector.fromArray(SPECIES, c, ci + l));
            c02 = c02.add(FloatVector.fromArray(SPECIES, c, ci + 2 * l));
            c03 = c03.add(FloatVector.fromArray(SPECIES, c, ci + 3 * l));
            c10 = c10.add(FloatVector.fromArray(SPECIES, c, ci + cRow));
            c11 = c11.add(FloatVector.fromArray(SPECIES, c, ci + cRow + l));
            c12 = c12.add(FloatVector.fromArray(SPECIES, c, ci + cRow + 2 * l));
            c13 = c13.add(FloatVector.fromArray(SPECIES, c, ci + cRow + 3 * l));
            c20 = c20.add(FloatVector.fromArray(SPECIES, c, ci + 2 * cRow));
            c21 = c21.add(FloatVector.fromArray(SPECIES, c, ci + 2 * cRow + l));
            c22 = c22.add(FloatVector.fromArray(SPECIES, c, ci + 2 * cRow + 2 * l));
            c23 = c23.add(FloatVector.fromArray(SPECIES, c, ci + 2 * cRow + 3 * l));
            c30 = c30.add(FloatVector.fromArray(SPECIES, c, ci + 3 * cRow));
            c31 = c31.add(FloatVector.fromArray(SPECIES, c, ci + 3 * cRow + l));
            c32 = c32.add(FloatVector.fromArray(SPECIES, c, ci + 3 * cRow + 2 * l));
            c33 = c33.add(FloatVector.fromArray(SPECIES, c, ci + 3 * cRow + 3 * l));
            c40 = c40.add(FloatVector.fromArray(SPECIES, c, ci + 4 * cRow));
            c41 = c41.add(FloatVector.fromArray(SPECIES, c, ci + 4 * cRow + l));
            c42 = c42.add(FloatVector.fromArray(SPECIES, c, ci + 4 * cRow + 2 * l));
            c43 = c43.add(FloatVector.fromArray(SPECIES, c, ci + 4 * cRow + 3 * l));
            c50 = c50.add(FloatVector.fromArray(SPECIES, c, ci + 5 * cRow));
            c51 = c51.add(FloatVector.fromArray(SPECIES, c, ci + 5 * cRow + l));
            c52 = c52.add(FloatVector.fromArray(SPECIES, c, ci + 5 * cRow + 2 * l));
            c53 = c53.add(FloatVector.fromArray(SPECIES, c, ci + 5 * cRow + 3 * l));
        }
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + l);
        c02.intoArray(c, ci + 2 * l);
        c03.intoArray(c, ci + 3 * l);
        c10.intoArray(c, ci + cRow);
        c11.intoArray(c, ci + cRow + l);
        c12.intoArray(c, ci + cRow + 2 * l);
        c13.intoArray(c, ci + cRow + 3 * l);
        c20.intoArray(c, ci + 2 * cRow);
        c21.intoArray(c, ci + 2 * cRow + l);
        c22.intoArray(c, ci + 2 * cRow + 2 * l);
        c23.intoArray(c, ci + 2 * cRow + 3 * l);
        c30.intoArray(c, ci + 3 * cRow);
        c31.intoArray(c, ci + 3 * cRow + l);
        c32.intoArray(c, ci + 3 * cRow + 2 * l);
        c33.intoArray(c, ci + 3 * cRow + 3 * l);
        c40.intoArray(c, ci + 4 * cRow);
        c41.intoArray(c, ci + 4 * cRow + l);
        c42.intoArray(c, ci + 4 * cRow + 2 * l);
        c43.intoArray(c, ci + 4 * cRow + 3 * l);
        c50.intoArray(c, ci + 5 * cRow);
        c51.intoArray(c, ci + 5 * cRow + l);
        c52.intoArray(c, ci + 5 * cRow + 2 * l);
        c53.intoArray(c, ci + 5 * cRow + 3 * l);
    }

    private static void tile4x4(int depth, float[] a, int ai, int aRow, int aDepth,
                                float[] b, int bi, int bStride,
                                float[] c, int ci, int cRow, int start, float[] bias, int biasIndex, boolean add) {
        final int l = LANES;
        FloatVector c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33;
        if (start == FROM_C) {
            c00 = FloatVector.fromArray(SPECIES, c, ci);
            c01 = FloatVector.fromArray(SPECIES, c, ci + l);
            c02 = FloatVector.fromArray(SPECIES, c, ci + 2 * l);
            c03 = FloatVector.fromArray(SPECIES, c, ci + 3 * l);
            c10 = FloatVector.fromArray(SPECIES, c, ci + cRow);
            c11 = FloatVector.fromArray(SPECIES, c, ci + cRow + l);
            c12 = FloatVector.fromArray(SPECIES, c, ci + cRow + 2 * l);
            c13 = FloatVector.fromArray(SPECIES, c, ci + cRow + 3 * l);
            c20 = FloatVector.fromArray(SPECIES, c, ci + 2 * cRow);
            c21 = FloatVector.fromArray(SPECIES, c, ci + 2 * cRow + l);
            c22 = FloatVector.fromArray(SPECIES, c, ci + 2 * cRow + 2 * l);
            c23 = FloatVector.fromArray(SPECIES, c, ci + 2 * cRow + 3 * l);
            c30 = FloatVector.fromArray(SPECIES, c, ci + 3 * cRow);
            c31 = FloatVector.fromArray(SPECIES, c, ci + 3 * cRow + l);
            c32 = FloatVector.fromArray(SPECIES, c, ci + 3 * cRow + 2 * l);
            c33 = FloatVector.fromArray(SPECIES, c, ci + 3 * cRow + 3 * l);
        } else {
            if (start == FROM_BIAS) {
                c00 = FloatVector.fromArray(SPECIES, bias, biasIndex);
                c01 = FloatVector.fromArray(SPECIES, bias, biasIndex + l);
                c02 = FloatVector.fromArray(SPECIES, bias, biasIndex + 2 * l);
                c03 = FloatVector.fromArray(SPECIES, bias, biasIndex + 3 * l);
            } else {
                c00 = FloatVector.zero(SPECIES);
                c01 = c00;
                c02 = c00;
                c03 = c00;
            }
            c10 = c00;
            c11 = c01;
            c12 = c02;
            c13 = c03;
            c20 = c00;
            c21 = c01;
            c22 = c02;
            c23 = c03;
            c30 = c00;
            c31 = c01;
            c32 = c02;
            c33 = c03;
        }
        final int a1 = aRow;
        final int a2 = 2 * aRow;
        final int a3 = 3 * aRow;
        for (int k = 0; k < depth; k++) {
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bi);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bi + l);
            FloatVector b2 = FloatVector.fromArray(SPECIES, b, bi + 2 * l);
            FloatVector b3 = FloatVector.fromArray(SPECIES, b, bi + 3 * l);
            FloatVector x = FloatVector.broadcast(SPECIES, a[ai]);
            c00 = b0.fma(x, c00);
            c01 = b1.fma(x, c01);
            c02 = b2.fma(x, c02);
            c03 = b3.fma(x, c03);
            x = FloatVector.broadcast(SPECIES, a[ai + a1]);
            c10 = b0.fma(x, c10);
            c11 = b1.fma(x, c11);
            c12 = b2.fma(x, c12);
            c13 = b3.fma(x, c13);
            x = FloatVector.broadcast(SPECIES, a[ai + a2]);
            c20 = b0.fma(x, c20);
            c21 = b1.fma(x, c21);
            c22 = b2.fma(x, c22);
            c23 = b3.fma(x, c23);
            x = FloatVector.broadcast(SPECIES, a[ai + a3]);
            c30 = b0.fma(x, c30);
            c31 = b1.fma(x, c31);
            c32 = b2.fma(x, c32);
            c33 = b3.fma(x, c33);
            ai += aDepth;
            bi += bStride;
        }
        if (add) {
            c00 = c00.add(FloatVector.fromArray(SPECIES, c, ci));
            c01 = c01.add(FloatVector.fromArray(SPECIES, c, ci + l));
            c02 = c02.add(FloatVector.fromArray(SPECIES, c, ci + 2 * l));
            c03 = c03.add(FloatVector.fromArray(SPECIES, c, ci + 3 * l));
            c10 = c10.add(FloatVector.fromArray(SPECIES, c, ci + cRow));
            c11 = c11.add(FloatVector.fromArray(SPECIES, c, ci + cRow + l));
            c12 = c12.add(FloatVector.fromArray(SPECIES, c, ci + cRow + 2 * l));
            c13 = c13.add(FloatVector.fromArray(SPECIES, c, ci + cRow + 3 * l));
            c20 = c20.add(FloatVector.fromArray(SPECIES, c, ci + 2 * cRow));
            c21 = c21.add(FloatVector.fromArray(SPECIES, c, ci + 2 * cRow + l));
            c22 = c22.add(FloatVector.fromArray(SPECIES, c, ci + 2 * cRow + 2 * l));
            c23 = c23.add(FloatVector.fromArray(SPECIES, c, ci + 2 * cRow + 3 * l));
            c30 = c30.add(FloatVector.fromArray(SPECIES, c, ci + 3 * cRow));
            c31 = c31.add(FloatVector.fromArray(SPECIES, c, ci + 3 * cRow + l));
            c32 = c32.add(FloatVector.fromArray(SPECIES, c, ci + 3 * cRow + 2 * l));
            c33 = c33.add(FloatVector.fromArray(SPECIES, c, ci + 3 * cRow + 3 * l));
        }
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + l);
        c02.intoArray(c, ci + 2 * l);
        c03.intoArray(c, ci + 3 * l);
        c10.intoArray(c, ci + cRow);
        c11.intoArray(c, ci + cRow + l);
        c12.intoArray(c, ci + cRow + 2 * l);
        c13.intoArray(c, ci + cRow + 3 * l);
        c20.intoArray(c, ci + 2 * cRow);
        c21.intoArray(c, ci + 2 * cRow + l);
        c22.intoArray(c, ci + 2 * cRow + 2 * l);
        c23.intoArray(c, ci + 2 * cRow + 3 * l);
        c30.intoArray(c, ci + 3 * cRow);
        c31.intoArray(c, ci + 3 * cRow + l);
        c32.intoArray(c, ci + 3 * cRow + 2 * l);
        c33.intoArray(c, ci + 3 * cRow + 3 * l);
    }

    /**
     * One row of A (contiguous) times two full column groups of a packed B: 8 accumulators, one
     * broadcast per 8 loads, constant strides.
     */
    private static void rowTimesTwoGroups(int depth, float[] a, int ai, float[] b, int bi,
                                          float[] c, int ci, int start, float[] bias, int biasIndex, boolean add) {
        final int l = LANES;
        final int width = GROUP * LANES;
        final int second = depth * width;
        FloatVector c0;
        FloatVector c1;
        FloatVector c2;
        FloatVector c3;
        FloatVector c4;
        FloatVector c5;
        FloatVector c6;
        FloatVector c7;
        if (start == FROM_C) {
            c0 = FloatVector.fromArray(SPECIES, c, ci);
            c1 = FloatVector.fromArray(SPECIES, c, ci + l);
            c2 = FloatVector.fromArray(SPECIES, c, ci + 2 * l);
            c3 = FloatVector.fromArray(SPECIES, c, ci + 3 * l);
            c4 = FloatVector.fromArray(SPECIES, c, ci + 4 * l);
            c5 = FloatVector.fromArray(SPECIES, c, ci + 5 * l);
            c6 = FloatVector.fromArray(SPECIES, c, ci + 6 * l);
            c7 = FloatVector.fromArray(SPECIES, c, ci + 7 * l);
        } else if (start == FROM_BIAS) {
            c0 = FloatVector.fromArray(SPECIES, bias, biasIndex);
            c1 = FloatVector.fromArray(SPECIES, bias, biasIndex + l);
            c2 = FloatVector.fromArray(SPECIES, bias, biasIndex + 2 * l);
            c3 = FloatVector.fromArray(SPECIES, bias, biasIndex + 3 * l);
            c4 = FloatVector.fromArray(SPECIES, bias, biasIndex + 4 * l);
            c5 = FloatVector.fromArray(SPECIES, bias, biasIndex + 5 * l);
            c6 = FloatVector.fromArray(SPECIES, bias, biasIndex + 6 * l);
            c7 = FloatVector.fromArray(SPECIES, bias, biasIndex + 7 * l);
        } else {
            c0 = FloatVector.zero(SPECIES);
            c1 = c0;
            c2 = c0;
            c3 = c0;
            c4 = c0;
            c5 = c0;
            c6 = c0;
            c7 = c0;
        }
        for (int k = 0; k < depth; k++) {
            FloatVector x = FloatVector.broadcast(SPECIES, a[ai + k]);
            int p = bi + k * width;
            int q = p + second;
            c0 = FloatVector.fromArray(SPECIES, b, p).fma(x, c0);
            c1 = FloatVector.fromArray(SPECIES, b, p + l).fma(x, c1);
            c2 = FloatVector.fromArray(SPECIES, b, p + 2 * l).fma(x, c2);
            c3 = FloatVector.fromArray(SPECIES, b, p + 3 * l).fma(x, c3);
            c4 = FloatVector.fromArray(SPECIES, b, q).fma(x, c4);
            c5 = FloatVector.fromArray(SPECIES, b, q + l).fma(x, c5);
            c6 = FloatVector.fromArray(SPECIES, b, q + 2 * l).fma(x, c6);
            c7 = FloatVector.fromArray(SPECIES, b, q + 3 * l).fma(x, c7);
        }
        if (add) {
            c0 = c0.add(FloatVector.fromArray(SPECIES, c, ci));
            c1 = c1.add(FloatVector.fromArray(SPECIES, c, ci + l));
            c2 = c2.add(FloatVector.fromArray(SPECIES, c, ci + 2 * l));
            c3 = c3.add(FloatVector.fromArray(SPECIES, c, ci + 3 * l));
            c4 = c4.add(FloatVector.fromArray(SPECIES, c, ci + 4 * l));
            c5 = c5.add(FloatVector.fromArray(SPECIES, c, ci + 5 * l));
            c6 = c6.add(FloatVector.fromArray(SPECIES, c, ci + 6 * l));
            c7 = c7.add(FloatVector.fromArray(SPECIES, c, ci + 7 * l));
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

    private static void tile1x4(int depth, float[] a, int ai, int aDepth, float[] b, int bi, int bStride,
                                float[] c, int ci, int start, float[] bias, int biasIndex, boolean add) {
        final int l = LANES;
        FloatVector c0;
        FloatVector c1;
        FloatVector c2;
        FloatVector c3;
        if (start == FROM_C) {
            c0 = FloatVector.fromArray(SPECIES, c, ci);
            c1 = FloatVector.fromArray(SPECIES, c, ci + l);
            c2 = FloatVector.fromArray(SPECIES, c, ci + 2 * l);
            c3 = FloatVector.fromArray(SPECIES, c, ci + 3 * l);
        } else if (start == FROM_BIAS) {
            c0 = FloatVector.fromArray(SPECIES, bias, biasIndex);
            c1 = FloatVector.fromArray(SPECIES, bias, biasIndex + l);
            c2 = FloatVector.fromArray(SPECIES, bias, biasIndex + 2 * l);
            c3 = FloatVector.fromArray(SPECIES, bias, biasIndex + 3 * l);
        } else {
            c0 = FloatVector.zero(SPECIES);
            c1 = c0;
            c2 = c0;
            c3 = c0;
        }
        // A second set of accumulators for odd k: 8 independent chains hide the FMA latency.
        FloatVector d0 = FloatVector.zero(SPECIES);
        FloatVector d1 = d0;
        FloatVector d2 = d0;
        FloatVector d3 = d0;
        int k = 0;
        for (; k + 2 <= depth; k += 2) {
            FloatVector x = FloatVector.broadcast(SPECIES, a[ai]);
            FloatVector y = FloatVector.broadcast(SPECIES, a[ai + aDepth]);
            int bj = bi + bStride;
            c0 = FloatVector.fromArray(SPECIES, b, bi).fma(x, c0);
            c1 = FloatVector.fromArray(SPECIES, b, bi + l).fma(x, c1);
            c2 = FloatVector.fromArray(SPECIES, b, bi + 2 * l).fma(x, c2);
            c3 = FloatVector.fromArray(SPECIES, b, bi + 3 * l).fma(x, c3);
            d0 = FloatVector.fromArray(SPECIES, b, bj).fma(y, d0);
            d1 = FloatVector.fromArray(SPECIES, b, bj + l).fma(y, d1);
            d2 = FloatVector.fromArray(SPECIES, b, bj + 2 * l).fma(y, d2);
            d3 = FloatVector.fromArray(SPECIES, b, bj + 3 * l).fma(y, d3);
            ai += 2 * aDepth;
            bi += 2 * bStride;
        }
        if (k < depth) {
            FloatVector x = FloatVector.broadcast(SPECIES, a[ai]);
            c0 = FloatVector.fromArray(SPECIES, b, bi).fma(x, c0);
            c1 = FloatVector.fromArray(SPECIES, b, bi + l).fma(x, c1);
            c2 = FloatVector.fromArray(SPECIES, b, bi + 2 * l).fma(x, c2);
            c3 = FloatVector.fromArray(SPECIES, b, bi + 3 * l).fma(x, c3);
        }
        c0 = c0.add(d0);
        c1 = c1.add(d1);
        c2 = c2.add(d2);
        c3 = c3.add(d3);
        if (add) {
            c0 = c0.add(FloatVector.fromArray(SPECIES, c, ci));
            c1 = c1.add(FloatVector.fromArray(SPECIES, c, ci + l));
            c2 = c2.add(FloatVector.fromArray(SPECIES, c, ci + 2 * l));
            c3 = c3.add(FloatVector.fromArray(SPECIES, c, ci + 3 * l));
        }
        c0.intoArray(c, ci);
        c1.intoArray(c, ci + l);
        c2.intoArray(c, ci + 2 * l);
        c3.intoArray(c, ci + 3 * l);
    }

    /**
     * Four rows times one column vector. A partial (masked) vector goes row by row through
     * {@link #tile1x1}: C1, the JIT's first tier, gives up on a 4-row masked kernel ("out of
     * virtual registers in LIR generator"), and a method C1 skips may then never reach C2 and runs
     * the Vector API's allocating fallback, tens of times slower, for the rest of the run
     * ({@code JitCompilationTest} guards this). Tails carry a minority of the work.
     */
    private static void tile4x1(int depth, float[] a, int ai, int aRow, int aDepth, float[] b, int bi, int bStride,
                                float[] c, int ci, int cRow, int lanes, int start, float[] bias, int biasIndex,
                                boolean add) {
        if (lanes == LANES) {
            tile4x1Full(depth, a, ai, aRow, aDepth, b, bi, bStride, c, ci, cRow, start, bias, biasIndex, add);
        } else {
            for (int r = 0; r < TILE_ROWS; r++) {
                tile1x1(depth, a, ai + r * aRow, aDepth, b, bi, bStride, c, ci + r * cRow, lanes, start, bias,
                        biasIndex, add);
            }
        }
    }

    /** {@link #tile4x1} on a whole vector: two depth steps at a time into eight accumulators. */
    private static void tile4x1Full(int depth, float[] a, int ai, int aRow, int aDepth, float[] b, int bi,
                                    int bStride, float[] c, int ci, int cRow, int start, float[] bias,
                                    int biasIndex, boolean add) {
        FloatVector c0;
        FloatVector c1;
        FloatVector c2;
        FloatVector c3;
        if (start == FROM_C) {
            c0 = FloatVector.fromArray(SPECIES, c, ci);
            c1 = FloatVector.fromArray(SPECIES, c, ci + cRow);
            c2 = FloatVector.fromArray(SPECIES, c, ci + 2 * cRow);
            c3 = FloatVector.fromArray(SPECIES, c, ci + 3 * cRow);
        } else {
            c0 = start == FROM_BIAS ? FloatVector.fromArray(SPECIES, bias, biasIndex) : FloatVector.zero(SPECIES);
            c1 = c0;
            c2 = c0;
            c3 = c0;
        }
        FloatVector d0 = FloatVector.zero(SPECIES);
        FloatVector d1 = d0;
        FloatVector d2 = d0;
        FloatVector d3 = d0;
        final int a1 = aRow;
        final int a2 = 2 * aRow;
        final int a3 = 3 * aRow;
        int k = 0;
        for (; k + 2 <= depth; k += 2) {
            FloatVector p = FloatVector.fromArray(SPECIES, b, bi);
            FloatVector q = FloatVector.fromArray(SPECIES, b, bi + bStride);
            int aj = ai + aDepth;
            c0 = p.fma(FloatVector.broadcast(SPECIES, a[ai]), c0);
            c1 = p.fma(FloatVector.broadcast(SPECIES, a[ai + a1]), c1);
            c2 = p.fma(FloatVector.broadcast(SPECIES, a[ai + a2]), c2);
            c3 = p.fma(FloatVector.broadcast(SPECIES, a[ai + a3]), c3);
            d0 = q.fma(FloatVector.broadcast(SPECIES, a[aj]), d0);
            d1 = q.fma(FloatVector.broadcast(SPECIES, a[aj + a1]), d1);
            d2 = q.fma(FloatVector.broadcast(SPECIES, a[aj + a2]), d2);
            d3 = q.fma(FloatVector.broadcast(SPECIES, a[aj + a3]), d3);
            ai += 2 * aDepth;
            bi += 2 * bStride;
        }
        if (k < depth) {
            FloatVector p = FloatVector.fromArray(SPECIES, b, bi);
            c0 = p.fma(FloatVector.broadcast(SPECIES, a[ai]), c0);
            c1 = p.fma(FloatVector.broadcast(SPECIES, a[ai + a1]), c1);
            c2 = p.fma(FloatVector.broadcast(SPECIES, a[ai + a2]), c2);
            c3 = p.fma(FloatVector.broadcast(SPECIES, a[ai + a3]), c3);
        }
        c0 = c0.add(d0);
        c1 = c1.add(d1);
        c2 = c2.add(d2);
        c3 = c3.add(d3);
        if (add) {
            c0 = c0.add(FloatVector.fromArray(SPECIES, c, ci));
            c1 = c1.add(FloatVector.fromArray(SPECIES, c, ci + cRow));
            c2 = c2.add(FloatVector.fromArray(SPECIES, c, ci + 2 * cRow));
            c3 = c3.add(FloatVector.fromArray(SPECIES, c, ci + 3 * cRow));
        }
        c0.intoArray(c, ci);
        c1.intoArray(c, ci + cRow);
        c2.intoArray(c, ci + 2 * cRow);
        c3.intoArray(c, ci + 3 * cRow);
    }

    /**
     * One row times one column vector. Full vectors take four depth steps at a time into four
     * accumulators; a partial vector takes the small masked loop, since C1 gives up on a masked
     * kernel much larger than that ("out of virtual registers in linear scan", see
     * {@link #tile4x1}).
     */
    private static void tile1x1(int depth, float[] a, int ai, int aDepth, float[] b, int bi, int bStride,
                                float[] c, int ci, int lanes, int start, float[] bias, int biasIndex,
                                boolean add) {
        if (lanes == LANES) {
            tile1x1Full(depth, a, ai, aDepth, b, bi, bStride, c, ci, start, bias, biasIndex, add);
        } else {
            tile1x1Masked(depth, a, ai, aDepth, b, bi, bStride, c, ci, lanes, start, bias, biasIndex, add);
        }
    }

    private static void tile1x1Full(int depth, float[] a, int ai, int aDepth, float[] b, int bi, int bStride,
                                    float[] c, int ci, int start, float[] bias, int biasIndex, boolean add) {
        FloatVector c0;
        if (start == FROM_C) {
            c0 = FloatVector.fromArray(SPECIES, c, ci);
        } else if (start == FROM_BIAS) {
            c0 = FloatVector.fromArray(SPECIES, bias, biasIndex);
        } else {
            c0 = FloatVector.zero(SPECIES);
        }
        FloatVector c1 = FloatVector.zero(SPECIES);
        FloatVector c2 = c1;
        FloatVector c3 = c1;
        int k = 0;
        for (; k + 4 <= depth; k += 4) {
            c0 = FloatVector.fromArray(SPECIES, b, bi).fma(FloatVector.broadcast(SPECIES, a[ai]), c0);
            c1 = FloatVector.fromArray(SPECIES, b, bi + bStride)
                    .fma(FloatVector.broadcast(SPECIES, a[ai + aDepth]), c1);
            c2 = FloatVector.fromArray(SPECIES, b, bi + 2 * bStride)
                    .fma(FloatVector.broadcast(SPECIES, a[ai + 2 * aDepth]), c2);
            c3 = FloatVector.fromArray(SPECIES, b, bi + 3 * bStride)
                    .fma(FloatVector.broadcast(SPECIES, a[ai + 3 * aDepth]), c3);
            ai += 4 * aDepth;
            bi += 4 * bStride;
        }
        for (; k < depth; k++) {
            c0 = FloatVector.fromArray(SPECIES, b, bi).fma(FloatVector.broadcast(SPECIES, a[ai]), c0);
            ai += aDepth;
            bi += bStride;
        }
        c0 = c0.add(c1).add(c2.add(c3));
        if (add) {
            c0 = c0.add(FloatVector.fromArray(SPECIES, c, ci));
        }
        c0.intoArray(c, ci);
    }

    private static void tile1x1Masked(int depth, float[] a, int ai, int aDepth, float[] b, int bi, int bStride,
                                      float[] c, int ci, int lanes, int start, float[] bias, int biasIndex,
                                      boolean add) {
        VectorMask<Float> mask = SPECIES.indexInRange(0, lanes);
        FloatVector c0;
        if (start == FROM_C) {
            c0 = FloatVector.fromArray(SPECIES, c, ci, mask);
        } else if (start == FROM_BIAS) {
            c0 = FloatVector.fromArray(SPECIES, bias, biasIndex, mask);
        } else {
            c0 = FloatVector.zero(SPECIES);
        }
        for (int k = 0; k < depth; k++) {
            c0 = FloatVector.fromArray(SPECIES, b, bi, mask).fma(FloatVector.broadcast(SPECIES, a[ai]), c0);
            ai += aDepth;
            bi += bStride;
        }
        if (add) {
            c0 = c0.add(FloatVector.fromArray(SPECIES, c, ci, mask));
        }
        c0.intoArray(c, ci, mask);
    }
}
