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
 * blocks and row panels ({@link Gemm#ROW_PANEL}) it runs through — every element of {@link Gemm}'s
 * result is the one chain of fused multiply-adds in the order of the depth, from its start value.
 * That chain is what makes a pass's result independent of how its rows are shared
 * ({@link ThreadCountTest}); here it is checked element by element against {@link Math#fma}, on
 * shapes from a single row to products several row panels tall.
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

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
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

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void weightGradientIsOneChainAddedOnce(Shape shape) {
        // target (rows × cols) += Gᵀ·V over the depth, G [depth][rows], V [depth][cols].
        Random random = new Random(shape.seed ^ 0xC2B2AE3D27D4EB4FL);
        float[] g = Uniform.floats(random, shape.depth * shape.rows, 1.0);
        float[] v = Uniform.floats(random, shape.depth * shape.cols, 1.0);
        float[] before = Uniform.floats(random, shape.rows * shape.cols, 1.0);
        float[] target = before.clone();
        float[] scratch = new float[shape.rows * shape.cols];
        float[] panel = new float[Gemm.PANEL_FLOATS];
        Gemm.addOuterProductsInBlocks(0, shape.rows, shape.rows, shape.cols, shape.depth, g, 0, v, 0, target, scratch,
                0, panel, 0);
        for (int m = 0; m < shape.rows; m++) {
            for (int n = 0; n < shape.cols; n++) {
                float chain = chain(0f, shape.depth, g, m, shape.rows, v, n, shape.cols);
                assertEquals(before[m * shape.cols + n] + chain, target[m * shape.cols + n], 0f,
                        shape + ": element (" + m + ", " + n + ")");
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
