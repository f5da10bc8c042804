package dev.elman.simd;

import java.util.stream.LongStream;

/**
 * Seeds for property tests written as JUnit parameterized tests: each property runs on
 * {@code tries} random cases, each case built from one seed and named by its shape, so a failure
 * names a case that reruns exactly. The seeds are fixed per property (reproducible builds);
 * {@code -Delman.test.seed=N} shifts all of them to explore new cases.
 */
final class Trials {
    private Trials() {
    }

    /**
     * The number of tries of a property: {@code normal} in a normal build, or
     * {@code -Delman.test.tries=N} (a nightly run asks for more).
     */
    static int tries(int normal) {
        return Integer.getInteger("elman.test.tries", normal);
    }

    static LongStream seeds(String property, int tries) {
        long base = property.hashCode() * 0x9E3779B97F4A7C15L + Long.getLong("elman.test.seed", 0L);
        return LongStream.range(0, tries).map(i -> mix(base + i));
    }

    /** SplitMix64's finaliser: neighbouring indices give unrelated seeds. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
