package dev.elman.simd;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a test body and names the register tiles and epilogues of {@link Gemm} it executed (from
 * the {@link TileCensus}), so that a failing case says which kernel paths it went through and a
 * passing one can be held to the paths it was drawn to reach.
 */
final class TileTrace {
    private TileTrace() {
    }

    /** A test body that may throw. */
    interface Body {
        void run() throws Exception;
    }

    /**
     * Runs {@code body}; if it fails, the failure is rethrown with the tiles run appended.
     *
     * @return the combinations {@code body} ran, as {@code "TILE/EPILOGUE×count"}
     */
    static List<String> run(Object testCase, Body body) throws Exception {
        Map<TileCensus.Tile, Map<Gemm.Epilogue, Long>> before = TileCensus.counts();
        try {
            body.run();
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n  " + testCase + " ran the tiles "
                    + since(before), e);
        }
        return since(before);
    }

    /** Whether {@code tiles} (from {@link #run}) include {@code tile} followed by {@code epilogue}. */
    static boolean ran(List<String> tiles, TileCensus.Tile tile, Gemm.Epilogue epilogue) {
        String prefix = tile + "/" + epilogue + "×";
        return tiles.stream().anyMatch(t -> t.startsWith(prefix));
    }

    private static List<String> since(Map<TileCensus.Tile, Map<Gemm.Epilogue, Long>> before) {
        List<String> ran = new ArrayList<>();
        TileCensus.counts().forEach((tile, row) -> row.forEach((epilogue, count) -> {
            long delta = count - before.get(tile).get(epilogue);
            if (delta > 0) {
                ran.add(tile + "/" + epilogue + "×" + delta);
            }
        }));
        return ran;
    }
}
