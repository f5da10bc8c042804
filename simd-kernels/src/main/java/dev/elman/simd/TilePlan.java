package dev.elman.simd;

import jdk.incubator.vector.FloatVector;

/**
 * How {@link Gemm} cuts a run of rows into register tiles: how many 6-, 5-, 4- and 2-row tiles,
 * and how many single rows are left. There are two plans, one per size of the vector register
 * file, and {@link #MACHINE} is the one for this processor's preferred vectors.
 *
 * <p><b>{@link #WIDE}, for 32 vector registers</b> (AVX-512). The 6- and 5-row tiles run at the
 * same rate, the 4-row tile about 15 % slower and a single row at about 40 % (measured one thread,
 * {@code C = A·B} with {@code K = N = 1024}: 12 rows as 6 + 6 and 10 rows as 5 + 5 107 GFLOP/s,
 * 8 rows as 4 + 4 91, 13 rows as 6 + 6 + 1 96), so every run of at least 25 rows is cut into 6-
 * and 5-row tiles only: since {@code 5 ≡ −1 (mod 6)}, {@code (6 − rows mod 6) mod 6} 5-row tiles
 * leave a multiple of six. A shorter run takes the cut of least cost, a 4-row tile's row counted
 * {@value #FOUR_ROW_COST} and a single row {@value #SINGLE_ROW_COST} against 1 for a row of a 6- or
 * 5-row tile.
 *
 * <p><b>{@link #NARROW}, for 16 vector registers</b> (AVX2). There the 6-, 5- and 4-row tiles'
 * 24, 20 and 16 accumulators do not fit and spill on every step of the depth (a Zen 3 core:
 * 30–37 GFLOP/s from L1, against 45–73 for the 2-row tile's 8 accumulators in the same rounds; a
 * 3-row tile needs all 16 registers and spilled too, 21), so runs are cut into 2-row tiles and
 * an odd run's last row goes alone.
 *
 * <p>The cut never changes a float: every tile runs each element's one chain of
 * {@link RegisterTiles}, so both plans give the same result.
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

    /** The plan for 32 vector registers: 6-, 5- and 4-row tiles. */
    static final TilePlan WIDE = new TilePlan(true);
    /** The plan for 16 vector registers: 2-row tiles. */
    static final TilePlan NARROW = new TilePlan(false);
    /**
     * The plan for this processor: {@link #WIDE} where the preferred vectors are 512 bits wide
     * (AVX-512 has 32 of them), {@link #NARROW} for 256-bit vectors (AVX2 has 16).
     * {@code -Delman.simd.tiles=wide|narrow} forces one, for measuring one against the other (the
     * results are the same floats either way); unset (or {@code auto}) the width decides.
     */
    static final TilePlan MACHINE = chosen(System.getProperty("elman.simd.tiles", "auto"));

    /** Runs shorter than this take their wide cut from the table; longer ones the 6- and 5-row rule. */
    private static final int TABLE_ROWS = 30;

    private final boolean wide;
    private final int[] sixes = new int[TABLE_ROWS];
    private final int[] fives = new int[TABLE_ROWS];
    private final int[] fours = new int[TABLE_ROWS];

    private TilePlan(boolean wide) {
        this.wide = wide;
        if (!wide) {
            return;
        }
        for (int rows = 0; rows < TABLE_ROWS; rows++) {
            double best = Double.MAX_VALUE;
            // More 6-row tiles first, so that a tie keeps the widest tiles.
            for (int six = rows / 6; six >= 0; six--) {
                for (int five = 0; 6 * six + 5 * five <= rows; five++) {
                    int left = rows - 6 * six - 5 * five;
                    int four = left / 4;
                    int singles = left % 4;
                    double cost = 6 * six + 5 * five + 4 * four * FOUR_ROW_COST + singles * SINGLE_ROW_COST;
                    if (cost < best) {
                        best = cost;
                        sixes[rows] = six;
                        fives[rows] = five;
                        fours[rows] = four;
                    }
                }
            }
        }
    }

    /** @return the 6-row tiles of a run of {@code rows} */
    int sixes(int rows) {
        if (!wide) {
            return 0;
        }
        return rows < TABLE_ROWS ? sixes[rows] : (rows - 5 * fivesOfLongRun(rows)) / 6;
    }

    /** @return the 5-row tiles of a run of {@code rows} */
    int fives(int rows) {
        if (!wide) {
            return 0;
        }
        return rows < TABLE_ROWS ? fives[rows] : fivesOfLongRun(rows);
    }

    /** @return the 4-row tiles of a run of {@code rows} */
    int fours(int rows) {
        return wide && rows < TABLE_ROWS ? fours[rows] : 0;
    }

    /** @return the 2-row tiles of a run of {@code rows} */
    int twos(int rows) {
        return wide ? 0 : rows / 2;
    }

    /** @return the rows of a run of {@code rows} that no tile of several rows takes */
    int singles(int rows) {
        return rows - 6 * sixes(rows) - 5 * fives(rows) - 4 * fours(rows) - 2 * twos(rows);
    }

    /** @return the fewest rows a tile of several rows takes: 4 in the wide plan, 2 in the narrow one */
    int fewestTiledRows() {
        return wide ? RegisterTiles.TILE_ROWS : RegisterTiles.TWO_ROWS;
    }

    @Override
    public String toString() {
        return wide ? "TilePlan.WIDE" : "TilePlan.NARROW";
    }

    private static TilePlan chosen(String value) {
        // The preferred species itself, not Gemm's: Gemm's initialisation reads MACHINE, and two
        // threads initialising the two classes at once, each needing the other, would deadlock.
        return switch (value) {
            case "auto" -> FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 512 ? WIDE : NARROW;
            case "wide" -> WIDE;
            case "narrow" -> NARROW;
            default -> throw new IllegalArgumentException("elman.simd.tiles: expected auto, wide or narrow, got '"
                    + value + "'");
        };
    }

    private static int fivesOfLongRun(int rows) {
        return (6 - rows % 6) % 6;
    }
}
