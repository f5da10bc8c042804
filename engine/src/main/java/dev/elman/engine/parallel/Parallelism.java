package dev.elman.engine.parallel;

/**
 * How many threads the engine computes with when the caller does not say: the policy behind
 * {@code -Delman.threads=N} and the validation every threads setting shares.
 *
 * <p>The library's default is <b>one thread</b>. The engine is embedded in servers where many
 * callers (requests, sessions, training jobs) already share the machine's cores; a library that
 * silently started a team per model would multiply threads by callers and make everyone slower.
 * Parallelism is therefore asked for explicitly: through the Java API, the system property
 * {@value #PROPERTY}, or the command line's {@code --threads N}.
 *
 * <p>A setting above {@link Runtime#availableProcessors()} is allowed and computes the same
 * results: spins are bounded and then yield or park, so an oversubscribed team still progresses,
 * only slower than one sized to the cores. It is not capped to the processor count because that
 * count is the JVM's view (container limits, affinity masks) and the deployment knows better. The
 * hard limit {@value #MAX_THREADS} only catches typos that would start thousands of threads.
 */
public final class Parallelism {
    /** The system property giving the default number of threads, a positive integer. */
    public static final String PROPERTY = "elman.threads";

    /** The largest number of threads a setting may ask for. */
    public static final int MAX_THREADS = 256;

    private Parallelism() {
    }

    /**
     * The number of threads to compute with when the caller gives none: {@value #PROPERTY} when
     * set, otherwise 1. The property is read on every call, so a test or an embedder may change it
     * before building a model.
     *
     * @return the number of threads, {@code 1} to {@value #MAX_THREADS}
     * @throws IllegalArgumentException when the property is set to anything but an integer from 1
     *         to {@value #MAX_THREADS}; the message names the property and the value
     */
    public static int defaultThreads() {
        String value = System.getProperty(PROPERTY);
        return value == null ? 1 : parseThreads(value, "-D" + PROPERTY);
    }

    /**
     * Parses a threads setting, as given on a command line or in a property.
     *
     * @param value the text, an integer from 1 to {@value #MAX_THREADS}; surrounding white space
     *        is ignored
     * @param origin where the value came from, e.g. {@code "--threads"}, named in the message
     * @return the number of threads
     * @throws IllegalArgumentException when {@code value} is not such an integer
     */
    public static int parseThreads(String value, String origin) {
        if (value == null) {
            throw new IllegalArgumentException(origin + ": a number of threads is required, got none");
        }
        int threads;
        try {
            threads = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(origin + ": expected a number of threads from 1 to "
                    + MAX_THREADS + ", got '" + value + "'", e);
        }
        return checkThreads(threads, origin);
    }

    /**
     * Checks a number of threads.
     *
     * @param threads the number of threads
     * @param origin what the number is, named in the message, e.g. {@code "threads"}
     * @return {@code threads}
     * @throws IllegalArgumentException when {@code threads} is below 1 or above
     *         {@value #MAX_THREADS}
     */
    public static int checkThreads(int threads, String origin) {
        if (threads < 1 || threads > MAX_THREADS) {
            throw new IllegalArgumentException(origin + ": expected a number of threads from 1 to "
                    + MAX_THREADS + ", got " + threads);
        }
        return threads;
    }
}
