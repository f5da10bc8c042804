package dev.elman.engine.diagnostics;

/**
 * The result of {@link JacobianNorms#measure}: {@code ‖∂h_t/∂h_{t−k}‖₂} for {@code k = 1 … K}.
 */
public final class JacobianDecay {
    private final double[] norms;
    private final double[] logNorms;
    private final String method;

    JacobianDecay(double[] norms, double[] logNorms, String method) {
        this.norms = norms;
        this.logNorms = logNorms;
        this.method = method;
    }

    /** @return K, the largest lag measured */
    public int maxLag() {
        return norms.length;
    }

    /**
     * @param lag k, 1 … K
     * @return {@code ‖∂h_t/∂h_{t−k}‖₂} (may be {@code +∞} when beyond the double range; see {@link #logNorm})
     */
    public double norm(int lag) {
        return norms[index(lag)];
    }

    /**
     * @param lag k, 1 … K
     * @return the natural logarithm of the norm ({@code −∞} when it is exactly zero)
     */
    public double logNorm(int lag) {
        return logNorms[index(lag)];
    }

    /** @return a copy of the norms, index {@code k − 1} for lag {@code k} */
    public double[] norms() {
        return norms.clone();
    }

    /**
     * The geometric decay (or growth) rate between two lags: {@code (‖J(to)‖ / ‖J(from)‖)^(1/(to − from))}.
     *
     * @param from a lag
     * @param to a larger lag
     * @return the mean factor per step; below 1 for vanishing, above 1 for exploding gradients
     */
    public double ratePerStep(int from, int to) {
        if (to <= from) {
            throw new IllegalArgumentException("to must be larger than from, got from = " + from + ", to = " + to);
        }
        return Math.exp((logNorm(to) - logNorm(from)) / (to - from));
    }

    /** @return how the spectral norms were computed */
    public String method() {
        return method;
    }

    private int index(int lag) {
        if (lag < 1 || lag > norms.length) {
            throw new IllegalArgumentException("lag must be in 1 … " + norms.length + ", got " + lag);
        }
        return lag - 1;
    }
}
