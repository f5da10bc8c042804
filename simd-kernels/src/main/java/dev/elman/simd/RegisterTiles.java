package dev.elman.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

import static dev.elman.simd.Gemm.GROUP;
import static dev.elman.simd.Gemm.LANES;
import static dev.elman.simd.Gemm.SPECIES;

/**
 * The register tiles of {@link Gemm}: each computes one block of {@code C} with its accumulators
 * held in vector registers for the whole depth, reading {@code A} by broadcasts and {@code B} by
 * whole vectors, and is written out by hand so that every accumulator is a local the JIT keeps
 * in a register.
 *
 * <p>A tile begins its accumulators at zero, at {@code C} or at the bias (the start code), runs
 * {@code depth} fused multiply-adds per accumulator, then stores them to {@code C} or adds them
 * onto it ({@code add}: one rounding onto what was there). Operands: {@code A} element
 * {@code (m, k)} at {@code a[ai + m·aRow + k·aDepth]}; {@code B} row {@code k} at
 * {@code b[bi + k·bStride]}; {@code C} row {@code m} at {@code c[ci + m·cRow]}; the bias at
 * {@code bias[biasIndex]}.
 *
 * <p><b>One order for every element.</b> Every tile keeps one accumulator chain per output
 * vector: the start value, then {@code k = 0 … depth − 1} in order, then the optional add onto
 * {@code C}. So an element of {@code C} is the same float whichever tile computes it, wherever a
 * product's rows or columns are cut and whether its depth is blocked (a block continues from the
 * float it stored); this is what lets a pass be split over threads and still give the one-thread
 * result bit for bit. Splitting a chain over the depth for more independent FMAs would break it;
 * single rows get their parallel chains from more columns instead ({@link #rowTimesTwoGroups}).
 *
 * <p>These bodies are the ones the JIT is known to compile well, and three rules keep them so:
 * <ul>
 *   <li>only arrays and indices cross a call, never a vector: a vector passed to or returned
 *       from a method the JIT declines to inline (large methods, or methods already compiled on
 *       their own) is boxed, an allocation per call;</li>
 *   <li>masked kernels stay small, and the tiles that may meet a partial vector split into a
 *       full and a masked method: C1, the JIT's first tier, gives up on a large masked kernel
 *       ("out of virtual registers"), and a method C1 skips may never reach C2 and then runs the
 *       Vector API's allocating fallback, tens of times slower, for the rest of the run
 *       ({@code JitCompilationTest} guards this);</li>
 *   <li>the start is an {@code int} code compared against constants, as the tiles have always
 *       taken it; the driver turns its typed mode into the code once per call.</li>
 * </ul>
 */
final class RegisterTiles {
    /** Start code: the accumulators begin at zero. */
    static final int FROM_ZERO = 0;
    /** Start code: the accumulators begin with {@code C}'s current values. */
    static final int FROM_C = 1;
    /** Start code: the accumulators begin with {@code bias[biasIndex …]} (a padded, kernel-owned bias). */
    static final int FROM_BIAS = 2;

    /** Rows of the 4-row tiles, {@link #tile4x4} and {@link #tile4x1}. */
    static final int TILE_ROWS = 4;
    /** Rows of the wide tile, {@link #tile6x4}. */
    static final int WIDE_ROWS = 6;
    /** Rows of {@link #tile5x4}. */
    static final int FIVE_ROWS = 5;
    /** Rows of {@link #tile2x4}. */
    static final int TWO_ROWS = 2;

    private RegisterTiles() {
    }

    /**
     * Six rows times a column group: 24 accumulators, 4 loads of {@code B} and 6 broadcasts per
     * 24 fused multiply-adds (the 4×4 tile does 16 per 8 loads), 29 of the 32 vector registers.
     */
    static void tile6x4(int depth, float[] a, int ai, int aRow, int aDepth,
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

    /**
     * Five rows times a column group: 20 accumulators, 4 loads of {@code B} and 5 broadcasts per
     * 20 fused multiply-adds. It runs at the 6-row tile's rate, so the rows that 6-row tiles leave
     * go into 5-row tiles rather than 4-row ones, which run 15 % slower ({@link TilePlan}).
     */
    static void tile5x4(int depth, float[] a, int ai, int aRow, int aDepth,
                        float[] b, int bi, int bStride,
                        float[] c, int ci, int cRow, int start, float[] bias, int biasIndex, boolean add) {
        final int l = LANES;
        FloatVector c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33, c40, c41, c42, c43;
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
        }
        final int a1 = aRow;
        final int a2 = 2 * aRow;
        final int a3 = 3 * aRow;
        final int a4 = 4 * aRow;
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
    }

