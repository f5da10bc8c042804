package dev.elman.simd;

import dev.elman.kernels.RecurrentKernels;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The property suite reaches every register tile of {@link Gemm} with every epilogue: the cases
 * of {@link MatchesReferenceTest} (production shapes and small shapes, forward, backward and the
 * head) are driven through {@link VectorKernels} here, under a fresh {@link TileCensus}, until
 * every (tile, epilogue) combination has run at least once. A combination that no case reaches is
 * a kernel path whose bugs no property test can see (a fused φ over four of the 6-row tile's six
 * rows once survived the whole suite), so this test fails naming it.
 *
 * <p>It drives the cases itself rather than reading what other tests left in the census, so it
 * holds whatever order the test classes run in and whichever of them a build selects; it stops
 * as soon as the census is complete, so it costs a fraction of the suite. The comparisons with
 * the reference are {@link MatchesReferenceTest}'s; this test only counts.
 */
class TileCensusTest {
    private static final RecurrentKernels SIMD = new VectorKernels();

    @Test
    void thePropertySuiteRunsEveryTileWithEveryEpilogue() {
        assertTrue(TileCensus.counting(), "the tile census counts only with assertions enabled (-ea)");
        TileCensus.reset();
        Iterator<Runnable> cases = Stream.of(
                MatchesReferenceTest.productionForwardCases().map(TileCensusTest::forward),
                MatchesReferenceTest.productionBackwardCases().map(TileCensusTest::backward),
                MatchesReferenceTest.forwardCases().map(TileCensusTest::forward),
                MatchesReferenceTest.backwardCases().map(TileCensusTest::backward),
                MatchesReferenceTest.headCases().<Runnable>map(c -> () -> MatchesReferenceTest.head(SIMD, c)))
                .flatMap(s -> s).iterator();
        int run = 0;
        while (!never().isEmpty() && cases.hasNext()) {
            cases.next().run();
            run++;
        }
        StringBuilder table = new StringBuilder("TileCensusTest: tile dispatches per epilogue after " + run
                + " of the suite's cases");
        TileCensus.counts().forEach((tile, row) -> table.append("\n  ").append(tile).append(' ').append(row));
        System.out.println(table);
        assertEquals(List.of(), never(), "register tile/epilogue combinations no property case executes");
    }

    private static Runnable forward(SpanCase c) {
        return () -> MatchesReferenceTest.forward(SIMD, c);
    }

    private static Runnable backward(SpanCase c) {
        return () -> MatchesReferenceTest.backward(SIMD, c, MatchesReferenceTest.forward(SIMD, c));
    }

    /**
     * Whether a production shape can reach the combination on this machine. The tiles of the other
     * {@link TilePlan} never run here ({@link GemmChainTest} holds every tile to the chain on any
     * machine). In the wide plan a single row of the tiled loop meets an epilogue only in a step
     * (packed {@code B}, one contiguous row of {@code A}), whose single rows go to the row-pair
     * kernel unless the depth is blocked, which takes at least 8 rows, and the wide plan cuts 8
     * rows or more without single rows ({@link TilePlanTest}); the narrow plan leaves an odd
     * batch's last row to it.
     */
    private static boolean reachable(TileCensus.Tile tile, Gemm.Epilogue epilogue) {
        boolean wide = TilePlan.MACHINE == TilePlan.WIDE;
        return switch (tile) {
            case SIX_ROWS_BY_GROUP, FIVE_ROWS_BY_GROUP, FOUR_ROWS_BY_GROUP -> wide;
            case TWO_ROWS_BY_GROUP -> !wide;
            case ROW_BY_GROUP -> epilogue == Gemm.Epilogue.NONE || !wide;
            default -> true;
        };
    }

    /** The combinations the census has not seen yet, named. */
    private static List<String> never() {
        List<String> never = new ArrayList<>();
        for (Map.Entry<TileCensus.Tile, Map<Gemm.Epilogue, Long>> row : TileCensus.counts().entrySet()) {
            row.getValue().forEach((epilogue, count) -> {
                if (count == 0 && reachable(row.getKey(), epilogue)) {
                    never.add(row.getKey() + " with " + epilogue);
                }
            });
        }
        return never;
    }
}
