package dev.elman.simd;

import jdk.incubator.vector.FloatVector;
import java.util.Arrays;
import jdk.incubator.vector.VectorSpecies;

import static dev.elman.simd.RegisterTiles.FROM_C;
import static dev.elman.simd.RegisterTiles.TILE_ROWS;
import static dev.elman.simd.RegisterTiles.WIDE_ROWS;

/**
 * Register-blocked matrix products, the only place the kernels spend their time: every pass of
 * {@link VectorKernels} is a few of the operations here.
 *
 * <ul>
 *   <li>{@link #project}: {@code C = A·B + bias}, the input projection of a span and the output
 *       head;</li>
 *   <li>{@link #stepForward}: {@code h_t = φ(h_t + h_{t−1}·Whᵀ)}, one step of the recurrence;</li>
 *   <li>{@link #stepBackward}: {@code dz_t = φ'(h_t)·(dz_{t+1}·Wh + dh_t)}, one step of
 *       backpropagation;</li>
 *   <li>{@link #propagate}: {@code C = A·B}, a gradient carried back through a weight matrix
 *       where no derivative follows;</li>
 *   <li>{@link #addOuterProducts} and {@link #addOuterProductsInBlocks}: {@code target += Gᵀ·V},
 *       the weight gradients.</li>
 * </ul>
 * All of them run one private driver that walks {@code C} in register tiles
 * ({@link RegisterTiles}) and states its modes as types: where the accumulators start, whether
 * they are stored or added, what runs over each tile just written, how {@code B} is laid out.
 *
 * <h2>Operands</h2>
 * <ul>
 *   <li>{@code A} is {@code rows × depth}, element {@code (m, k)} at
 *       {@code a[aOffset + m·aRowStride + k·aDepthStride]}: any strides, so a transposed view
 *       ({@code Gᵀ} for the weight gradients) costs nothing. Its elements are broadcast, one
 *       scalar load each.</li>
 *   <li>{@code B} is {@code depth × cols} and is read as whole vectors along a row. Either
 *       {@linkplain Panels panel-packed} (weights, packed once per {@code load}) or row-major with
 *       a row stride (activations such as {@code x} or {@code h}, used in place).</li>
 *   <li>{@code C} is {@code rows × cols}, row-major with a row stride. The accumulators begin
 *       at zero, at {@code C} or at the bias, are stored or added to {@code C}, and each register
 *       tile, right after it is written and while it is in L1, can be passed through φ: bias and
 *       activation ride in the product's pass instead of costing another trip through memory.
 *       The backward step's {@code φ'(h)·(· + dh)} runs over whole rows after its product
 *       instead (see {@link #stepBackward}).</li>
 * </ul>
 *
 * <h2>Blocking</h2>
 * With 32 vector registers (AVX-512) a register tile is 6 rows × 4 vectors (24 accumulators, 4
 * loads of {@code B} and 6 broadcasts of {@code A} per 24 fused multiply-adds, 29 of the 32
 * registers), with 5 × 4 tiles (as fast) for the rows left over and 4 × 4 tiles (15 % slower)
 * only where no cut into 6 and 5 rows exists; with 16 (AVX2), where those spill, 2 rows × 4
 * vectors ({@link TilePlan}). From 8
 * rows on the depth is cut into blocks of {@value #DEPTH_BLOCK}, so a column group's slice of
 * {@code B} stays in L1 while every row tile passes over it — with the wide tiles deeper, so that it
 * stays in L2 and {@code C} is loaded and stored less often: {@link #PACKED_DEPTH_BLOCK} against
 * packed weights, {@link #GRADIENT_DEPTH_BLOCK} for a weight gradient too large for L2; the depth
 * blocks are the outer loop
 * and the column groups the inner one, so a block of {@code A} stays in L2 while every group
 * passes over it, unless {@code C} is too large to stay in L2 beside it: then each column group
 * runs through all its depth blocks before the next ({@link #groupsOutside}); a product taller
 * than {@link #ROW_PANEL} rows runs as panels of rows, each with blocks of {@code A} that fit.
 *
 * <p>A single row (a batch-1 step) has no reuse of {@code B} at all: it is bound by how fast
 * {@code B} streams in from L1 or L2. Against packed weights it goes two column groups at a time
 * through a kernel with constant strides (8 independent accumulators, one broadcast per 8 loads),
 * which streams fastest; other single rows use 4 vectors with the depth split in two. The last,
 * possibly partial, vectors of a row use 1-vector tiles with masks.
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
    /**
     * The unit in which a product's columns may be split between participants: a whole column
     * group, so that every share's groups, tails and panels are those of the whole product.
     */
    static final int COLUMN_BLOCK = GROUP * LANES;
    /** Depth of a block of B that stays in L1: 128 · 4 vectors · 16 lanes · 4 bytes = 32 KiB. */
    static final int DEPTH_BLOCK = 128;
    /**
     * The depth of a block of a product against packed weights ({@link Panels}) with the
     * {@linkplain TilePlan#WIDE wide} tiles: 1024, so a column group's slice of {@code B} (up to
     * 256 KiB) is read from L2 rather than kept in L1, and each register tile loads and stores its
     * {@code C} once per 1024 of depth instead of once per {@value #DEPTH_BLOCK}. Measured on Zen 4
     * (L1d 32 KiB, L2 1 MiB, 512-bit FMAs as two halves, so a 6 × 4 tile's 4 loads of {@code B}
     * per 24 FMAs come well within L2's rate) in one process alternating, GFLOP/s at 128 / 512 /
     * 1024: 2048 × 1024 × 1024 (the projection and {@code dX} of B = 32, H = 1024) 102 / 108 / 110;
     * 32 × 1024 × 1024 (a B = 32 step) 105 / 112 / 114; 16 × 1024 × 1024 104 / 113 / 115;
     * 2048 × 256 × 256 105 / 110 / 108 (one block from 256 on); 64 × 512 × 512 106 / 115 / 114.
     * On Zen 5 (full-width 512-bit FMAs, L1d 48 KiB) blocks of 64–256 were within ±3 % of each
     * other. The narrow tiles keep {@value #DEPTH_BLOCK}, not measured deeper.
     */
    static final int PACKED_DEPTH_BLOCK = TilePlan.MACHINE == TilePlan.WIDE ? 1024 : DEPTH_BLOCK;
    /**
     * The depth of a block of a weight gradient ({@link #addOuterProductsInBlocks}, whose {@code B}
     * is the span's activations, not packed) whose {@code C} is too large for L2
     * ({@link #depthBlock}), with the {@linkplain TilePlan#WIDE wide} tiles: 512, so its column
     * group's slice of {@code B} (copied into the panel buffer, 128 KiB) stays in L2 rather than
     * L1. Every depth block reads and writes the whole {@code C} of its row panel (2 MiB for 512
     * units of a 1024-wide gradient), so each register tile began by waiting for its {@code C} from
     * L3; four times deeper blocks wait a quarter as often, while a 6 × 4 tile's 4 loads of
     * {@code B} per 24 FMAs are well within what L2 delivers. Measured on Zen 4 (L2 1 MiB, 512-bit
     * FMAs as two halves) for the gradients of B = 32, T = 64 in one process alternating, GFLOP/s:
     * 1024 × 2048 × 1024 on one thread 96–100 in blocks of 128 against 99–101 in blocks of 512,
     * two threads each with half the units 181–190 against 193–199; blocks of 256 fell between,
     * of 1024 and 2048 were no faster or slower. Where {@code C} fits L2 (256 units) training ran
     * slower so, though the gradient alone ran faster, and the blocks stay at {@link #DEPTH_BLOCK}. The narrow tiles keep that too:
     * their 2-row tiles read {@code B} three times as often per FMA, and no machine that uses them
     * was measured with deeper blocks.
     */
    static final int GRADIENT_DEPTH_BLOCK = TilePlan.MACHINE == TilePlan.WIDE ? 512 : DEPTH_BLOCK;
    /**
     * The most rows a depth-blocked product runs at once. Its depth blocks are the outer loop
     * (unless it goes {@linkplain #groupsOutside column group by column group}) and every column
     * group passes over a block of {@code A} before the next, so that block must stay in L2. A
     * taller product (the {@code T·B} rows of one thread's {@code dX = dZ·Wx} at B = 32, T = 64,
     * when this was measured) runs as even panels of at most this many rows, each streaming
     * {@code B} once, where undivided its blocks of {@code A} would come from L3 once per column
     * group.
     *
     * <p>512 rows with the {@linkplain TilePlan#WIDE wide} tiles. Against packed weights, measured
     * on Zen 4 (L2 1 MiB) for the 2048 × 1024 × 1024 products of B = 32, H = 1024 (the projection
     * and {@code dX}), which go group by group, in one process alternating: in panels of 1024 rows
     * 87–97 GFLOP/s, of 512 rows 100–103, of 256 rows 97–102 — a group's {@code C} (512 · 64
     * floats, 128 KiB) and a depth block of {@code A} (256 KiB) then stay in L2 together. A weight
     * gradient of 1024 units with {@link #GRADIENT_DEPTH_BLOCK deep blocks} ran as fast in panels
     * of 512 as undivided, and its copied block of {@code A} (the panel buffer's larger part) is
     * half the size. 256 rows (128 KiB) with the {@linkplain TilePlan#NARROW narrow} ones, as
     * measured on the AVX2 machine (Zen 3, L2 512 KiB), whose 2-row tiles also pass over each block
     * of {@code A} three times as often: a 2048 × 1024 × 1024 product ran 1.15 times as fast as in
     * panels of 1024 rows, 1.01 times as in panels of 128.
     */
    static final int ROW_PANEL = TilePlan.MACHINE == TilePlan.WIDE ? 512 : 256;
    /**
     * The bytes of {@code C} above which a depth-blocked product against packed weights runs its
     * column groups outside its depth blocks ({@link #groupsOutside}): past this, a panel's
     * {@code C} and its block of {@code A} no longer stay in L2 together (1 MiB on the machines
     * measured), and with the depth blocks outside every block would read all of {@code C} back
     * from L3.
     */
    static final long C_IN_L2_BYTES = 512 << 10;
    /**
     * Floats of a depth block of one column group of a weight gradient's {@code B}, the first part
     * of a panel buffer.
     */
    static final int B_PANEL_FLOATS = GRADIENT_DEPTH_BLOCK * GROUP * LANES;
    /** Floats of a cache line. */
    private static final int LINE_FLOATS = 16;
    /**
     * The strides of a broadcast {@code A}, in floats, that {@link #multiplyPanel} copies away from
     * (multiples of 2 KiB; see there). Measured on Zen 4 (L1 32 KiB, 8 ways) for a weight gradient
     * of B = 32, T = 64 sequences with the wide tiles, in one process alternating: H = 1024,
     * 76–79 GFLOP/s in place against 86 copied (a half share of units: 84 against 89–90); H = 512,
     * 82–89 against 91–97; H = 256 (1 KiB, four sets) no faster copied (89–92 against 88–92), so
     * not copied. Not with the narrow tiles, which read two rows of A per step of the depth and
     * measured 4 % slower copied (forced on the same machine).
     */
    private static final int ALIASING_STRIDE = 512;
    /**
     * Floats of a depth block of a row panel of {@code A} copied at a stride of an odd number of
     * lines ({@link #copiedRowStride}), the second part of a panel buffer; a block of a shallower
     * product that is not cut into row panels is copied too if it fits.
     */
    static final int A_BLOCK_FLOATS = GRADIENT_DEPTH_BLOCK * (ROW_PANEL + LINE_FLOATS);
    /**
     * Floats of a panel buffer ({@link #addOuterProductsInBlocks}): a depth block of one column
     * group of {@code B}, then a depth block of {@code A}.
     */
    static final int PANEL_FLOATS = B_PANEL_FLOATS + A_BLOCK_FLOATS;

    /** Where a product's accumulators begin, with the code {@link RegisterTiles} takes for it. */
    private enum Start {
        /** At zero. */
        ZERO(RegisterTiles.FROM_ZERO),
        /** At {@code C}'s current values. */
        C(RegisterTiles.FROM_C),
        /** At {@code bias[col]}, a padded, kernel-owned bias. */
        BIAS(RegisterTiles.FROM_BIAS);

        final int tileCode;

        Start(int tileCode) {
            this.tileCode = tileCode;
        }
    }

    /** What becomes of the finished accumulators. */
    private enum Finish {
        /** {@code C = acc}. */
        STORE,
        /** {@code C = C + acc}, one rounding onto what was there. */
        ADD
    }

    /** What runs over each register tile right after it is written. */
    enum Epilogue {
        /** Nothing. */
        NONE,
        /** {@code C = φ(C)}. */
        ACTIVATE
    }

    /** How {@code B} is laid out. */
    private enum Layout {
        /** {@linkplain Panels Panel-packed}. */
        PANELS,
        /** Row-major with a row stride. */
        ROWS
    }

    private Gemm() {
    }

    /**
     * {@code C = A·B + bias} over whole rows: the input projection of a span
     * ({@code Z = X·Wxᵀ + b}) and the output head ({@code Y = H·Wyᵀ + by}).
     *
     * @param rows the rows of {@code A} and {@code C}
     * @param cols the columns of {@code B} and {@code C}
     * @param depth the columns of {@code A}, rows of {@code B} (0 leaves {@code C} at the bias)
     * @param a {@code A}, row-major {@code rows × depth} from {@code aOffset}
     * @param aOffset where {@code A} begins
     * @param b {@code B}, {@linkplain Panels panel-packed} {@code depth × cols}
     * @param bias the bias padded to whole vectors (see {@link Panels#padded}), or null for none
     * @param c {@code C}, row-major {@code rows × cols} from {@code cOffset}
     * @param cOffset where {@code C} begins
     */
    static void project(int rows, int cols, int depth, float[] a, int aOffset, float[] b, float[] bias,
                        float[] c, int cOffset) {
        multiply(rows, cols, depth, a, aOffset, depth, 1, b, 0, Layout.PANELS, 0, c, cOffset, cols,
                bias == null ? Start.ZERO : Start.BIAS, bias, Finish.STORE, Epilogue.NONE, null);
    }

    /**
     * {@link #project} for the columns {@code [colFrom, colTo)} only: one participant's share of a
     * projection of few rows (a streaming step has one), where a share of rows would leave the
     * other participants idle while one reads all of {@code B}. The bounds are those of
     * {@link #stepForward(int, int, int, int, float[], int, float[], VectorActivation, float[], int)};
     * the offsets are those of the whole product. The bias is copied into the share first and the
     * accumulators start at {@code C}: the same start value and the same chain as {@link #project},
     * so every element is the same float.
     */
    static void project(int rows, int cols, int colFrom, int colTo, int depth, float[] a, int aOffset, float[] b,
                        float[] bias, float[] c, int cOffset) {
        int width = colTo - colFrom;
        if (width <= 0) {
            return;
        }
        startColumns(rows, cols, colFrom, colTo, bias, c, cOffset);
        multiply(rows, width, depth, a, aOffset, depth, 1, b, colFrom * depth, Layout.PANELS, 0, c, cOffset + colFrom,
                cols, Start.C, null, Finish.STORE, Epilogue.NONE, null);
    }

    /**
     * Writes the start value of a column share of a projection into {@code C}: the bias of the
     * columns {@code [colFrom, colTo)} (null: zeros) into each of the {@code rows} rows, which are
     * {@code cols} wide. The share's accumulators then start at {@code C}, the same start value as
     * a whole projection's, so every element is the same float.
     */
    static void startColumns(int rows, int cols, int colFrom, int colTo, float[] bias, float[] c, int cOffset) {
        int width = colTo - colFrom;
        for (int m = 0; m < rows; m++) {
            int at = cOffset + m * cols + colFrom;
            if (bias == null) {
                Arrays.fill(c, at, at + width, 0f);
            } else {
                System.arraycopy(bias, colFrom, c, at, width);
            }
        }
    }

    /**
     * {@code C = A·B}: a gradient carried back through a weight matrix where no derivative
     * follows, such as {@code dX = dZ·Wx}, the head's {@code dH = dY·Wy}, and {@code dz·Wh} into
     * {@code dL/dh0} or into the carried gradient of a span with padding.
     *
     * @param rows the rows of {@code A} and {@code C}
     * @param cols the columns of {@code B} and {@code C}
     * @param depth the columns of {@code A}, rows of {@code B}
     * @param a {@code A}, row-major {@code rows × depth} from {@code aOffset}
     * @param aOffset where {@code A} begins
     * @param b {@code B}, {@linkplain Panels panel-packed} {@code depth × cols}
     * @param c {@code C}, row-major {@code rows × cols} from {@code cOffset}
     * @param cOffset where {@code C} begins
     */
    static void propagate(int rows, int cols, int depth, float[] a, int aOffset, float[] b, float[] c, int cOffset) {
        multiply(rows, cols, depth, a, aOffset, depth, 1, b, 0, Layout.PANELS, 0, c, cOffset, cols,
                Start.ZERO, null, Finish.STORE, Epilogue.NONE, null);
    }

    /**
     * One forward step of a batch, {@code h_t = φ(h_t + h_{t−1}·Whᵀ)}: {@code h_t} already holds the
     * step's input projection and bias, and φ runs over each register tile as soon as it is
     * written.
     *
     * @param batch the sequences stepped (rows)
     * @param hidden the hidden size (depth and columns)
     * @param previous {@code h_{t−1}}, {@code [batch][hidden]} from {@code previousOffset}
     * @param previousOffset where {@code h_{t−1}} begins
     * @param whTransposed {@code Whᵀ}, {@linkplain Panels panel-packed} {@code hidden × hidden}
     * @param act φ
     * @param h {@code h_t}, {@code [batch][hidden]} from {@code current}: read, then overwritten
     * @param current where {@code h_t} begins
     */
    static void stepForward(int batch, int hidden, float[] previous, int previousOffset, float[] whTransposed,
                            VectorActivation act, float[] h, int current) {
        stepForward(batch, hidden, 0, hidden, previous, previousOffset, whTransposed, act, h, current);
    }

    /**
     * {@link #stepForward} for the hidden units {@code [colFrom, colTo)} only: one participant's
     * share of a step split by rows of {@code Wh}. {@code colFrom} must be a multiple of
     * {@link #COLUMN_BLOCK} and {@code colTo} one too or {@code hidden}, so the share's column
     * groups are the whole product's (its panels are contiguous in the packed {@code Whᵀ}).
     */
    static void stepForward(int batch, int hidden, int colFrom, int colTo, float[] previous, int previousOffset,
                            float[] whTransposed, VectorActivation act, float[] h, int current) {
        multiply(batch, colTo - colFrom, hidden, previous, previousOffset, hidden, 1, whTransposed,
                colFrom * hidden, Layout.PANELS, 0, h, current + colFrom, hidden, Start.C, null, Finish.STORE,
                Epilogue.ACTIVATE, act);
    }

    /**
     * One backward step of a batch, {@code dz_t = φ'(h_t)·(dz_{t+1}·Wh + dh_t)}: the product into
     * {@code dz_t}, then the derivative over its rows while they are in L1 or L2. Not as an epilogue
     * of each register tile, as the forward step's φ: this one also reads {@code h_t} and
     * {@code dh_t} from further away, and a tile's few short rows at a stride of {@code hidden}
     * stall on them where whole rows stream (the time loop ran about a tenth faster so).
     *
     * @param batch the sequences stepped (rows)
     * @param hidden the hidden size (depth and columns)
     * @param dzNext {@code dz_{t+1}}, {@code [batch][hidden]} from {@code nextOffset}
     * @param nextOffset where {@code dz_{t+1}} begins
     * @param wh {@code Wh}, {@linkplain Panels panel-packed} {@code hidden × hidden}
     * @param act φ, whose derivative is recovered from {@code h_t}
     * @param dh {@code dL/dh_t} from above, {@code [batch][hidden]} from {@code dhOffset}, or null
     *     for none
     * @param dhOffset where {@code dh_t} begins (ignored when {@code dh} is null)
     * @param h {@code h_t}, {@code [batch][hidden]} from {@code hOffset}
     * @param hOffset where {@code h_t} begins
     * @param dz {@code dz_t}, written {@code [batch][hidden]} from {@code dzOffset}
     * @param dzOffset where {@code dz_t} begins
     */
    static void stepBackward(int batch, int hidden, float[] dzNext, int nextOffset, float[] wh,
                             VectorActivation act, float[] dh, int dhOffset, float[] h, int hOffset, float[] dz,
                             int dzOffset) {
        stepBackward(batch, hidden, 0, hidden, dzNext, nextOffset, wh, act, dh, dhOffset, h, hOffset, dz, dzOffset);
    }

    /**
     * {@link #stepBackward} for the hidden units {@code [colFrom, colTo)} only (see
     * {@link #stepForward(int, int, int, int, float[], int, float[], VectorActivation, float[], int)} for
     * the bounds); the offsets are those of the whole step.
     */
    static void stepBackward(int batch, int hidden, int colFrom, int colTo, float[] dzNext, int nextOffset,
                             float[] wh, VectorActivation act, float[] dh, int dhOffset, float[] h, int hOffset,
                             float[] dz, int dzOffset) {
        int width = colTo - colFrom;
        multiply(batch, width, hidden, dzNext, nextOffset, hidden, 1, wh, colFrom * hidden,
                Layout.PANELS, 0, dz, dzOffset + colFrom, hidden, Start.ZERO, null, Finish.STORE, Epilogue.NONE,
                null);
        for (int m = 0; m < batch; m++) {
            int at = m * hidden + colFrom;
            VectorActivation.backward(act, dz, dzOffset + at, dh, dhOffset + at, h, hOffset + at, dz, dzOffset + at,
                    width);
        }
    }

    /**
     * {@link #propagate} for the columns {@code [colFrom, colTo)} of {@code C} only, with bounds
     * as for a split step; {@code C}'s rows are {@code cols} wide.
     */
    static void propagate(int rows, int cols, int depth, int colFrom, int colTo, float[] a, int aOffset, float[] b,
                          float[] c, int cOffset) {
        multiply(rows, colTo - colFrom, depth, a, aOffset, depth, 1, b, colFrom * depth, Layout.PANELS, 0,
                c, cOffset + colFrom, cols, Start.ZERO, null, Finish.STORE, Epilogue.NONE, null);
    }

    /**
     * {@code target += Gᵀ·V} in one pass, a weight gradient: the sum over the depth of the outer
     * products {@code g_k v_kᵀ}, added onto {@code target} in one rounding. A long depth goes
     * faster through {@link #addOuterProductsInBlocks}.
     *
     * @param rows the rows of {@code target} (the width of {@code G})
     * @param cols the columns of {@code target} (the width of {@code V})
     * @param depth the outer products summed
     * @param g {@code G}, {@code [depth][rows]} from {@code gOffset}
     * @param gOffset where {@code G} begins
     * @param v {@code V}, {@code [depth][cols]} from {@code vOffset}
     * @param vOffset where {@code V} begins
     * @param target the accumulator, row-major {@code rows × cols} from 0
     */
    static void addOuterProducts(int rows, int cols, int depth, float[] g, int gOffset, float[] v, int vOffset,
                                 float[] target) {
        addOuterProducts(0, rows, rows, cols, depth, g, gOffset, v, vOffset, target);
    }

    /**
     * {@link #addOuterProducts} for the rows {@code [rowFrom, rowTo)} of {@code target} only, over
     * the whole depth: one participant's share, each element's chain that of the whole product.
     * {@code G} is {@code [depth][width]}; {@code target} is {@code width × cols}.
     */
    static void addOuterProducts(int rowFrom, int rowTo, int width, int cols, int depth, float[] g, int gOffset,
                                 float[] v, int vOffset, float[] target) {
        if (rowTo > rowFrom) {
            multiply(rowTo - rowFrom, cols, depth, g, gOffset + rowFrom, 1, width, v, vOffset, Layout.ROWS, cols, target,
                    rowFrom * cols, cols, Start.ZERO, null, Finish.ADD, Epilogue.NONE, null);
        }
    }

    /**
     * {@code target += Gᵀ·V} as {@link #addOuterProducts}, for a long depth (the {@code T·B} rows
     * of a span). A product added straight onto {@code target} cannot be cut into depth blocks
     * ({@code target} must receive only the finished sum), and unblocked each column group's slice
     * of {@code V} streams from L2 for every row tile. So a product that would be blocked is
     * computed in depth blocks into {@code scratch} and then added onto {@code target}, again in
     * one rounding; a shorter one goes straight through {@link #addOuterProducts}.
     *
     * @param rows the rows of {@code target} (the width of {@code G})
     * @param cols the columns of {@code target} (the width of {@code V})
     * @param depth the outer products summed
     * @param g {@code G}, {@code [depth][rows]} from {@code gOffset}
     * @param gOffset where {@code G} begins
     * @param v {@code V}, {@code [depth][cols]} from {@code vOffset}
     * @param vOffset where {@code V} begins
     * @param target the accumulator, row-major {@code rows × cols} from 0
     * @param scratch at least {@code rows·cols} floats, overwritten
     */
    static void addOuterProductsInBlocks(int rows, int cols, int depth, float[] g, int gOffset, float[] v,
                                         int vOffset, float[] target, float[] scratch) {
        addOuterProductsInBlocks(0, rows, rows, cols, depth, g, gOffset, v, vOffset, target, scratch, 0, null, 0);
    }

    /**
     * {@link #addOuterProductsInBlocks} for the rows {@code [rowFrom, rowTo)} of {@code target}
     * only: one participant's share of a weight gradient, over the whole depth. {@code G} is
     * {@code [depth][width]}; {@code target} is {@code width × cols} and only the share's rows are
     * touched; the share's product goes to {@code scratch} from {@code scratchFrom}
     * ({@code (rowTo − rowFrom)·cols} floats, which the caller keeps apart from other shares').
     *
     * <p>With {@code panel} non-null ({@link #PANEL_FLOATS} floats from {@code panelOffset}, the
     * share's own), each depth block of a column group of {@code V} (the whole depth, when it is no
     * deeper than a block and so not cut: a batch-1 window's 64 steps) is first copied into it, so
     * the row tiles read it from contiguous lines: read in place, its rows lie {@code cols} floats
     * apart, and at a stride of a multiple of 1 KiB the rows of a block fall into a few of L1's
     * (and L2's) sets and evict each other before the next tile reads them again. The depth block
     * of {@code G} (read down
     * its rows, {@code width} floats apart) is likewise copied into the panel's second part where
     * that stride aliases ({@link #ALIASING_STRIDE}). The same floats either way.
     */
    static void addOuterProductsInBlocks(int rowFrom, int rowTo, int width, int cols, int depth, float[] g,
                                         int gOffset, float[] v, int vOffset, float[] target, float[] scratch,
                                         int scratchFrom, float[] panel, int panelOffset) {
        int rows = rowTo - rowFrom;
        int from = rowFrom * cols;
        if (rows <= 0) {
            return;
        }
        if (!blocksDepth(rows, depth)) {
            multiply(rows, cols, depth, g, gOffset + rowFrom, 1, width, v, vOffset, Layout.ROWS, cols, target, from,
                    cols, Start.ZERO, null, Finish.ADD, Epilogue.NONE, null,
                    panel, panelOffset);
            return;
        }
        multiply(rows, cols, depth, g, gOffset + rowFrom, 1, width, v, vOffset, Layout.ROWS, cols, scratch,
                scratchFrom, cols, Start.ZERO, null, Finish.STORE, Epilogue.NONE, null, panel,
                panelOffset);
        int count = rows * cols;
        int i = 0;
        for (; i + LANES <= count; i += LANES) {
            FloatVector.fromArray(SPECIES, target, from + i)
                    .add(FloatVector.fromArray(SPECIES, scratch, scratchFrom + i))
                    .intoArray(target, from + i);
        }
        for (; i < count; i++) {
            target[from + i] += scratch[scratchFrom + i];
        }
    }

    /**
     * {@code C = finish(start + A·B)}, then the epilogue over every tile; see the class comment for
     * the operands.
     *
     * @param depth K (0 leaves the accumulators at their start)
     * @param bRowStride the row stride of {@code B} laid out in {@link Layout#ROWS}, else ignored
     * @param bias the padded bias for {@link Start#BIAS}, else ignored
     * @param act φ for {@link Epilogue#ACTIVATE}, else ignored
     */
    private static void multiply(int rows, int cols, int depth,
                                 float[] a, int aOffset, int aRowStride, int aDepthStride,
                                 float[] b, int bOffset, Layout bLayout, int bRowStride,
                                 float[] c, int cOffset, int cRowStride,
                                 Start start, float[] bias, Finish finish,
                                 Epilogue after, VectorActivation act) {
        multiply(rows, cols, depth, a, aOffset, aRowStride, aDepthStride, b, bOffset, bLayout, bRowStride, c, cOffset,
                cRowStride, start, bias, finish, after, act, null, 0);
    }

    /**
     * {@link #multiply} with a panel buffer for a {@link Layout#ROWS} operand: see
     * {@link #addOuterProductsInBlocks(int, int, int, int, int, float[], int, float[], int, float[], float[], int, float[], int)}.
     */
    private static void multiply(int rows, int cols, int depth,
                                 float[] a, int aOffset, int aRowStride, int aDepthStride,
                                 float[] b, int bOffset, Layout bLayout, int bRowStride,
                                 float[] c, int cOffset, int cRowStride,
                                 Start start, float[] bias, Finish finish,
                                 Epilogue after, VectorActivation act, float[] panel, int panelOffset) {
        if (finish != Finish.ADD && rows > ROW_PANEL && blocksDepth(rows, depth)) {
            // Even row panels, each a product of its own: a panel's depth block of A stays in L2
            // while every column group passes over it, where the whole height's would stream
            // from L3 once per group. Rows are independent, so every element is the same float.
            int panels = (rows + ROW_PANEL - 1) / ROW_PANEL;
            for (int p = 0; p < panels; p++) {
                int from = SpanSplit.shareStart(p, panels, rows);
                int to = SpanSplit.shareStart(p + 1, panels, rows);
                multiplyPanel(to - from, cols, depth, a, aOffset + from * aRowStride, aRowStride, aDepthStride, b,
                        bOffset, bLayout, bRowStride, c, cOffset + from * cRowStride, cRowStride, start, bias, finish,
                        after, act, panel, panelOffset);
            }
            return;
        }
        multiplyPanel(rows, cols, depth, a, aOffset, aRowStride, aDepthStride, b, bOffset, bLayout, bRowStride, c,
                cOffset, cRowStride, start, bias, finish, after, act, panel, panelOffset);
    }

    /** {@link #multiply} over rows whose depth blocks of {@code A} fit L2 (see {@link #ROW_PANEL}). */
    private static void multiplyPanel(int rows, int cols, int depth,
                                      float[] a, int aOffset, int aRowStride, int aDepthStride,
                                      float[] b, int bOffset, Layout bLayout, int bRowStride,
                                      float[] c, int cOffset, int cRowStride,
                                      Start start, float[] bias, Finish finish,
                                      Epilogue after, VectorActivation act, float[] panel,
                                      int panelOffset) {
        boolean add = finish == Finish.ADD;
        boolean packed = bLayout == Layout.PANELS;
        int startCode = start.tileCode;
        int vectors = (cols + LANES - 1) / LANES;
        int fullGroups = cols / (LANES * GROUP);
        int groupFloats = depth * GROUP * LANES;
        // Depth blocks keep a column group's slice of B in L1 while every row tile passes over it
        // (a whole group is depth·GROUP·LANES floats, too big for L1 from depth ~200 on). Later
        // blocks continue from C, which holds the exact float accumulators of the earlier ones,
        // so every tile rounds its sums exactly as without blocking. Not for ADD,
        // whose C must only receive the finished sum. A weight gradient's whose C is too large
        // for L2 are deeper, its B copied into the panel buffer and read from L2.
        int block = !add && blocksDepth(rows, depth) ? depthBlock(rows, cols, packed) : Math.max(depth, 1);
        // Single rows against a packed B with a contiguous A row (batch-1 steps, the odd row of a
        // batch) go two column groups at a time through a kernel with constant strides: a
        // matrix-vector product is bound by the bandwidth of streaming B, and this one streams it
        // fastest.
        boolean rowPairs = packed && aDepthStride == 1 && block == depth;
        TilePlan plan = TilePlan.MACHINE;
        int tiledRows = rowPairs ? rows - plan.singles(rows) : rows;
        int sixRows = WIDE_ROWS * plan.sixes(tiledRows);
        int fiveRows = sixRows + RegisterTiles.FIVE_ROWS * plan.fives(tiledRows);
        int fourRows = fiveRows + TILE_ROWS * plan.fours(tiledRows);
        int twoRows = fourRows + RegisterTiles.TWO_ROWS * plan.twos(tiledRows);
        // A read by strided broadcasts (a weight gradient's dZᵀ, whose depth runs down the rows of
        // dZ) at an aliasing stride has its depth block copied, row by row, into the panel buffer
        // at a stride of an odd number of cache lines. In place, at a stride of 4 KiB (H = 1024)
        // the block's 128 lines all fall into one set of L1 (two at 2 KiB) and evict each other
        // before the next row tile reads them again; at an odd number of lines they spread over
        // every set and stay. Copied floats are the same floats, so the result is unchanged.
        int copiedStride = copiedRowStride(tiledRows);
        boolean copyA = panel != null && !packed && aRowStride == 1 && aDepthStride % ALIASING_STRIDE == 0
                && plan == TilePlan.WIDE && tiledRows >= 2 * WIDE_ROWS
                && (long) Math.min(block, depth) * copiedStride <= A_BLOCK_FLOATS;
        // Depth blocks outside, column groups inside: a block of A (for a weight gradient, dZ read
        // by strided broadcasts over the span's T·B rows) stays in L2 while every column group
        // passes over it, instead of streaming again for each group. Unless C is too large to stay
        // in L2 beside it (see groupsOutside): then each column group runs all its depth blocks
        // before the next, its C staying in L2 while A streams again for every group. Each element
        // still sums its depth blocks in order, so the result is the same float in either order.
        int groupsAtOnce = groupsOutside(rows, cols, depth, packed, plan) ? 1 : Math.max(fullGroups, 1);
        for (int g0 = 0; g0 == 0 || g0 < fullGroups; g0 += groupsAtOnce) {
            int groupsTo = Math.min(fullGroups, g0 + groupsAtOnce);
            for (int k0 = 0; k0 == 0 || k0 < depth; k0 += block) {
                int kLength = Math.min(block, depth - k0);
                float[] aBlock = a;
                int aBlockAt = aOffset + k0 * aDepthStride;
                int aBlockStride = aDepthStride;
                if (copyA) {
                    int copyAt = panelOffset + B_PANEL_FLOATS;
                    for (int k = 0; k < kLength; k++) {
                        System.arraycopy(a, aBlockAt + k * aDepthStride, panel, copyAt + k * copiedStride, tiledRows);
                    }
                    aBlock = panel;
                    aBlockAt = copyAt;
                    aBlockStride = copiedStride;
                }
                for (int g = g0; g < groupsTo; g++) {
                    int col = g * GROUP * LANES;
                    int bIndex = packed ? bOffset + g * groupFloats : bOffset + col;
                    int bStride = packed ? GROUP * LANES : bRowStride;
                    int blockStart = k0 == 0 ? startCode : FROM_C;
                    Epilogue blockAfter = k0 + kLength >= depth ? after : Epilogue.NONE;
                    int bAt = bIndex + k0 * bStride;
                    float[] bBlock = b;
                    if (panel != null && !packed && kLength <= GRADIENT_DEPTH_BLOCK && tiledRows >= 2 * WIDE_ROWS) {
                        for (int k = 0; k < kLength; k++) {
                            System.arraycopy(b, bAt + k * bStride, panel, panelOffset + k * GROUP * LANES, GROUP * LANES);
                        }
                        bBlock = panel;
                        bAt = panelOffset;
                        bStride = GROUP * LANES;
                    }
                    int m = 0;
                    for (; m < sixRows; m += WIDE_ROWS) {
                        int ci = cOffset + m * cRowStride + col;
                        RegisterTiles.tile6x4(kLength, aBlock, aBlockAt + m * aRowStride, aRowStride, aBlockStride, bBlock, bAt, bStride,
                                c, ci, cRowStride, blockStart, bias, col, add);
                        after(blockAfter, act, c, ci, cRowStride, WIDE_ROWS, GROUP * LANES);
                        assert TileCensus.record(TileCensus.Tile.SIX_ROWS_BY_GROUP, blockAfter);
                    }
                    for (; m < fiveRows; m += RegisterTiles.FIVE_ROWS) {
                        int ci = cOffset + m * cRowStride + col;
                        RegisterTiles.tile5x4(kLength, aBlock, aBlockAt + m * aRowStride, aRowStride, aBlockStride, bBlock, bAt, bStride,
                                c, ci, cRowStride, blockStart, bias, col, add);
                        after(blockAfter, act, c, ci, cRowStride, RegisterTiles.FIVE_ROWS, GROUP * LANES);
                        assert TileCensus.record(TileCensus.Tile.FIVE_ROWS_BY_GROUP, blockAfter);
                    }
                    for (; m < fourRows; m += TILE_ROWS) {
                        int ci = cOffset + m * cRowStride + col;
                        RegisterTiles.tile4x4(kLength, aBlock, aBlockAt + m * aRowStride, aRowStride, aBlockStride, bBlock, bAt, bStride,
                                c, ci, cRowStride, blockStart, bias, col, add);
                        after(blockAfter, act, c, ci, cRowStride, TILE_ROWS, GROUP * LANES);
                        assert TileCensus.record(TileCensus.Tile.FOUR_ROWS_BY_GROUP, blockAfter);
                    }
                    boolean constantStrides = aBlockStride == 1 && bStride == GROUP * LANES;
                    for (; m < twoRows; m += RegisterTiles.TWO_ROWS) {
                        int ci = cOffset + m * cRowStride + col;
                        if (constantStrides) {
                            RegisterTiles.tile2x4Packed(kLength, aBlock, aBlockAt + m * aRowStride, aRowStride, bBlock, bAt, c, ci,
                                    cRowStride, blockStart, bias, col, add);
                        } else {
                            RegisterTiles.tile2x4(kLength, aBlock, aBlockAt + m * aRowStride, aRowStride, aBlockStride, bBlock, bAt,
                                    bStride, c, ci, cRowStride, blockStart, bias, col, add);
                        }
                        after(blockAfter, act, c, ci, cRowStride, RegisterTiles.TWO_ROWS, GROUP * LANES);
                        assert TileCensus.record(TileCensus.Tile.TWO_ROWS_BY_GROUP, blockAfter);
                    }
                    for (; m < tiledRows; m++) {
                        int ci = cOffset + m * cRowStride + col;
                        RegisterTiles.tile1x4(kLength, aBlock, aBlockAt + m * aRowStride, aBlockStride, bBlock, bAt, bStride,
                                c, ci, blockStart, bias, col, add);
                        after(blockAfter, act, c, ci, cRowStride, 1, GROUP * LANES);
                        assert TileCensus.record(TileCensus.Tile.ROW_BY_GROUP, blockAfter);
                    }
                }
            }
        }
        for (int m = tiledRows; m < rows; m++) {
            int ai = aOffset + m * aRowStride;
            int g = 0;
            for (; g + 2 <= fullGroups; g += 2) {
                int col = g * GROUP * LANES;
                int ci = cOffset + m * cRowStride + col;
                RegisterTiles.rowTimesTwoGroups(depth, a, ai, b, bOffset + g * groupFloats, c, ci, startCode, bias,
                        col, add);
                after(after, act, c, ci, cRowStride, 1, 2 * GROUP * LANES);
                assert TileCensus.record(TileCensus.Tile.ROW_BY_TWO_GROUPS, after);
            }
            if (g < fullGroups) {
                int col = g * GROUP * LANES;
                int ci = cOffset + m * cRowStride + col;
                RegisterTiles.tile1x4(depth, a, ai, 1, b, bOffset + g * groupFloats, GROUP * LANES,
                        c, ci, startCode, bias, col, add);
                after(after, act, c, ci, cRowStride, 1, GROUP * LANES);
                assert TileCensus.record(TileCensus.Tile.ROW_BY_ODD_GROUP, after);
            }
        }
        for (int v = fullGroups * GROUP; v < vectors; v++) {
            int col = v * LANES;
            int lanes = Math.min(LANES, cols - col);
            int g = v / GROUP;
            int vectorsInGroup = Math.min(GROUP, vectors - g * GROUP);
            int bIndex = packed ? bOffset + g * groupFloats + (v - g * GROUP) * LANES : bOffset + col;
            int bStride = packed ? vectorsInGroup * LANES : bRowStride;
            int m = 0;
            for (; m + TILE_ROWS <= rows; m += TILE_ROWS) {
                int ci = cOffset + m * cRowStride + col;
                RegisterTiles.tile4x1(depth, a, aOffset + m * aRowStride, aRowStride, aDepthStride, b, bIndex, bStride,
                        c, ci, cRowStride, lanes, startCode, bias, col, add);
                after(after, act, c, ci, cRowStride, TILE_ROWS, lanes);
                assert TileCensus.record(TileCensus.Tile.FOUR_ROWS_BY_VECTOR, after);
            }
            for (; m < rows; m++) {
                int ci = cOffset + m * cRowStride + col;
                RegisterTiles.tile1x1(depth, a, aOffset + m * aRowStride, aDepthStride, b, bIndex, bStride,
                        c, ci, lanes, startCode, bias, col, add);
                after(after, act, c, ci, cRowStride, 1, lanes);
                assert TileCensus.record(TileCensus.Tile.ROW_BY_VECTOR, after);
            }
        }
    }

    /** @return the row stride of a copied block of {@code A} of {@code rows} rows: an odd number of cache lines */
    private static int copiedRowStride(int rows) {
        int lines = (rows + LINE_FLOATS - 1) / LINE_FLOATS;
        return (lines | 1) * LINE_FLOATS;
    }

    /**
     * Whether a product of this shape runs each column group through all its depth blocks before
     * the next: with packed {@code B} and the {@linkplain TilePlan#WIDE wide} tiles, when it is cut
     * into depth blocks and its {@code C} exceeds {@link #C_IN_L2_BYTES}. Not with the narrow
     * tiles, not measured on a machine that uses them.
     */
    static boolean groupsOutside(int rows, int cols, int depth, boolean packed, TilePlan plan) {
        return packed && plan == TilePlan.WIDE && blocksDepth(rows, depth)
                && (long) rows * cols * Float.BYTES > C_IN_L2_BYTES;
    }

    /**
     * The depth of the blocks of a product of this shape, once it is {@linkplain #blocksDepth cut}:
     * {@link #PACKED_DEPTH_BLOCK} against packed weights; {@link #GRADIENT_DEPTH_BLOCK} for a weight
     * gradient ({@code B} not packed) whose {@code C} exceeds {@link #C_IN_L2_BYTES}, whose every
     * depth block would otherwise read all of {@code C} back from L3; else {@link #DEPTH_BLOCK},
     * whose column group of {@code B} stays in L1.
     */
    static int depthBlock(int rows, int cols, boolean packed) {
        if (packed) {
            return PACKED_DEPTH_BLOCK;
        }
        return (long) rows * cols * Float.BYTES > C_IN_L2_BYTES ? GRADIENT_DEPTH_BLOCK : DEPTH_BLOCK;
    }

    /** Whether a product of this shape (unless it adds onto C) is cut into depth blocks. */
    private static boolean blocksDepth(int rows, int depth) {
        return rows >= 2 * TILE_ROWS && depth > DEPTH_BLOCK;
    }

    /** The epilogue over a tile of {@code tileRows × width} just written at {@code c[ci]}. */
    static void after(Epilogue after, VectorActivation act, float[] c, int ci, int cRow, int tileRows, int width) {
        if (after == Epilogue.NONE) {
            return;
        }
        for (int r = 0; r < tileRows; r++) {
            VectorActivation.applyInPlace(act, c, ci + r * cRow, width);
        }
    }
}