    /** Four rows times a column group: 16 accumulators, 4 loads and 4 broadcasts per 16 fused multiply-adds. */
    static void tile4x4(int depth, float[] a, int ai, int aRow, int aDepth,
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
     * Two rows times a column group, the tile of sixteen vector registers (AVX2, {@link TilePlan#NARROW}):
     * 8 accumulators, 2 broadcasts and a vector of {@code B} live at a time, 11 registers. Any
     * taller tile of a whole group spills there.
     */
    static void tile2x4(int depth, float[] a, int ai, int aRow, int aDepth,
                        float[] b, int bi, int bStride,
                        float[] c, int ci, int cRow, int start, float[] bias, int biasIndex, boolean add) {
        final int l = LANES;
        FloatVector c00, c01, c02, c03, c10, c11, c12, c13;
        if (start == FROM_C) {
            c00 = FloatVector.fromArray(SPECIES, c, ci);
            c01 = FloatVector.fromArray(SPECIES, c, ci + l);
            c02 = FloatVector.fromArray(SPECIES, c, ci + 2 * l);
            c03 = FloatVector.fromArray(SPECIES, c, ci + 3 * l);
            c10 = FloatVector.fromArray(SPECIES, c, ci + cRow);
            c11 = FloatVector.fromArray(SPECIES, c, ci + cRow + l);
            c12 = FloatVector.fromArray(SPECIES, c, ci + cRow + 2 * l);
            c13 = FloatVector.fromArray(SPECIES, c, ci + cRow + 3 * l);
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
        }
        final int a1 = aRow;
        for (int k = 0; k < depth; k++) {
            FloatVector x0 = FloatVector.broadcast(SPECIES, a[ai]);
            FloatVector x1 = FloatVector.broadcast(SPECIES, a[ai + a1]);
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bi);
            c00 = b0.fma(x0, c00);
            c10 = b0.fma(x1, c10);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bi + l);
            c01 = b1.fma(x0, c01);
            c11 = b1.fma(x1, c11);
            FloatVector b2 = FloatVector.fromArray(SPECIES, b, bi + 2 * l);
            c02 = b2.fma(x0, c02);
            c12 = b2.fma(x1, c12);
            FloatVector b3 = FloatVector.fromArray(SPECIES, b, bi + 3 * l);
            c03 = b3.fma(x0, c03);
            c13 = b3.fma(x1, c13);
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
        }
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + l);
        c02.intoArray(c, ci + 2 * l);
        c03.intoArray(c, ci + 3 * l);
        c10.intoArray(c, ci + cRow);
        c11.intoArray(c, ci + cRow + l);
        c12.intoArray(c, ci + cRow + 2 * l);
        c13.intoArray(c, ci + cRow + 3 * l);
    }

