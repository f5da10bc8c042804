package dev.elman.simd;

import java.util.Arrays;

import static dev.elman.simd.Gemm.COLUMN_BLOCK;
import static dev.elman.simd.Gemm.DEPTH_BLOCK;
import static dev.elman.simd.Gemm.GROUP;
import static dev.elman.simd.Gemm.LANES;
import static dev.elman.simd.RegisterTiles.FROM_BIAS;
import static dev.elman.simd.RegisterTiles.FROM_C;
import static dev.elman.simd.RegisterTiles.FROM_ZERO;
import static dev.elman.simd.RegisterTiles.TILE_ROWS;
import static dev.elman.simd.RegisterTiles.WIDE_ROWS;

/**
 * The forward products of {@link Gemm} against weights of a reduced precision
 * ({@link NarrowPanels}): the input projection and the recurrent step.
 *
 * <p>Rows come in two kinds, as in {@link Gemm}'s driver. Whole tiles of several rows (as
 * {@link TilePlan} cuts the rows) reuse each weight across their rows, so the weights are widened
 * once per depth block and column group into a float scratch ({@link #BLOCK_FLOATS} per
 * participant, in L1) and the f32 register tiles run over it, continuing from {@code C} block after
 * block. The rows left over (all of them in a
 * batch-1 step) read each weight once, so they go through the row kernels of
 * {@link NarrowPanels}, which widen in registers and read half or a quarter of the bytes. Both
 * keep one chain per element with {@code k} in order and multiply with the same floats, so every
 * element is the float the f32 products give on the rounded weights, whichever rows it is in and
 * however a pass is split over threads.
 */
final class NarrowGemm {
    /**
     * Floats of a widened block, {@link Gemm#DEPTH_BLOCK} rows of one column group: the least of a
     * participant's region of the workspace's blocks ({@link SpanWorkspace#blockFloats}), which a
     * training workspace's region shares with {@link Gemm}'s panels.
     */
    static final int BLOCK_FLOATS = DEPTH_BLOCK * GROUP * LANES;

    private NarrowGemm() {
    }

    /** @return whether a product of this many rows needs the widened-block scratch */
    static boolean needsScratch(long rows) {
        return rows >= TilePlan.MACHINE.fewestTiledRows();
    }

    /**
     * {@code C = A·B + bias} over whole rows (see {@link Gemm#project(int, int, int, float[], int,
     * float[], float[], float[], int)}).
     *
     * @param scratch {@link #BLOCK_FLOATS} floats from {@code scratchOffset} when {@link #needsScratch}
     *     says so for {@code rows}, else ignored
     */
    static void project(int rows, int cols, int depth, float[] a, int aOffset, NarrowPanels b, float[] bias,
                        float[] c, int cOffset, float[] scratch, int scratchOffset) {
        multiply(rows, cols, depth, a, aOffset, b, 0, c, cOffset, cols, bias == null ? FROM_ZERO : FROM_BIAS, bias,
                Gemm.Epilogue.NONE, null, scratch, scratchOffset);
    }

    /**
     * The columns {@code [colFrom, colTo)} of {@link #project}, as
     * {@link Gemm#project(int, int, int, int, int, float[], int, float[], float[], float[], int)}
     * computes them: the bias copied in first, the accumulators starting at {@code C}.
     */
    static void project(int rows, int cols, int colFrom, int colTo, int depth, float[] a, int aOffset, NarrowPanels b,
                        float[] bias, float[] c, int cOffset, float[] scratch, int scratchOffset) {
        int width = colTo - colFrom;
        if (width <= 0) {
            return;
        }
        Gemm.startColumns(rows, cols, colFrom, colTo, bias, c, cOffset);
        multiply(rows, width, depth, a, aOffset, b, colFrom / COLUMN_BLOCK, c, cOffset + colFrom, cols, FROM_C, null,
                Gemm.Epilogue.NONE, null, scratch, scratchOffset);
    }

    /**
     * One forward step for the hidden units {@code [colFrom, colTo)} (bounds as for
     * {@link Gemm#stepForward(int, int, int, int, float[], int, float[], VectorActivation, float[], int)}):
     * {@code h_t = φ(h_t + h_{t−1}·Whᵀ)}.
     */
    static void stepForward(int batch, int hidden, int colFrom, int colTo, float[] previous, int previousOffset,
                            NarrowPanels whTransposed, VectorActivation act, float[] h, int current, float[] scratch,
                            int scratchOffset) {
        multiply(batch, colTo - colFrom, hidden, previous, previousOffset, whTransposed, colFrom / COLUMN_BLOCK, h,
                current + colFrom, hidden, FROM_C, null, Gemm.Epilogue.ACTIVATE, act, scratch, scratchOffset);
    }

