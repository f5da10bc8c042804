package dev.elman.simd;

/**
 * How {@link Gemm} cuts a run of rows into register tiles: how many 6-, 5- and 4-row tiles, and
 * how many single rows are left.
 *
 * <p>The 6- and 5-row tiles run at the same rate, the 4-row tile about 15 % slower and a single
 * row at about 40 % (measured one thread, {@code C = A·B} with {@code K = N = 1024}: 12 rows as
 * 6 + 6 and 10 rows as 5 + 5 107 GFLOP/s, 8 rows as 4 + 4 91, 13 rows as 6 + 6 + 1 96), so every
 * run of at least 25 rows is cut into 6- and 5-row tiles only: since {@code 5 ≡ −1 (mod 6)},
 * {@code (6 − rows mod 6) mod 6} 5-row tiles leave a multiple of six. A shorter run takes the cut
 * of least cost, a 4-row tile's row counted {@value #FOUR_ROW_COST} and a single row
 * {@value #SINGLE_ROW_COST} against 1 for a row of a 6- or 5-row tile.
 *
 * <p>The cut never changes a float: every tile runs each element's one chain of
 * {@link RegisterTiles}.
 */
final class TilePlan {
    /** The cost of a row in a 4-row tile, against 1 in a 6- or 5-row tile (91 against 107 GFLOP/s measured). */
    static final double FOUR_ROW_COST = 1.18;
    /**
     * The cost of a single row ({@link RegisterTiles#tile1x4}: four accumulator chains, one
     * fused multiply-add per chain per step of the depth, so it runs at the chains' latency): the
     * 13th row of 13 took as long as 2.6 of the other twelve.
     */
    static final double SINGLE_ROW_COST = 2.6;

    /** Runs shorter than this take their cut from the table; longer ones the 6- and 5-row rule. */
    private static final int TABLE_ROWS = 30;
    private static final int[] SIXES = new int[TABLE_ROWS];
    private static final int[] FIVES = new int[TABLE_ROWS];
    private static final int[] FOURS = new int[TABLE_ROWS];

    static {
        for (int rows = 0; rows < TABLE_ROWS; rows++) {
            double best = Double.MAX_VALUE;
            // More 6-row tiles first, so that a tie keeps the widest tiles.
            for (int sixes = rows / 6; sixes >= 0; sixes--) {
                for (int fives = 0; 6 * sixes + 5 * fives <= rows; fives++) {
                    int left = rows - 6 * sixes - 5 * fives;
                    int fours = left / 4;
                    int singles = left % 4;
                    double cost = 6 * sixes + 5 * fives + 4 * fours * FOUR_ROW_COST + singles * SINGLE_ROW_COST;
                    if (cost < best) {
                        best = cost;
                        SIXES[rows] = sixes;
                        FIVES[rows] = fives;
                        FOURS[rows] = fours;
                    }
                }
            }
        }
    }

    private TilePlan() {
    }

    /** @return the 6-row tiles of a run of {@code rows} */
    static int sixes(int rows) {
        return rows < TABLE_ROWS ? SIXES[rows] : (rows - 5 * fivesOfLongRun(rows)) / 6;
    }

    /** @return the 5-row tiles of a run of {@code rows} */
    static int fives(int rows) {
        return rows < TABLE_ROWS ? FIVES[rows] : fivesOfLongRun(rows);
    }

    /** @return the 4-row tiles of a run of {@code rows} */
    static int fours(int rows) {
        return rows < TABLE_ROWS ? FOURS[rows] : 0;
    }

    /** @return the rows of a run of {@code rows} that no 6-, 5- or 4-row tile takes */
    static int singles(int rows) {
        return rows - 6 * sixes(rows) - 5 * fives(rows) - 4 * fours(rows);
    }

    private static int fivesOfLongRun(int rows) {
        return (6 - rows % 6) % 6;
    }
}