    /**
     * {@link #tile2x4} for a packed {@code B} ({@link Panels}, row stride {@code GROUP·LANES}) and an
     * {@code A} contiguous along the depth: the projections and the steps. With both strides
     * constants the same tile ran 1.13–1.19 times as fast from L1 on AVX2 (presumably because the
     * JIT can then take the bounds checks out of the depth loop, whose step has only 8 fused
     * multiply-adds to hide them behind; only B's stride constant gave 1.02–1.09).
     */
    static void tile2x4Packed(int depth, float[] a, int ai, int aRow, float[] b, int bi,
                              float[] c, int ci, int cRow, int start, float[] bias, int biasIndex, boolean add) {
        final int l = LANES;
        FloatVector c00, c01, c02, c03, c10, c11, c12, c13;
        if (start == FROM_C) {
            c00 = FloatVector.fromArray(SPECIES, c, ci);
            c01 = FloatVector.fromArray(SPECIES, c, ci + l);
            c02 = FloatVector.fromArray(SPECIES, c, ci + 2 * l);
            c03 = FloatVector.fromArray(SPECIES, c, ci + 3 * l);
            c10 = FloatVector.fromArray(SPECIES, c, ci + cRow);
            c11 = FloatVector.fromArray(SPECIES, c, ci + cRow + l);
            c12 = FloatVector.fromArray(SPECIES, c, ci + cRow + 2 * l);
            c13 = FloatVector.fromArray(SPECIES, c, ci + cRow + 3 * l);
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
        }
        final int a1 = aRow;
        for (int k = 0; k < depth; k++) {
            FloatVector x0 = FloatVector.broadcast(SPECIES, a[ai]);
            FloatVector x1 = FloatVector.broadcast(SPECIES, a[ai + a1]);
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bi);
            c00 = b0.fma(x0, c00);
            c10 = b0.fma(x1, c10);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bi + l);
            c01 = b1.fma(x0, c01);
            c11 = b1.fma(x1, c11);
            FloatVector b2 = FloatVector.fromArray(SPECIES, b, bi + 2 * l);
            c02 = b2.fma(x0, c02);
            c12 = b2.fma(x1, c12);
            FloatVector b3 = FloatVector.fromArray(SPECIES, b, bi + 3 * l);
            c03 = b3.fma(x0, c03);
            c13 = b3.fma(x1, c13);
            ai++;
            bi += GROUP * LANES;
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
        }
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + l);
        c02.intoArray(c, ci + 2 * l);
        c03.intoArray(c, ci + 3 * l);
        c10.intoArray(c, ci + cRow);
        c11.intoArray(c, ci + cRow + l);
        c12.intoArray(c, ci + cRow + 2 * l);
        c13.intoArray(c, ci + cRow + 3 * l);
    }

    /**
     * One row of A (contiguous) times two full column groups of a packed B: 8 accumulators, one
     * broadcast per 8 loads, constant strides.
     */
    static void rowTimesTwoGroups(int depth, float[] a, int ai, float[] b, int bi,
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

    /** One row times a column group: four accumulators, one chain each. */
    static void tile1x4(int depth, float[] a, int ai, int aDepth, float[] b, int bi, int bStride,
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
        // One chain per output vector, k in order, as every tile: an element's sum must not depend
        // on which tile computes it (a split pass gives the one-thread result bit for bit).
        for (int k = 0; k < depth; k++) {
            FloatVector x = FloatVector.broadcast(SPECIES, a[ai]);
            c0 = FloatVector.fromArray(SPECIES, b, bi).fma(x, c0);
            c1 = FloatVector.fromArray(SPECIES, b, bi + l).fma(x, c1);
            c2 = FloatVector.fromArray(SPECIES, b, bi + 2 * l).fma(x, c2);
            c3 = FloatVector.fromArray(SPECIES, b, bi + 3 * l).fma(x, c3);
            ai += aDepth;
            bi += bStride;
        }
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
    static void tile4x1(int depth, float[] a, int ai, int aRow, int aDepth, float[] b, int bi, int bStride,
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
        final int a1 = aRow;
        final int a2 = 2 * aRow;
        final int a3 = 3 * aRow;
        // One chain per output vector, k in order (see tile1x4).
        for (int k = 0; k < depth; k++) {
            FloatVector p = FloatVector.fromArray(SPECIES, b, bi);
            c0 = p.fma(FloatVector.broadcast(SPECIES, a[ai]), c0);
            c1 = p.fma(FloatVector.broadcast(SPECIES, a[ai + a1]), c1);
            c2 = p.fma(FloatVector.broadcast(SPECIES, a[ai + a2]), c2);
            c3 = p.fma(FloatVector.broadcast(SPECIES, a[ai + a3]), c3);
            ai += aDepth;
            bi += bStride;
        }
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
    static void tile1x1(int depth, float[] a, int ai, int aDepth, float[] b, int bi, int bStride,
                        float[] c, int ci, int lanes, int start, float[] bias, int biasIndex,
                        boolean add) {
        if (lanes == LANES) {
            tile1x1Full(depth, a, ai, aDepth, b, bi, bStride, c, ci, start, bias, biasIndex, add);
        } else {
            tile1x1Masked(depth, a, ai, aDepth, b, bi, bStride, c, ci, lanes, start, bias, biasIndex, add);
        }
    }

    /** {@link #tile1x1} on a whole vector. */
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
        // One chain, k in order (see tile1x4).
        for (int k = 0; k < depth; k++) {
            c0 = FloatVector.fromArray(SPECIES, b, bi).fma(FloatVector.broadcast(SPECIES, a[ai]), c0);
            ai += aDepth;
            bi += bStride;
        }
        if (add) {
            c0 = c0.add(FloatVector.fromArray(SPECIES, c, ci));
        }
        c0.intoArray(c, ci);
    }

    /** {@link #tile1x1} on the first {@code lanes} lanes of a vector. */
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