    /**
     * {@code C = start + A·B}, then the epilogue; {@code A} row-major with row stride {@code depth},
     * {@code B}'s column groups from {@code firstGroup} on.
     */
    private static void multiply(int rows, int cols, int depth, float[] a, int aOffset, NarrowPanels b, int firstGroup,
                                 float[] c, int cOffset, int cRow, int start, float[] bias, Gemm.Epilogue after,
                                 VectorActivation act, float[] scratch, int scratchOffset) {
        if (rows <= 0 || cols <= 0) {
            return;
        }
        int vectors = (cols + LANES - 1) / LANES;
        int groups = (vectors + GROUP - 1) / GROUP;
        TilePlan plan = TilePlan.MACHINE;
        int tiled = rows - plan.singles(rows);
        if (tiled > 0) {
            int sixRows = WIDE_ROWS * plan.sixes(tiled);
            int fiveRows = sixRows + RegisterTiles.FIVE_ROWS * plan.fives(tiled);
            int fourRows = fiveRows + TILE_ROWS * plan.fours(tiled);
            for (int k0 = 0; k0 == 0 || k0 < depth; k0 += DEPTH_BLOCK) {
                int kLength = Math.min(DEPTH_BLOCK, depth - k0);
                int blockStart = k0 == 0 ? start : FROM_C;
                Gemm.Epilogue blockAfter = k0 + kLength >= depth ? after : Gemm.Epilogue.NONE;
                int aAt = aOffset + k0;
                for (int g = 0; g < groups; g++) {
                    int inGroup = b.vectorsIn(firstGroup + g);
                    b.dequantize(firstGroup + g, k0, kLength, scratch, scratchOffset);
                    int col = g * GROUP * LANES;
                    int stride = inGroup * LANES;
                    if (inGroup == GROUP && col + GROUP * LANES <= cols) {
                        int m = 0;
                        for (; m < sixRows; m += WIDE_ROWS) {
                            int ci = cOffset + m * cRow + col;
                            RegisterTiles.tile6x4(kLength, a, aAt + m * depth, depth, 1, scratch, scratchOffset,
                                    stride, c, ci, cRow, blockStart, bias, col, false);
                            Gemm.after(blockAfter, act, c, ci, cRow, WIDE_ROWS, stride);
                        }
                        for (; m < fiveRows; m += RegisterTiles.FIVE_ROWS) {
                            int ci = cOffset + m * cRow + col;
                            RegisterTiles.tile5x4(kLength, a, aAt + m * depth, depth, 1, scratch, scratchOffset,
                                    stride, c, ci, cRow, blockStart, bias, col, false);
                            Gemm.after(blockAfter, act, c, ci, cRow, RegisterTiles.FIVE_ROWS, stride);
                        }
                        for (; m < fourRows; m += TILE_ROWS) {
                            int ci = cOffset + m * cRow + col;
                            RegisterTiles.tile4x4(kLength, a, aAt + m * depth, depth, 1, scratch, scratchOffset,
                                    stride, c, ci, cRow, blockStart, bias, col, false);
                            Gemm.after(blockAfter, act, c, ci, cRow, TILE_ROWS, stride);
                        }
                        for (; m < tiled; m += RegisterTiles.TWO_ROWS) {
                            int ci = cOffset + m * cRow + col;
                            RegisterTiles.tile2x4Packed(kLength, a, aAt + m * depth, depth, scratch, scratchOffset,
                                    c, ci, cRow, blockStart, bias, col, false);
                            Gemm.after(blockAfter, act, c, ci, cRow, RegisterTiles.TWO_ROWS, stride);
                        }
                    } else {
                        for (int v = 0; v < inGroup; v++) {
                            int colV = col + v * LANES;
                            int lanes = Math.min(LANES, cols - colV);
                            int m = 0;
                            for (; m + TILE_ROWS <= tiled; m += TILE_ROWS) {
                                int ci = cOffset + m * cRow + colV;
                                RegisterTiles.tile4x1(kLength, a, aAt + m * depth, depth, 1, scratch,
                                        scratchOffset + v * LANES, stride, c, ci, cRow, lanes, blockStart, bias, colV,
                                        false);
                                Gemm.after(blockAfter, act, c, ci, cRow, TILE_ROWS, lanes);
                            }
                            // The tiled rows need not be a multiple of 4 (a 6-, 5- or 2-row tile's).
                            for (; m < tiled; m++) {
                                int ci = cOffset + m * cRow + colV;
                                RegisterTiles.tile1x1(kLength, a, aAt + m * depth, 1, scratch,
                                        scratchOffset + v * LANES, stride, c, ci, lanes, blockStart, bias, colV, false);
                                Gemm.after(blockAfter, act, c, ci, cRow, 1, lanes);
                            }
                        }
                    }
                }
            }
        }
        int fullGroups = cols / (GROUP * LANES);
        for (int m = tiled; m < rows; m++) {
            int ai = aOffset + m * depth;
            int row = cOffset + m * cRow;
            // The row kernels start from C: the bias (or zeros) goes there first, the same start
            // value as the tiles' (so the same floats), for one copy of a row.
            if (start == FROM_BIAS) {
                System.arraycopy(bias, 0, c, row, cols);
            } else if (start == FROM_ZERO) {
                Arrays.fill(c, row, row + cols, 0f);
            }
            int g = 0;
            for (; g + 2 <= fullGroups; g += 2) {
                int col = g * GROUP * LANES;
                int ci = cOffset + m * cRow + col;
                b.rowTimesTwoGroups(a, ai, firstGroup + g, c, ci);
                Gemm.after(after, act, c, ci, cRow, 1, 2 * GROUP * LANES);
            }
            if (g < fullGroups) {
                int col = g * GROUP * LANES;
                int ci = cOffset + m * cRow + col;
                b.rowTimesGroup(a, ai, firstGroup + g, c, ci);
                Gemm.after(after, act, c, ci, cRow, 1, GROUP * LANES);
            }
            for (int v = fullGroups * GROUP; v < vectors; v++) {
                int col = v * LANES;
                int lanes = Math.min(LANES, cols - col);
                int ci = cOffset + m * cRow + col;
                b.rowTimesVector(a, ai, firstGroup * GROUP + v, c, ci, lanes);
                Gemm.after(after, act, c, ci, cRow, 1, lanes);
            }
        }
    }
}
