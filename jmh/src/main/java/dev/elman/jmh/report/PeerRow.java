package dev.elman.jmh.report;

import dev.elman.jmh.Flops;

import java.util.Locale;

/**
 * One line of the peers kit's CSV output ({@code ../shared/peers}: PyTorch or oneDNN on the same
 * work unit as a {@link Workload}).
 *
 * @param system e.g. {@code onednn-2.6.3} or {@code torch-1.13.0a0}
 * @param threads the threads it ran on
 * @param batch B
 * @param hidden H
 * @param input I
 * @param steps T (1 for {@code step})
 * @param window K (T for {@code fwd})
 * @param mode {@code fwd}, {@code train} or {@code step}
 * @param millisPerSequence ms per sequence of T steps
 * @param microsPerStep µs per step: the median of the timed runs
 * @param gigaflopsPerSecond the GFLOP/s the kit computed
 * @param reps the timed runs
 * @param iqrPercent their interquartile range, % of the median
 * @param p99MicrosPerStep the 99th percentile per step (meaningful for {@code step})
 */
public record PeerRow(String system, int threads, int batch, int hidden, int input, int steps, int window, String mode,
                      double millisPerSequence, double microsPerStep, double gigaflopsPerSecond, long reps,
                      double iqrPercent, double p99MicrosPerStep) {
    /** @return the column this system gets in tables and legends, e.g. {@code onednn-2.6.3 1t} */
    public String label() {
        return system + " " + threads + "t";
    }

    /**
     * @return the FLOP of one step by the kit's (and Elman's) convention: {@code 2·B·H·(I+H)}, 3× for
     *     {@code train}
     */
    public double flopPerStep() {
        return Flops.forwardStep(batch, input, hidden) * (mode.equals("train") ? Flops.FORWARD_BACKWARD_FACTOR : 1);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s B=%d H=%d T=%d K=%d %s: %.3f µs/step", label(), batch, hidden, steps, window,
                mode, microsPerStep);
    }
}
