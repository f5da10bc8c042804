package dev.elman.testing;

import java.util.stream.LongStream;

/**
 * Seeds for property tests written as JUnit parameterized tests: each property runs on
 * {@code tries} random cases, each case built from one seed and named by its shape, so a failure
 * names a case that reruns exactly. The seeds are fixed per property (reproducible builds);
 * {@code -Delman.test.seed=N} shifts all of them to explore new cases.
 *
 * <p>Every module's tests use this one class (the reference module's test-jar), so a property
 * of the same name gets the same seeds wherever it runs and one system property shifts them all.
 */
public final class Trials {
    private Trials() {
    }

    /**
     * The number of tries of a property: {@code normal} in a normal build, or
     * {@code -Delman.test.tries=N} (a nightly run asks for more).
     *
     * @param normal the tries of a normal build
     * @return {@code normal}, or the value of {@code elman.test.tries}
     * @throws IllegalArgumentException if {@code elman.test.tries} is not a whole number from 1 to
     *     {@link Integer#MAX_VALUE}
     */
    public static int tries(int normal) {
        long tries = wholeNumber("elman.test.tries", normal);
        if (tries < 1 || tries > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "-Delman.test.tries must be from 1 to " + Integer.MAX_VALUE + ", got " + tries);
        }
        return (int) tries;
    }

    /**
     * The seeds of one property.
     *
     * @param property the property's name; its hash picks the seeds, so renaming a property
     *     changes its cases
     * @param tries how many seeds
     * @return {@code tries} seeds, fixed for {@code property} and {@code elman.test.seed}
     * @throws IllegalArgumentException if {@code tries} is below 1 (a property run on no cases
     *     checks nothing) or {@code elman.test.seed} is not a whole number
     */
    public static LongStream seeds(String property, int tries) {
        if (tries < 1) {
            throw new IllegalArgumentException("property \"" + property + "\" needs at least 1 try, got " + tries);
        }
        long base = property.hashCode() * 0x9E3779B97F4A7C15L + wholeNumber("elman.test.seed", 0L);
        return LongStream.range(0, tries).map(i -> mix(base + i));
    }

    /** A whole-number system property, refused by name when it is not one (rather than ignored). */
    private static long wholeNumber(String name, long unset) {
        String value = System.getProperty(name);
        if (value == null) {
            return unset;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + name + " must be a whole number, got \"" + value + "\"", e);
        }
    }

    /** SplitMix64's finaliser: neighbouring indices give unrelated seeds. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
