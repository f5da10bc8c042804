package dev.elman.engine.parallel;

/**
 * How long the team's waits spin before they stop burning a core: a worker waiting for the next
 * task and a caller waiting for its workers spin this long and then park; a participant waiting at
 * the barrier spins this long and then yields.
 *
 * <p>The budget covers the gaps a pass leaves between consecutive parallel phases (the serial work
 * of a step, the output head), so back-to-back runs never pay a wake-up, while a team left idle
 * parks within a fraction of a millisecond and then costs no processor time. Spinning is bounded
 * by the clock rather than by a count because the cost of one {@link Thread#onSpinWait()} differs
 * by an order of magnitude between processors.
 */
final class SpinBudget {
    /** The spin budget of one wait, in nanoseconds. */
    static final long NANOS = 50_000;

    /** Spin iterations between two readings of the clock; a power of two. */
    static final int CHECKS_PER_CLOCK_READ = 64;

    private SpinBudget() {
    }
}
