package dev.elman.testing;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The seeds every property test runs on, and the refusals of bad counts. */
class TrialsTest {

    /**
     * The seeds of a property are pinned: they are what the per-module copies of this class gave
     * before there was one, so moving a test onto it (or any later change here) keeps its cases.
     */
    @Test
    void seedsArePinnedPerProperty() {
        assumeTrue(System.getProperty("elman.test.seed") == null, "-Delman.test.seed shifts every seed");
        assertArrayEquals(new long[] {8151211965226445463L, -1507717887050439988L, 8316956228684251549L},
                Trials.seeds("forward", 3).toArray());
        assertArrayEquals(new long[] {7198760100506545840L, 2558959379207890322L, 6061004332424854909L},
                Trials.seeds("tanh", 3).toArray());
    }

    @Test
    void moreTriesExtendTheSameSeeds() {
        long[] few = Trials.seeds("chained", 5).toArray();
        long[] many = Trials.seeds("chained", 50).toArray();
        for (int i = 0; i < few.length; i++) {
            assertEquals(few[i], many[i]);
        }
        assertEquals(50, Trials.seeds("chained", 50).distinct().count());
    }

    @Test
    void aPropertyWithoutTriesIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Trials.seeds("head", 0));
        assertTrue(e.getMessage().contains("\"head\"") && e.getMessage().contains("got 0"), e::getMessage);
    }

    @Test
    void triesAreTheNormalCountUnlessAsked() {
        assumeTrue(System.getProperty("elman.test.tries") == null, "-Delman.test.tries asks for another count");
        assertEquals(1000, Trials.tries(1000));
    }
}
