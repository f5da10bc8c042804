package dev.elman.cli;

import dev.elman.engine.parallel.Parallelism;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The numeric values {@code rnn}'s options take, as picocli converters: each accepts the value as
 * typed (surrounding blanks ignored) or refuses it with the reason {@link UsageMistake} puts after
 * the option's name ({@code --length must be at least 1, got 0}). picocli instantiates them
 * reflectively, one class per range, since a converter takes no arguments.
 */
final class NumberValues {
    private NumberValues() {
    }

    /** Any long: seeds. */
    static final class AnyLong implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return Long.parseLong(value.trim());
            } catch (NumberFormatException e) {
                throw notAnInteger(value, Long.MIN_VALUE, Long.MAX_VALUE);
            }
        }
    }

    /** Counts that may be zero (characters to sample or generate). */
    static final class AtLeastZero implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return atLeast(value, 0);
        }
    }

    /** Sizes and counts of at least one. */
    static final class AtLeastOne implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return atLeast(value, 1);
        }
    }

    /** At least two: the adding problem's length (one marker per half), the copy task's alphabet. */
    static final class AtLeastTwo implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return atLeast(value, 2);
        }
    }

    /** A number of threads, as the engine takes them: 1 to {@link Parallelism#MAX_THREADS}. */
    static final class Threads implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return threads(value);
        }
    }

    /**
     * @param value a number of threads as typed
     * @return it, checked by the engine's own rule ({@link Parallelism#parseThreads})
     * @throws TypeConversionException in the engine's words, without its origin prefix (the
     *     option's name is put before the reason)
     */
    static int threads(String value) {
        try {
            return Parallelism.parseThreads(value, THREADS_ORIGIN);
        } catch (IllegalArgumentException e) {
            // "--threads: expected a number of threads …" → "expects a number of threads …".
            throw new TypeConversionException("expects" + e.getMessage().substring(THREADS_ORIGIN.length() + ": expected".length()));
        }
    }

    private static final String THREADS_ORIGIN = "--threads";

    /** A positive, finite number: learning rates, temperatures, radii. */
    static final class PositiveNumber implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            return positive(value);
        }
    }

    /** A positive limit, or {@code none} for no limit (+∞). */
    static final class LimitOrNone implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            return value.trim().equalsIgnoreCase("none") ? Double.POSITIVE_INFINITY : positive(value);
        }
    }

    /** A number in [0, 1): momentum. */
    static final class BelowOne implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double parsed = number(value);
            if (!Double.isFinite(parsed) || parsed < 0 || parsed > 1) {
                throw new TypeConversionException("must be a number in [0.0, 1.0], got " + value);
            }
            if (parsed >= 1) {
                throw new TypeConversionException("must be below 1, got " + value);
            }
            return parsed;
        }
    }

    private static int atLeast(String value, int min) {
        int parsed;
        try {
            parsed = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw notAnInteger(value, min, Integer.MAX_VALUE);
        }
        if (parsed < min) {
            throw new TypeConversionException("must be at least " + min + ", got " + parsed);
        }
        return parsed;
    }

    /**
     * Why a value is not an integer of the range: an integer too large (or small) for it is out of
     * range, which is what the user needs to hear, rather than "not an integer".
     */
    private static TypeConversionException notAnInteger(String value, long min, long max) {
        if (value.trim().matches("[+-]?[0-9]+")) {
            return new TypeConversionException(value.trim().startsWith("-")
                    ? "must be at least " + min + ", got " + value.trim()
                    : "is out of range: at most " + max + ", got " + value.trim());
        }
        return new TypeConversionException("expects an integer, got '" + value + "'");
    }

    private static double positive(String value) {
        double parsed = number(value);
        if (!(parsed > 0) || Double.isInfinite(parsed)) {
            throw new TypeConversionException("must be a positive number, got " + value);
        }
        return parsed;
    }

    private static double number(String value) {
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("expects a number, got '" + value + "'");
        }
    }
}
