package dev.elman.cli;

import dev.elman.engine.diagnostics.JacobianDecay;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The vanishing-gradient table: {@code ‖∂h_t/∂h_{t−k}‖} at a few lags {@code k} (1, 2, 5, 10, 20,
 * 50, … and the largest), one column per model or layer, and the mean factor per step over the
 * whole range below.
 */
final class DecayTable {
    private DecayTable() {
    }

    /**
     * @param maxLag K
     * @return 1, 2, 5, 10, 20, 50, … up to K, and K itself
     */
    static List<Integer> lags(int maxLag) {
        List<Integer> lags = new ArrayList<>();
        int[] mantissas = {1, 2, 5};
        for (long decade = 1; decade <= maxLag; decade *= 10) {
            for (int m : mantissas) {
                if (m * decade <= maxLag) {
                    lags.add((int) (m * decade));
                }
            }
        }
        if (lags.get(lags.size() - 1) != maxLag) {
            lags.add(maxLag);
        }
        return lags;
    }

    /**
     * @param names the column headings
     * @param decays one measurement per column, all to the same largest lag
     * @return the table, one line per lag, then a line of per-step factors
     */
    static String format(List<String> names, List<JacobianDecay> decays) {
        int maxLag = decays.get(0).maxLag();
        int width = 12;
        for (String name : names) {
            width = Math.max(width, name.length() + 2);
        }
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "  %6s", "k"));
        for (String name : names) {
            text.append(String.format(Locale.ROOT, "%" + width + "s", name));
        }
        text.append('\n');
        for (int lag : lags(maxLag)) {
            text.append(String.format(Locale.ROOT, "  %6d", lag));
            for (JacobianDecay decay : decays) {
                text.append(String.format(Locale.ROOT, "%" + width + "s", norm(decay, lag)));
            }
            text.append('\n');
        }
        if (maxLag > 1) {
            text.append(String.format(Locale.ROOT, "  %6s", "×/step"));
            for (JacobianDecay decay : decays) {
                double rate = decay.ratePerStep(1, maxLag);
                text.append(String.format(Locale.ROOT, "%" + width + "s",
                        Double.isFinite(rate) ? String.format(Locale.ROOT, "%.3f", rate) : "0"));
            }
            text.append('\n');
        }
        return text.toString();
    }

    /** The norm in scientific notation, from its logarithm when it is beyond the double range. */
    static String norm(JacobianDecay decay, int lag) {
        double log = decay.logNorm(lag);
        if (log == Double.NEGATIVE_INFINITY) {
            return "0";
        }
        double log10 = log / Math.log(10);
        if (Math.abs(log10) < 300) {
            return String.format(Locale.ROOT, "%.2e", Math.pow(10, log10));
        }
        long exponent = (long) Math.floor(log10);
        return String.format(Locale.ROOT, "%.2fe%+d", Math.pow(10, log10 - exponent), exponent);
    }

    /**
     * The decay as chart points. A norm beyond the double range (+∞) or exactly zero cannot sit on
     * a log axis; the chart leaves such points out and breaks the line there.
     *
     * @param decay the measurement
     * @return {k} and {‖∂h_t/∂h_{t−k}‖}
     */
    static double[][] points(JacobianDecay decay) {
        double[] lags = new double[decay.maxLag()];
        double[] norms = new double[decay.maxLag()];
        for (int k = 1; k <= decay.maxLag(); k++) {
            lags[k - 1] = k;
            norms[k - 1] = decay.norm(k);
        }
        return new double[][] {lags, norms};
    }
}
