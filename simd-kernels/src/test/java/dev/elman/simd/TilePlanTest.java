package dev.elman.simd;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link TilePlan} over every run of rows up to a few thousand (exhaustive: the cut of a long run
 * repeats with period 6, so these cover every case): the tiles take every row once, long runs use
 * only 6- and 5-row tiles, and no run of 8 rows or more has single rows, which is why the single
 * rows of {@link Gemm}'s tiled loop meet no epilogue ({@link TileCensusTest}).
 */
class TilePlanTest {
    private static final int MOST_ROWS = 3000;

    @Test
    void theTilesTakeEveryRowOnce() {
        for (int rows = 0; rows <= MOST_ROWS; rows++) {
            int sixes = TilePlan.sixes(rows);
            int fives = TilePlan.fives(rows);
            int fours = TilePlan.fours(rows);
            int singles = TilePlan.singles(rows);
            assertTrue(sixes >= 0 && fives >= 0 && fours >= 0 && singles >= 0 && singles < 4,
                    rows + " rows: " + sixes + " sixes, " + fives + " fives, " + fours + " fours, " + singles + " singles");
            assertEquals(rows, 6 * sixes + 5 * fives + 4 * fours + singles, rows + " rows");
        }
    }

    @Test
    void longRunsUseOnlySixAndFiveRowTiles() {
        for (int rows = 25; rows <= MOST_ROWS; rows++) {
            assertEquals(0, TilePlan.fours(rows), rows + " rows: 4-row tiles");
            assertEquals(0, TilePlan.singles(rows), rows + " rows: single rows");
            assertTrue(TilePlan.fives(rows) < 6, rows + " rows: " + TilePlan.fives(rows) + " 5-row tiles, six of which are five 6-row ones");
        }
    }

    @Test
    void runsOfEightRowsOrMoreHaveNoSingleRows() {
        for (int rows = 8; rows <= MOST_ROWS; rows++) {
            assertEquals(0, TilePlan.singles(rows), rows + " rows");
        }
    }

    /** The row-paired driver tiles {@code rows − singles(rows)} rows and expects no single row among them. */
    @Test
    void theRowsLeftForTilesCutWithoutSingles() {
        for (int rows = 0; rows <= MOST_ROWS; rows++) {
            assertEquals(0, TilePlan.singles(rows - TilePlan.singles(rows)), rows + " rows");
        }
    }

    @Test
    void shortRunsTakeTheCheapestCut() {
        for (int rows = 0; rows < 25; rows++) {
            double chosen = cost(TilePlan.sixes(rows), TilePlan.fives(rows), TilePlan.fours(rows), TilePlan.singles(rows));
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
