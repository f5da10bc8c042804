package dev.elman.simd;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counts which register tile ran with which epilogue in {@link Gemm}, so that a test can prove
 * the property suite executes every tile/epilogue combination that production shapes reach (a
 * fused φ over four of the six-row tile's rows once survived every test because no test shape
 * reached the six-row tile).
 *
 * <p>{@link Gemm} calls {@link #record} only inside {@code assert} statements: with assertions
 * off, as in production, the call is never made and the JIT drops the check, so the census costs
 * nothing; with assertions on, as in the tests, every tile dispatch is counted.
 */
final class TileCensus {
    /** The places where {@link Gemm}'s driver hands a block of {@code C} to a register tile. */
    enum Tile {
        /** {@link RegisterTiles#tile6x4}: six rows of a full column group. */
        SIX_ROWS_BY_GROUP,
        /** {@link RegisterTiles#tile5x4}: five rows of a full column group. */
        FIVE_ROWS_BY_GROUP,
        /** {@link RegisterTiles#tile4x4}: four rows of a full column group. */
        FOUR_ROWS_BY_GROUP,
        /** {@link RegisterTiles#tile2x4}: two rows of a full column group ({@link TilePlan#NARROW} only). */
        TWO_ROWS_BY_GROUP,
        /** {@link RegisterTiles#tile1x4} in the tiled row loop: a leftover row of a column group. */
        ROW_BY_GROUP,
        /** {@link RegisterTiles#rowTimesTwoGroups}: a single row against two column groups of packed B. */
        ROW_BY_TWO_GROUPS,
        /** {@link RegisterTiles#tile1x4} after the row pairs: a single row's last, odd column group. */
        ROW_BY_ODD_GROUP,
        /** {@link RegisterTiles#tile4x1}: four rows of one vector past the full groups (maybe partial). */
        FOUR_ROWS_BY_VECTOR,
        /** {@link RegisterTiles#tile1x1}: one row of one vector past the full groups (maybe partial). */
        ROW_BY_VECTOR
    }

    private static final int EPILOGUES = Gemm.Epilogue.values().length;
    private static final AtomicLongArray COUNTS = new AtomicLongArray(Tile.values().length * EPILOGUES);

    private TileCensus() {
    }

    /**
     * Counts one dispatch of {@code tile} followed by {@code epilogue}.
     *
     * @return true, so that the call can stand in an {@code assert}
     */
    static boolean record(Tile tile, Gemm.Epilogue epilogue) {
        COUNTS.incrementAndGet(tile.ordinal() * EPILOGUES + epilogue.ordinal());
        return true;
    }

    /** Whether the census is counting: it counts only when assertions are enabled for this class. */
    static boolean counting() {
        boolean enabled = false;
        //noinspection AssertWithSideEffects: the side effect is the point, it tells whether asserts run
        assert enabled = true;
        return enabled;
    }

    /** Forgets every count. */
    static void reset() {
        for (int i = 0; i < COUNTS.length(); i++) {
            COUNTS.set(i, 0);
        }
    }

    /** The counts so far, per tile and epilogue, every combination present (zero if never run). */
    static Map<Tile, Map<Gemm.Epilogue, Long>> counts() {
        Map<Tile, Map<Gemm.Epilogue, Long>> counts = new EnumMap<>(Tile.class);
        for (Tile tile : Tile.values()) {
            Map<Gemm.Epilogue, Long> row = new EnumMap<>(Gemm.Epilogue.class);
            for (Gemm.Epilogue epilogue : Gemm.Epilogue.values()) {
                row.put(epilogue, COUNTS.get(tile.ordinal() * EPILOGUES + epilogue.ordinal()));
            }
            counts.put(tile, row);
        }
        return counts;
    }
}
