package dev.elman.engine.training;

import dev.elman.engine.model.Parameters;

/**
 * Limits on gradients before an update: each value clamped to {@code ±maxValue}, then, when the
 * global Euclidean norm over all values exceeds {@code maxNorm}, every value scaled by
 * {@code maxNorm / norm} (PyTorch's {@code clip_grad_value_} then {@code clip_grad_norm_}). An
 * infinite limit is off.
 *
 * @param maxNorm the largest global norm, positive; {@code +∞} for none
 * @param maxValue the largest magnitude of one value, positive; {@code +∞} for none
 */
public record GradientClipping(double maxNorm, double maxValue) {
    /**
     * Checks the limits.
     *
     * @param maxNorm positive, or {@code +∞}
     * @param maxValue positive, or {@code +∞}
     * @throws IllegalArgumentException naming a limit that is not positive (or is NaN)
     */
    public GradientClipping {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("maxNorm must be positive (or infinite for no norm clipping), got " + maxNorm);
        }
        if (!(maxValue > 0)) {
            throw new IllegalArgumentException("maxValue must be positive (or infinite for no value clipping), got "
                    + maxValue);
        }
    }

    /** @return no clipping */
    public static GradientClipping none() {
        return new GradientClipping(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);
    }

    /**
     * @param maxNorm the largest global norm, positive
     * @return clipping of the global norm only
     */
    public static GradientClipping globalNorm(double maxNorm) {
        return new GradientClipping(maxNorm, Double.POSITIVE_INFINITY);
    }

    /**
     * @param maxValue the largest magnitude of one value, positive
     * @return clipping of each value only
     */
    public static GradientClipping perValue(double maxValue) {
        return new GradientClipping(Double.POSITIVE_INFINITY, maxValue);
    }

    /** @return whether either limit is on */
    public boolean isActive() {
        return maxNorm != Double.POSITIVE_INFINITY || maxValue != Double.POSITIVE_INFINITY;
    }

    /**
     * Clips gradients in place.
     *
     * @param gradients the values to clip
     * @param norm their global norm as it is now (e.g. {@link Parameters#norm()})
     * @return whether anything changed
     */
    public boolean apply(Parameters gradients, double norm) {
        boolean clipped = false;
        if (maxValue != Double.POSITIVE_INFINITY) {
            float limit = (float) maxValue;
            for (int t = 0; t < gradients.count(); t++) {
                float[] g = gradients.get(t).data();
                for (int i = 0; i < g.length; i++) {
                    if (g[i] > limit) {
                        g[i] = limit;
                        clipped = true;
                    } else if (g[i] < -limit) {
                        g[i] = -limit;
                        clipped = true;
                    }
                }
            }
            if (clipped) {
                norm = gradients.norm();
            }
        }
        if (norm > maxNorm) {
            double scale = maxNorm / norm;
            for (int t = 0; t < gradients.count(); t++) {
                float[] g = gradients.get(t).data();
                for (int i = 0; i < g.length; i++) {
                    g[i] = (float) (g[i] * scale);
                }
            }
            clipped = true;
        }
        return clipped;
    }
}
