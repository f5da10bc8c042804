package dev.elman.jmh;

import java.util.Locale;

/**
 * How far the sweep takes the scalar reference kernels.
 *
 * <p>The reference computes in double with plain loops, at about 1–3 GFLOP/s on the machines we
 * measured, so its measured operation (512 steps of B sequences) at B = 32 and H = 1024 would take
 * about a minute forward and three with backward, per invocation. Rather than extrapolate such
 * rows or shorten their work, the reference runs only where one measured operation costs at most
 * {@link #MAX_FLOP_PER_OPERATION} FLOP (about one to two seconds), and the missing rows are
 * missing: the report says so. The SIMD kernels have no budget.
 *
 * <p>A benchmark asked for a reference configuration beyond the budget refuses in its setup with
 * a message naming the cost; {@code -jvmArgsAppend -D}{@value #UNBOUNDED_PROPERTY}{@code =true}
 * lifts the bound for a deliberate long run.
 */
public final class ReferenceBudget {
    /** The most FLOP (by {@link Flops}' convention) one measured operation of the reference may cost. */
    public static final double MAX_FLOP_PER_OPERATION = 2e9;

    /** Set to {@code true} in the benchmark's JVM to run the reference beyond the budget. */
    public static final String UNBOUNDED_PROPERTY = "elman.bench.unboundedReference";

    /** The value of the {@code kernels} parameter that names the reference kernels. */
    public static final String REFERENCE = "reference";

    private ReferenceBudget() {
    }

    /**
     * @param flopPerOperation the FLOP of one measured operation
     * @return whether the reference may run it
     */
    public static boolean allows(double flopPerOperation) {
        return flopPerOperation <= MAX_FLOP_PER_OPERATION;
    }

    /**
     * Refuses a reference configuration beyond the budget (unless lifted).
     *
     * @param kernels the benchmark's {@code kernels} parameter; only {@value #REFERENCE} is bounded
     * @param flopPerOperation the FLOP of one measured operation
     * @param configuration says which configuration, for the message
     * @throws IllegalArgumentException when the reference is asked beyond the budget
     */
    public static void check(String kernels, double flopPerOperation, String configuration) {
        if (REFERENCE.equals(kernels) && !allows(flopPerOperation) && !Boolean.getBoolean(UNBOUNDED_PROPERTY)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s with the reference kernels costs %.3g FLOP per operation, beyond the reference budget of %.3g"
                            + " (minutes per invocation); this configuration is not part of the sweep. Run it anyway"
                            + " with -jvmArgsAppend -D%s=true", configuration, flopPerOperation, MAX_FLOP_PER_OPERATION,
                    UNBOUNDED_PROPERTY));
        }
    }
}
