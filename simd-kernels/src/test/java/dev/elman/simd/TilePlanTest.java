package dev.elman.simd;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link TilePlan}'s two plans over every run of rows up to a few thousand (exhaustive: the cut of
 * a long run repeats with period 6, so these cover every case): the tiles take every row once; in
 * the wide plan long runs use only 6- and 5-row tiles and no run of 8 rows or more has single
 * rows, which is why there the single rows of {@link Gemm}'s tiled loop meet no epilogue
 * ({@link TileCensusTest}); the narrow plan uses 2-row tiles and at most one single row.
 */
class TilePlanTest {
    private static final int MOST_ROWS = 3000;

    @ParameterizedTest(name = "{0}")
    @MethodSource("plans")
    void theTilesTakeEveryRowOnce(TilePlan plan) {
        for (int rows = 0; rows <= MOST_ROWS; rows++) {
            int sixes = plan.sixes(rows);
            int fives = plan.fives(rows);
            int fours = plan.fours(rows);
            int twos = plan.twos(rows);
            int singles = plan.singles(rows);
            assertTrue(sixes >= 0 && fives >= 0 && fours >= 0 && twos >= 0 && singles >= 0 && singles < 4,
                    plan + ", " + rows + " rows: " + sixes + " sixes, " + fives + " fives, " + fours + " fours, "
                            + twos + " twos, " + singles + " singles");
            assertEquals(rows, 6 * sixes + 5 * fives + 4 * fours + 2 * twos + singles, plan + ", " + rows + " rows");
        }
    }

    @Test
    void theNarrowPlanCutsIntoTwoRowTilesAndAtMostOneSingleRow() {
        TilePlan plan = TilePlan.NARROW;
        for (int rows = 0; rows <= MOST_ROWS; rows++) {
            assertEquals(rows / 2, plan.twos(rows), rows + " rows");
            assertEquals(rows % 2, plan.singles(rows), rows + " rows");
            assertEquals(0, plan.sixes(rows) + plan.fives(rows) + plan.fours(rows), rows + " rows: wider tiles spill");
        }
    }

    @Test
    void theMachinePlanFollowsTheVectorWidth() {
        if (System.getProperty("elman.simd.tiles", "auto").equals("auto")) {
            assertEquals(Gemm.SPECIES.vectorBitSize() >= 512 ? TilePlan.WIDE : TilePlan.NARROW, TilePlan.MACHINE);
        }
    }

    static Stream<TilePlan> plans() {
        return Stream.of(TilePlan.WIDE, TilePlan.NARROW);
    }

    @Test
    void wideLongRunsUseOnlySixAndFiveRowTiles() {
        for (int rows = 25; rows <= MOST_ROWS; rows++) {
            assertEquals(0, TilePlan.WIDE.fours(rows), rows + " rows: 4-row tiles");
            assertEquals(0, TilePlan.WIDE.singles(rows), rows + " rows: single rows");
            assertTrue(TilePlan.WIDE.fives(rows) < 6, rows + " rows: " + TilePlan.WIDE.fives(rows) + " 5-row tiles, six of which are five 6-row ones");
        }
    }

    @Test
    void wideRunsOfEightRowsOrMoreHaveNoSingleRows() {
        for (int rows = 8; rows <= MOST_ROWS; rows++) {
            assertEquals(0, TilePlan.WIDE.singles(rows), rows + " rows");
        }
    }

    /** The row-paired driver tiles {@code rows − singles(rows)} rows and expects no single row among them. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("plans")
    void theRowsLeftForTilesCutWithoutSingles(TilePlan plan) {
        for (int rows = 0; rows <= MOST_ROWS; rows++) {
            assertEquals(0, plan.singles(rows - plan.singles(rows)), plan + ", " + rows + " rows");
        }
    }

    @Test
    void wideShortRunsTakeTheCheapestCut() {
        for (int rows = 0; rows < 25; rows++) {
            double chosen = cost(TilePlan.WIDE.sixes(rows), TilePlan.WIDE.fives(rows), TilePlan.WIDE.fours(rows), TilePlan.WIDE.singles(rows));
            for (int sixes = 0; 6 * sixes <= rows; sixes++) {
                for (int fives = 0; 6 * sixes + 5 * fives <= rows; fives++) {
                    for (int fours = 0; 6 * sixes + 5 * fives + 4 * fours <= rows; fours++) {
                        int singles = rows - 6 * sixes - 5 * fives - 4 * fours;
                        assertTrue(chosen <= cost(sixes, fives, fours, singles) + 1e-9,
                                rows + " rows: a cheaper cut exists, " + sixes + "/" + fives + "/" + fours + "/" + singles);
                    }
                }
            }
        }
    }

    private static double cost(int sixes, int fives, int fours, int singles) {
        return 6 * sixes + 5 * fives + 4 * fours * TilePlan.FOUR_ROW_COST + singles * TilePlan.SINGLE_ROW_COST;
    }
}
