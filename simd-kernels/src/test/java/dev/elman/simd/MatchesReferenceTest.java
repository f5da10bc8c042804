package dev.elman.simd;

import dev.elman.kernels.HeadGradients;
import dev.elman.kernels.HeadWeights;
import dev.elman.kernels.RecurrentGradients;
import dev.elman.kernels.RecurrentKernels;
import dev.elman.kernels.RecurrentWeights;
import dev.elman.kernels.WeightPrecision;
import dev.elman.kernels.Workspace;
import dev.elman.reference.ReferenceKernels;
import dev.elman.testing.Trials;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Properties: every output of every entry point of {@link VectorKernels} equals the
 * {@link ReferenceKernels} output on the same random inputs within {@link Tolerance}, and nothing
 * outside an output's region is written. Shapes, options and scales: {@link SpanCase},
 * {@link HeadCase}; the forward and backward properties also run at training and benchmark shapes
 * ({@link SpanCase#atProductionShape}, 80 cases each), which reach the 6-row register tile and its
 * fused φ and φ′, and {@link TileCensusTest} holds the cases to every tile and epilogue.
 * Layers of a reduced {@link WeightPrecision} run the same forward property against the
 * reference on the same rounded weights (the oracle), and equal the f32 SIMD kernels loaded with
 * those rounded weights bit for bit.
 * {@code -Delman.test.tries=N} runs N cases per property instead of 1,000 (and 80, and 400 and 40
 * for the reduced precisions).
 */
class MatchesReferenceTest {
    private static final int TRIES = Trials.tries(1000);
    private static final int PRODUCTION_TRIES = Trials.tries(80);
    private static final RecurrentKernels REFERENCE = new ReferenceKernels();
    private static final RecurrentKernels SIMD = new VectorKernels();

    static Stream<SpanCase> forwardCases() {
        return Trials.seeds("forward", TRIES).mapToObj(SpanCase::random);
    }

    static Stream<SpanCase> backwardCases() {
        return Trials.seeds("backward", TRIES).mapToObj(SpanCase::random);
    }

    /**
     * Spans at training and benchmark shapes ({@link SpanCase#atProductionShape}: B 10 … 48,
     * H 64 … 196), fewer of them: each costs the reference as much as dozens of small ones.
     */
    static Stream<SpanCase> productionForwardCases() {
        return Trials.seeds("forward at production shapes", PRODUCTION_TRIES).mapToObj(SpanCase::atProductionShape);
    }

    static Stream<SpanCase> productionBackwardCases() {
        return Trials.seeds("backward at production shapes", PRODUCTION_TRIES).mapToObj(SpanCase::atProductionShape);
    }

    private static final int REDUCED_TRIES = Trials.tries(400);
    private static final int PRODUCTION_REDUCED_TRIES = Trials.tries(40);

    /** Spans as {@link #forwardCases}, their weights in bf16 or int8 (half each). */
    static Stream<SpanCase> reducedForwardCases() {
        return Trials.seeds("reduced forward", REDUCED_TRIES)
                .mapToObj(seed -> SpanCase.random(seed).withPrecision(reducedPrecision(seed)));
    }

    /** Spans as {@link #productionForwardCases}, their weights in bf16 or int8: the multi-row tiles over widened blocks. */
    static Stream<SpanCase> productionReducedForwardCases() {
        return Trials.seeds("reduced forward at production shapes", PRODUCTION_REDUCED_TRIES)
                .mapToObj(seed -> SpanCase.atProductionShape(seed).withPrecision(reducedPrecision(seed)));
    }

    private static WeightPrecision reducedPrecision(long seed) {
        return Long.bitCount(seed) % 2 == 0 ? WeightPrecision.BF16 : WeightPrecision.INT8;
    }

    static Stream<HeadCase> headCases() {
        return Trials.seeds("head", TRIES).mapToObj(HeadCase::random);
    }

    @AfterAll
    static void reportTightness() {
        System.out.println("MatchesReferenceTest: worst error/tolerance per output:" + Comparison.worstSoFar());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forwardCases")
    void forwardMatchesReference(SpanCase c) {
        float[] x = c.x.clone();
        float[] expected = forward(REFERENCE, c);
        float[] actual = forward(SIMD, c);
        Comparison.check(c, "h", expected, actual, c.hOffset, Tolerance.forward(c, expected), c.hCount(),
                i -> position(c, i, c.hiddenSize));
        Comparison.untouchedOutside(c, "h", actual, c.hOffset, c.hCount());
        assertArrayEquals(x, c.x, c + ": x was modified");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backwardCases")
    void backwardMatchesReference(SpanCase c) {
        // Both get the reference's forward output, so only the backward pass's own rounding differs.
        float[] h = forward(REFERENCE, c);
        Outputs expected = backward(REFERENCE, c, h);
        Outputs actual = backward(SIMD, c, h);
        Tolerance.Backward tolerance = Tolerance.backward(c, h, expected.dWx, expected.dWh, expected.db,
                expected.dx, expected.dh0);
        int input = c.inputSize;
        int hidden = c.hiddenSize;
        Comparison.check(c, "dWx", expected.dWx, actual.dWx, 0, tolerance.dWx, expected.dWx.length,
                i -> "row " + i / input + " col " + i % input);
        Comparison.check(c, "dWh", expected.dWh, actual.dWh, 0, tolerance.dWh, expected.dWh.length,
                i -> "row " + i / hidden + " col " + i % hidden);
        if (c.b != null) {
            Comparison.check(c, "db", expected.db, actual.db, 0, tolerance.db, hidden, i -> "unit " + i);
        }
        if (c.wantDx) {
            Comparison.check(c, "dx", expected.dx, actual.dx, c.dxOffset, tolerance.dx, c.xCount(),
                    i -> position(c, i, input));
            Comparison.untouchedOutside(c, "dx", actual.dx, c.dxOffset, c.xCount());
        }
        if (c.wantDh0) {
            Comparison.check(c, "dh0", expected.dh0, actual.dh0, 0, tolerance.dh0, c.stateCount(),
                    i -> "b=" + i / hidden + " i=" + i % hidden);
        }
    }

    /**
     * {@link #forwardMatchesReference} where the step runs in the 6-row tile with φ fused over it
     * (B ≥ 12), its 4-row and single-row leftovers, depth blocks (H > 128) and vector tails (H not
     * a multiple of 64); a case that fails names the tiles it ran.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("productionForwardCases")
    void forwardMatchesReferenceAtProductionShapes(SpanCase c) throws Exception {
        List<String> tiles = TileTrace.run(c, () -> forwardMatchesReference(c));
        assertRowTilesRan(c, tiles, Gemm.Epilogue.ACTIVATE);
    }

    /**
     * {@link #backwardMatchesReference} at the shapes of {@link #forwardMatchesReferenceAtProductionShapes}:
     * each step's product {@code dz_{t+1}·Wh} runs the row tiles of the batch's cut, then φ′ over its rows.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("productionBackwardCases")
    void backwardMatchesReferenceAtProductionShapes(SpanCase c) throws Exception {
        List<String> tiles = TileTrace.run(c, () -> backwardMatchesReference(c));
        assertRowTilesRan(c, tiles, Gemm.Epilogue.NONE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"reducedForwardCases", "productionReducedForwardCases"})
    void reducedForwardMatchesReference(SpanCase c) {
        forwardMatchesReference(c);
    }

    /**
     * The reduced kernels widen each weight to exactly the float {@link WeightPrecision#round}
     * gives and keep the f32 kernels' summation order (single rows in registers, tiles over
     * widened blocks), so they compute the f32 kernels' floats on the rounded weights.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource({"reducedForwardCases", "productionReducedForwardCases"})
    void reducedForwardIsTheF32ForwardOfTheRoundedWeights(SpanCase c) {
        float[] reduced = forward(SIMD, c);
        float[] f32 = forward(SIMD, c.onRoundedWeights());
        assertArrayEquals(f32, reduced, c + ": the reduced layer should give the f32 layer's floats on its rounded weights");
    }

    @Test
    void reducedWeightsRefuseBackward() {
        SpanCase f32 = SpanCase.random(7);
        for (WeightPrecision precision : new WeightPrecision[] {WeightPrecision.BF16, WeightPrecision.INT8}) {
            SpanCase c = f32.withPrecision(precision);
            for (RecurrentKernels kernels : List.of(REFERENCE, SIMD)) {
                float[] h = forward(kernels, c);
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> backward(kernels, c, h));
                assertTrue(e.getMessage().contains(precision.label()) && e.getMessage().contains("inference"),
                        kernels.name() + ": " + e.getMessage());
            }
        }
    }

    /**
     * Holds a production-shape case to the path it was drawn for (when the census counts): its
     * steps run each row tile that {@link TilePlan} cuts its batch into, with the epilogue fused.
     */
    private static void assertRowTilesRan(SpanCase c, List<String> tiles, Gemm.Epilogue epilogue) {
        if (TileCensus.counting() && c.batch >= 12 && c.hiddenSize >= Gemm.COLUMN_BLOCK) {
            TilePlan plan = TilePlan.MACHINE;
            assertTileRan(c, tiles, plan.sixes(c.batch), TileCensus.Tile.SIX_ROWS_BY_GROUP, epilogue);
            assertTileRan(c, tiles, plan.fives(c.batch), TileCensus.Tile.FIVE_ROWS_BY_GROUP, epilogue);
            assertTileRan(c, tiles, plan.fours(c.batch), TileCensus.Tile.FOUR_ROWS_BY_GROUP, epilogue);
            assertTileRan(c, tiles, plan.twos(c.batch), TileCensus.Tile.TWO_ROWS_BY_GROUP, epilogue);
        }
    }

    private static void assertTileRan(SpanCase c, List<String> tiles, int count, TileCensus.Tile tile,
                                      Gemm.Epilogue epilogue) {
        if (count > 0) {
            assertTrue(TileTrace.ran(tiles, tile, epilogue), c + " should run " + tile + " with " + epilogue + " ("
                    + count + " per column group of a step), ran " + tiles);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("headCases")
    void headMatchesReference(HeadCase c) {
        int rows = c.rows;
        int f = c.inputSize;
        int o = c.outputSize;
        HeadOutputs expected = head(REFERENCE, c);
        HeadOutputs actual = head(SIMD, c);
        Comparison.check(c, "y", expected.y, actual.y, c.yOffset, Tolerance.headForward(c, expected.y), rows * o,
                i -> "row " + i / o + " out " + i % o);
        Comparison.untouchedOutside(c, "y", actual.y, c.yOffset, rows * o);
        double[][] tolerance = Tolerance.headBackward(c, expected.dW, expected.db, expected.dh);
        Comparison.check(c, "dWy", expected.dW, actual.dW, 0, tolerance[0], o * f, i -> "row " + i / f + " col " + i % f);
        if (c.b != null) {
            Comparison.check(c, "dby", expected.db, actual.db, 0, tolerance[1], o, i -> "out " + i);
        }
        if (c.wantDh) {
            Comparison.check(c, "head dh", expected.dh, actual.dh, c.dhOffset, tolerance[2], rows * f,
                    i -> "row " + i / f + " col " + i % f);
            Comparison.untouchedOutside(c, "dh", actual.dh, c.dhOffset, rows * f);
        }
    }

    private static String position(SpanCase c, int index, int width) {
        int row = index / width;
        return "t=" + row / c.batch + " b=" + row % c.batch + " i=" + index % width;
    }

    private static RecurrentWeights layer(RecurrentKernels kernels, SpanCase c) {
        RecurrentWeights weights = kernels.newRecurrentWeights(c.inputSize, c.hiddenSize, c.activation, c.clip,
                c.b != null, c.precision);
        weights.load(c.wxLoaded, c.whLoaded, c.b);
        return weights;
    }

    static float[] forward(RecurrentKernels kernels, SpanCase c) {
        RecurrentWeights weights = layer(kernels, c);
        Workspace workspace = kernels.newWorkspace(c.inputSize, c.hiddenSize, c.steps, c.batch);
        float[] h = SpanCase.output(c.hOffset, c.hCount(), 9);
        kernels.forward(weights, workspace, c.steps, c.batch, c.reverse, c.x, c.xOffset, c.h0, h, c.hOffset, c.lengths);
        return h;
    }

    record Outputs(float[] dWx, float[] dWh, float[] db, float[] dx, float[] dh0) {
    }

    static Outputs backward(RecurrentKernels kernels, SpanCase c, float[] h) {
        RecurrentWeights weights = layer(kernels, c);
        Workspace workspace = kernels.newWorkspace(c.inputSize, c.hiddenSize, c.steps, c.batch);
        RecurrentGradients gradients = RecurrentGradients.of(weights);
        System.arraycopy(c.dWx0, 0, gradients.dWx(), 0, c.dWx0.length);
        System.arraycopy(c.dWh0, 0, gradients.dWh(), 0, c.dWh0.length);
        if (c.db0 != null) {
            System.arraycopy(c.db0, 0, gradients.db(), 0, c.db0.length);
        }
        float[] dx = c.wantDx ? SpanCase.output(c.dxOffset, c.xCount(), 5) : null;
        float[] dh0 = c.wantDh0 ? new float[c.stateCount()] : null;
        kernels.backward(weights, workspace, c.steps, c.batch, c.reverse, c.x, c.xOffset, c.h0, h, c.hOffset,
                c.lengths, c.dh, c.dhOffset, c.dhLast, gradients, dx, c.dxOffset, dh0);
        return new Outputs(gradients.dWx(), gradients.dWh(), gradients.db(), dx, dh0);
    }

    record HeadOutputs(float[] y, float[] dW, float[] db, float[] dh) {
    }

    static HeadOutputs head(RecurrentKernels kernels, HeadCase c) {
        HeadWeights weights = kernels.newHeadWeights(c.inputSize, c.outputSize, c.b != null);
        weights.load(c.w, c.b);
        float[] y = SpanCase.output(c.yOffset, c.rows * c.outputSize, 3);
        kernels.headForward(weights, c.rows, c.h, c.hOffset, y, c.yOffset);
        HeadGradients gradients = HeadGradients.of(weights);
        System.arraycopy(c.dW0, 0, gradients.dW(), 0, c.dW0.length);
        if (c.db0 != null) {
            System.arraycopy(c.db0, 0, gradients.db(), 0, c.db0.length);
        }
        float[] dh = c.wantDh ? SpanCase.output(c.dhOffset, c.rows * c.inputSize, 4) : null;
        kernels.headBackward(weights, c.rows, c.h, c.hOffset, c.dy, c.dyOffset, gradients, dh, c.dhOffset);
        return new HeadOutputs(y, gradients.dW(), gradients.db(), dh);
    }
}
