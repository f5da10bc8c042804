package dev.elman.simd;

import dev.elman.testing.Trials;
import dev.elman.testing.Uniform;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Property: whatever a product's height, depth and width — and so whichever register tiles, depth
 * blocks ({@link Gemm#DEPTH_BLOCK}, {@link Gemm#GRADIENT_DEPTH_BLOCK}), row panels
 * ({@link Gemm#ROW_PANEL}) and order of column groups and depth blocks ({@link Gemm#groupsOutside})
 * it runs through — every element of {@link Gemm}'s result is the one chain of fused multiply-adds in the order of the depth, from its start value.
 * That chain is what makes a pass's result independent of how its rows are shared
 * ({@link ThreadCountTest}); here it is checked element by element against {@link Math#fma}, on
 * shapes from a single row to products several row panels tall. The register tiles of both
 * {@link TilePlan}s are held to the same chain directly, so the tiles this machine's plan does not
 * use are checked here too.
 */
class GemmChainTest {
    record Shape(long seed, int rows, int depth, int cols) {
        @Override
        public String toString() {
            return "rows=" + rows + " depth=" + depth + " cols=" + cols;
        }
    }

    static Stream<Shape> shapes() {
        return Trials.seeds("gemm chain", Trials.tries(24)).mapToObj(seed -> {
            Random random = new Random(seed);
            // Half the products are taller than a row panel, up to three panels and a remainder.
            int rows = random.nextBoolean() ? 1 + random.nextInt(40) : Gemm.ROW_PANEL + 1 + random.nextInt(2 * Gemm.ROW_PANEL);
            int depth = 1 + random.nextInt(3 * Gemm.DEPTH_BLOCK);
            int cols = 1 + random.nextInt(3 * Gemm.COLUMN_BLOCK);
            return new Shape(seed, rows, depth, cols);
        });
    }

    /** The shapes above reach the row panels with depth blocks: the property is not vacuous. */
    @Test
    void someShapesRunInRowPanels() {
        long panelled = shapes().filter(s -> s.rows > Gemm.ROW_PANEL && s.depth > Gemm.DEPTH_BLOCK).count();
        assertTrue(panelled >= 4, "products in row panels with depth blocks: " + panelled);
    }

    /**
     * Products against packed weights whose {@code C} is too large for L2, from a few column groups
     * wide to a few {@linkplain Gemm#ROW_PANEL row panels} tall, deeper than one
     * {@link Gemm#PACKED_DEPTH_BLOCK}: with the wide tiles they run column group by column group
     * ({@link Gemm#groupsOutside}) through several depth blocks.
     */
    static Stream<Shape> groupByGroupShapes() {
        return Trials.seeds("gemm chain, group by group", Trials.tries(6)).mapToObj(seed -> {
            Random random = new Random(seed);
            int cols = 2 * Gemm.COLUMN_BLOCK + random.nextInt(2 * Gemm.COLUMN_BLOCK);
            int rows = (int) (Gemm.C_IN_L2_BYTES / Float.BYTES / cols) + 1 + random.nextInt(2 * Gemm.ROW_PANEL);
            int depth = Gemm.PACKED_DEPTH_BLOCK + 1 + random.nextInt(Gemm.PACKED_DEPTH_BLOCK);
            return new Shape(seed, rows, depth, cols);
        });
    }

    /**
     * Products against packed weights deeper than one {@link Gemm#PACKED_DEPTH_BLOCK}, from a few
     * rows to just taller than a row panel, whose {@code C} fits L2 (depth blocks outside).
     */
    static Stream<Shape> deepPackedShapes() {
        return Trials.seeds("gemm chain, deep packed", Trials.tries(6)).mapToObj(seed -> {
            Random random = new Random(seed);
            int rows = random.nextBoolean() ? 8 + random.nextInt(33) : Gemm.ROW_PANEL + 1 + random.nextInt(64);
            int depth = Gemm.PACKED_DEPTH_BLOCK + 1 + random.nextInt(Gemm.PACKED_DEPTH_BLOCK);
            int cols = 1 + random.nextInt(2 * Gemm.COLUMN_BLOCK);
            return new Shape(seed, rows, depth, cols);
        });
    }

    /** On a machine with the wide tiles the shapes above go group by group: their property is not vacuous. */
    @Test
    void largeProductsGoGroupByGroup() {
        boolean wide = TilePlan.MACHINE == TilePlan.WIDE;
        groupByGroupShapes().forEach(s -> assertEquals(wide, Gemm.groupsOutside(s.rows, s.cols, s.depth, true,
                TilePlan.MACHINE), s + " on the " + TilePlan.MACHINE + " plan"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"shapes", "groupByGroupShapes", "deepPackedShapes"})
    void projectionIsOneChainPerElement(Shape shape) {
        Random random = new Random(shape.seed ^ 0x9E3779B97F4A7C15L);
        float[] a = Uniform.floats(random, shape.rows * shape.depth, 1.0);
        float[] w = Uniform.floats(random, shape.depth * shape.cols, 1.0);
        float[] bias = Uniform.floats(random, shape.cols, 1.0);
        float[] packed = new float[Panels.size(shape.depth, shape.cols)];
        Panels.pack(w, shape.depth, shape.cols, false, packed);
        float[] paddedBias = new float[Panels.size(1, shape.cols)];
        Panels.padded(bias, paddedBias);
        float[] c = new float[shape.rows * shape.cols];
        Gemm.project(shape.rows, shape.cols, shape.depth, a, 0, packed, paddedBias, c, 0);
        for (int m = 0; m < shape.rows; m++) {
            for (int n = 0; n < shape.cols; n++) {
                float chain = chain(bias[n], shape.depth, a, m * shape.depth, 1, w, n, shape.cols);
                assertEquals(chain, c[m * shape.cols + n], 0f, shape + ": element (" + m + ", " + n + ")");
            }
        }
    }

    /**
     * Weight gradients one row panel tall whose {@code C} exceeds {@link Gemm#C_IN_L2_BYTES},
     * deeper than one {@link Gemm#GRADIENT_DEPTH_BLOCK}: with the wide tiles they run in blocks of
     * that depth, their {@code B} copied into the panel buffer block by block.
     */
    static Stream<Shape> deepGradientShapes() {
        return Trials.seeds("gemm chain, deep gradients", Trials.tries(6)).mapToObj(seed -> {
            Random random = new Random(seed);
            int cols = 6 * Gemm.COLUMN_BLOCK + random.nextInt(3 * Gemm.COLUMN_BLOCK);
            int least = (int) (Gemm.C_IN_L2_BYTES / Float.BYTES / cols) + 1;
            int rows = least <= Gemm.ROW_PANEL ? least + random.nextInt(Gemm.ROW_PANEL - least + 1) : Gemm.ROW_PANEL;
            int depth = Gemm.GRADIENT_DEPTH_BLOCK + 1 + random.nextInt(Gemm.GRADIENT_DEPTH_BLOCK);
            return new Shape(seed, rows, depth, cols);
        });
    }

    /** On a machine with the wide tiles the shapes above run in deep blocks: their property is not vacuous. */
    @Test
    void largeGradientsRunInDeepBlocks() {
        assertEquals(TilePlan.MACHINE == TilePlan.WIDE, Gemm.GRADIENT_DEPTH_BLOCK > Gemm.DEPTH_BLOCK);
        deepGradientShapes().forEach(s -> assertEquals(Gemm.GRADIENT_DEPTH_BLOCK, Gemm.depthBlock(s.rows, s.cols, false),
                s + " on the " + TilePlan.MACHINE + " plan"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"shapes", "deepGradientShapes"})
    void weightGradientIsOneChainAddedOnce(Shape shape) {
        // target (rows × cols) += Gᵀ·V over the depth, G [depth][rows], V [depth][cols].
        assertShareIsOneChainAddedOnce(new Share(shape.seed ^ 0xC2B2AE3D27D4EB4FL, shape.rows, 0, shape.rows,
                shape.depth, shape.cols), shape.toString());
    }

    /** A participant's share {@code [rowFrom, rowTo)} of a weight gradient {@code width} units wide. */
    record Share(long seed, int width, int rowFrom, int rowTo, int depth, int cols) {
        @Override
        public String toString() {
            return "width=" + width + " rows=[" + rowFrom + ", " + rowTo + ") depth=" + depth + " cols=" + cols;
        }
    }

    /**
     * Shares of gradients 512 or 1024 units wide: {@code G}'s rows lie at a stride that aliases in
     * L1, so its depth blocks are copied into the panel before the tiles read them
     * ({@code Gemm.ALIASING_STRIDE}), with the wide tiles from 12 rows on.
     */
    static Stream<Share> aliasingShares() {
        return Trials.seeds("gemm chain aliasing shares", Trials.tries(8)).mapToObj(seed -> {
            Random random = new Random(seed);
            int width = random.nextBoolean() ? 512 : 1024;
            int rows = 12 + random.nextInt(Math.min(Gemm.ROW_PANEL, width) - 12 + 1);
            int rowFrom = random.nextInt(width - rows + 1);
            int depth = 1 + random.nextInt(3 * Gemm.DEPTH_BLOCK);
            int cols = 1 + random.nextInt(2 * Gemm.COLUMN_BLOCK);
            return new Share(seed, width, rowFrom, rowFrom + rows, depth, cols);
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("aliasingShares")
    void weightGradientShareAtAnAliasingStrideIsOneChainAddedOnce(Share share) {
        assertShareIsOneChainAddedOnce(share, share.toString());
    }

    /**
     * The share's rows of {@code target} ({@code width × cols}) receive {@code Gᵀ·V} over the
     * depth as one chain added once, {@code G} {@code [depth][width]}, {@code V} {@code [depth][cols]};
     * every other row is untouched.
     */
    private static void assertShareIsOneChainAddedOnce(Share share, String label) {
        Random random = new Random(share.seed);
        float[] g = Uniform.floats(random, share.depth * share.width, 1.0);
        float[] v = Uniform.floats(random, share.depth * share.cols, 1.0);
        float[] before = Uniform.floats(random, share.width * share.cols, 1.0);
        float[] target = before.clone();
        int rows = share.rowTo - share.rowFrom;
        float[] scratch = new float[rows * share.cols];
        float[] panel = new float[Gemm.PANEL_FLOATS];
        Gemm.addOuterProductsInBlocks(share.rowFrom, share.rowTo, share.width, share.cols, share.depth, g, 0, v, 0,
                target, scratch, 0, panel, 0);
        for (int m = 0; m < share.width; m++) {
            for (int n = 0; n < share.cols; n++) {
                float expected = before[m * share.cols + n];
                if (m >= share.rowFrom && m < share.rowTo) {
                    expected += chain(0f, share.depth, g, m, share.width, v, n, share.cols);
                }
                assertEquals(expected, target[m * share.cols + n], 0f, label + ": element (" + m + ", " + n + ")");
            }
        }
    }

    /** One register tile's call: its height, depth, strides of {@code A} and how it starts and finishes. */
    record TileCall(long seed, int height, int depth, boolean transposedA, boolean packedB, int start, boolean add) {
        @Override
        public String toString() {
            return height + "x4 depth=" + depth + (transposedA ? " A transposed" : "") + (packedB ? " B packed" : "")
                    + " start=" + start + (add ? " add" : "");
        }

        /** Whether the call goes to the constant-stride variant of the 2-row tile, as the driver would send it. */
        boolean constantStrides() {
            return height == RegisterTiles.TWO_ROWS && packedB && !transposedA;
        }
    }

    static Stream<TileCall> tileCalls() {
        return Trials.seeds("register tiles", Trials.tries(40)).mapToObj(seed -> {
            Random random = new Random(seed);
            int[] heights = {6, 5, 4, RegisterTiles.TWO_ROWS, 1};
            int[] starts = {RegisterTiles.FROM_ZERO, RegisterTiles.FROM_C, RegisterTiles.FROM_BIAS};
            return new TileCall(seed, heights[random.nextInt(heights.length)], 1 + random.nextInt(2 * Gemm.DEPTH_BLOCK),
                    random.nextBoolean(), random.nextBoolean(), starts[random.nextInt(starts.length)],
                    random.nextBoolean());
        });
    }

    /** Every tile height is drawn, and the 2-row tile's constant-stride variant: the property covers both plans' tiles. */
    @Test
    void everyTileIsDrawn() {
        assertEquals(5, tileCalls().mapToInt(TileCall::height).distinct().count());
        assertTrue(tileCalls().anyMatch(TileCall::constantStrides), "no call of tile2x4Packed");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tileCalls")
    void everyRegisterTileIsOneChainPerElement(TileCall call) {
        Random random = new Random(call.seed ^ 0x632BE59BD9B4E019L);
        int rows = call.height;
        int width = Gemm.GROUP * Gemm.LANES;
        int depth = call.depth;
        // A's row and depth strides, with A stored transposed ([depth][rows], as Gᵀ) or not; B packed
        // (rows one group wide) or with a wider row stride, as an activation read in place; C's row
        // stride wider than the group, as in a product of several groups.
        int aRow = call.transposedA ? 1 : depth + 3;
        int aDepth = call.transposedA ? rows + 1 : 1;
        int bStride = call.packedB ? width : width + Gemm.LANES;
        int cRow = width + 2 * Gemm.LANES;
        float[] a = Uniform.floats(random, 1 + (rows - 1) * aRow + (depth - 1) * aDepth, 1.0);
        float[] b = Uniform.floats(random, depth * bStride, 1.0);
        float[] bias = Uniform.floats(random, width + 5, 1.0);
        float[] before = Uniform.floats(random, rows * cRow, 1.0);
        float[] c = before.clone();
        int biasIndex = 5;
        switch (rows) {
            case 6 -> RegisterTiles.tile6x4(depth, a, 0, aRow, aDepth, b, 0, bStride, c, 0, cRow, call.start, bias,
                    biasIndex, call.add);
            case 5 -> RegisterTiles.tile5x4(depth, a, 0, aRow, aDepth, b, 0, bStride, c, 0, cRow, call.start, bias,
                    biasIndex, call.add);
            case 4 -> RegisterTiles.tile4x4(depth, a, 0, aRow, aDepth, b, 0, bStride, c, 0, cRow, call.start, bias,
                    biasIndex, call.add);
            case RegisterTiles.TWO_ROWS -> {
                if (call.constantStrides()) {
                    RegisterTiles.tile2x4Packed(depth, a, 0, aRow, b, 0, c, 0, cRow, call.start, bias, biasIndex,
                            call.add);
                } else {
                    RegisterTiles.tile2x4(depth, a, 0, aRow, aDepth, b, 0, bStride, c, 0, cRow, call.start, bias,
                            biasIndex, call.add);
                }
            }
            default -> RegisterTiles.tile1x4(depth, a, 0, aDepth, b, 0, bStride, c, 0, call.start, bias, biasIndex,
                    call.add);
        }
        for (int m = 0; m < rows; m++) {
            for (int n = 0; n < width; n++) {
                float start = switch (call.start) {
                    case RegisterTiles.FROM_C -> before[m * cRow + n];
                    case RegisterTiles.FROM_BIAS -> bias[biasIndex + n];
                    default -> 0f;
                };
                float expected = chain(start, depth, a, m * aRow, aDepth, b, n, bStride);
                if (call.add) {
                    expected += before[m * cRow + n];
                }
                assertEquals(expected, c[m * cRow + n], 0f, call + ": element (" + m + ", " + n + ")");
            }
            for (int n = width; n < cRow; n++) {
                assertEquals(before[m * cRow + n], c[m * cRow + n], 0f, call + ": element (" + m + ", " + n
                        + ") outside the tile was written");
            }
        }
    }

    /**
     * The chain of one element: from {@code start}, {@code fma(x_k, y_k, ·)} for k = 0 … depth − 1,
     * with {@code x_k = x[xFrom + k·xStride]} and {@code y_k = y[yFrom + k·yStride]}.
     */
    private static float chain(float start, int depth, float[] x, int xFrom, int xStride, float[] y, int yFrom,
                               int yStride) {
        float chain = start;
        for (int k = 0; k < depth; k++) {
            chain = Math.fma(x[xFrom + k * xStride], y[yFrom + k * yStride], chain);
        }
        return chain;
    }
}
