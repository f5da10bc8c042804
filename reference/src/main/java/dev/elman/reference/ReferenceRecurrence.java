package dev.elman.reference;

import dev.elman.kernels.Activation;

/**
 * The recurrence and its backpropagation through time, in double precision, written as the seed
 * writes them: one loop per symbol, no reordering, no blocking. {@link ReferenceKernels} converts
 * float arrays to and from these at its boundary; the gradient checks call these directly so that
 * finite differences run in double.
 *
 * <p>All arrays start at index 0 and have exactly the sizes of the contract in
 * {@link dev.elman.kernels.RecurrentKernels}: {@code x [T][B][I]}, {@code h [T][B][H]},
 * {@code wx [H][I]}, {@code wh [H][H]}, states {@code [B][H]}.
 */
final class ReferenceRecurrence {
    private ReferenceRecurrence() {
    }

    /**
     * {@code h_t = φ(Wx·x_t + Wh·h_{t−1} + b)} for every step walked, the pre-activation clipped to
     * {@code [−clip, clip]} first when {@code clip > 0}.
     *
     * @param clip the bound of the pre-activation, or 0 for none
     * @param h0 the state before the first step walked, or null for zeros
     * @param b the bias, or null for none
     * @param lengths per-sequence lengths, or null for all T
     */
    static void forward(Activation phi, double clip, int inputSize, int hiddenSize, double[] wx, double[] wh, double[] b,
                        int steps, int batch, boolean reverse, double[] x, double[] h0, double[] h,
                        int[] lengths) {
        for (int s = 0; s < steps; s++) {
            int t = reverse ? steps - 1 - s : s;
            int previous = reverse ? t + 1 : t - 1; // the step whose state h_{t−1} is; -1 or T means h0
            for (int n = 0; n < batch; n++) {
                boolean padding = lengths != null && t >= lengths[n];
                for (int i = 0; i < hiddenSize; i++) {
                    double hPrevious = state(h, h0, previous, steps, batch, hiddenSize, n, i);
                    if (padding) {
                        h[index(t, n, i, batch, hiddenSize)] = hPrevious;
                        continue;
                    }
                    double z = b == null ? 0.0 : b[i];
                    for (int j = 0; j < inputSize; j++) {
                        z += wx[i * inputSize + j] * x[index(t, n, j, batch, inputSize)];
                    }
                    for (int k = 0; k < hiddenSize; k++) {
                        z += wh[i * hiddenSize + k] * state(h, h0, previous, steps, batch, hiddenSize, n, k);
                    }
                    if (clip > 0) {
                        // min and max keep NaN.
                        z = Math.min(Math.max(z, -clip), clip);
                    }
                    h[index(t, n, i, batch, hiddenSize)] = phi.apply(z);
                }
            }
        }
    }

    /**
     * Backpropagation through the span, walked from its last step to its first.
     *
     * @param clippedLow the output a step clipped at {@code −clip} has ({@code φ(−clip)} as the
     *     forward pass stored it), or NaN without clipping
     * @param clippedHigh the output of a step clipped at {@code +clip}, or NaN
     * @param dh {@code dL/dh_t} from above, or null for zeros
     * @param carry in: {@code dL/dh} of the span's final state (from beyond the span);
     *     out: {@code dL/dh0}. Length {@code B·H}.
     * @param dz scratch of length {@code B·H}
     * @param db accumulated, or null when the layer has no bias
     * @param dx overwritten, or null when not wanted
     */
    static void backward(Activation phi, double clippedLow, double clippedHigh, int inputSize, int hiddenSize,
                         double[] wx, double[] wh,
                         int steps, int batch, boolean reverse, double[] x, double[] h0, double[] h,
                         int[] lengths, double[] dh, double[] carry, double[] dz,
                         double[] dWx, double[] dWh, double[] db, double[] dx) {
        for (int s = steps - 1; s >= 0; s--) {
            int t = reverse ? steps - 1 - s : s;
            int previous = reverse ? t + 1 : t - 1;

            // dL/dh_t = dh_t (from above) + carry (from step t+1);  dz_t = φ'(z_t) ⊙ dL/dh_t, where
            // φ' is 0 at a clipped step (recognised by its output, see RecurrentKernels "Clipping")
            for (int n = 0; n < batch; n++) {
                boolean padding = lengths != null && t >= lengths[n];
                for (int i = 0; i < hiddenSize; i++) {
                    double dLdh = carry[n * hiddenSize + i] + (dh == null ? 0.0 : dh[index(t, n, i, batch, hiddenSize)]);
                    carry[n * hiddenSize + i] = dLdh; // a padding step hands it on unchanged
                    double out = h[index(t, n, i, batch, hiddenSize)];
                    boolean clipped = out == clippedLow || out == clippedHigh;
                    dz[n * hiddenSize + i] = padding ? 0.0 : (clipped ? 0.0 : phi.derivativeFromOutput(out)) * dLdh;
                }
            }
            // db += dz_t
            if (db != null) {
                for (int n = 0; n < batch; n++) {
                    for (int i = 0; i < hiddenSize; i++) {
                        db[i] += dz[n * hiddenSize + i];
                    }
                }
            }
            // dWx += dz_t x_tᵀ
            for (int n = 0; n < batch; n++) {
                for (int i = 0; i < hiddenSize; i++) {
                    for (int j = 0; j < inputSize; j++) {
                        dWx[i * inputSize + j] += dz[n * hiddenSize + i] * x[index(t, n, j, batch, inputSize)];
                    }
                }
            }
            // dWh += dz_t h_{t−1}ᵀ
            for (int n = 0; n < batch; n++) {
                for (int i = 0; i < hiddenSize; i++) {
                    for (int k = 0; k < hiddenSize; k++) {
                        dWh[i * hiddenSize + k] += dz[n * hiddenSize + i]
                                * state(h, h0, previous, steps, batch, hiddenSize, n, k);
                    }
                }
            }
            // dx_t = Wxᵀ dz_t
            if (dx != null) {
                for (int n = 0; n < batch; n++) {
                    for (int j = 0; j < inputSize; j++) {
                        double sum = 0.0;
                        for (int i = 0; i < hiddenSize; i++) {
                            sum += wx[i * inputSize + j] * dz[n * hiddenSize + i];
                        }
                        dx[index(t, n, j, batch, inputSize)] = sum;
                    }
                }
            }
            // carry = dL/dh_{t−1} = Whᵀ dz_t  (a padding step keeps dL/dh_t, set above)
            for (int n = 0; n < batch; n++) {
                if (lengths != null && t >= lengths[n]) {
                    continue;
                }
                for (int k = 0; k < hiddenSize; k++) {
                    double sum = 0.0;
                    for (int i = 0; i < hiddenSize; i++) {
                        sum += wh[i * hiddenSize + k] * dz[n * hiddenSize + i];
                    }
                    carry[n * hiddenSize + k] = sum;
                }
            }
        }
    }

    /** {@code y_r = Wy·h_r + by} for every row. */
    static void headForward(int inputSize, int outputSize, double[] w, double[] b, int rows,
                            float[] h, int hOffset, float[] y, int yOffset) {
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < outputSize; o++) {
                double sum = b == null ? 0.0 : b[o];
                for (int f = 0; f < inputSize; f++) {
                    sum += w[o * inputSize + f] * h[hOffset + r * inputSize + f];
                }
                y[yOffset + r * outputSize + o] = (float) sum;
            }
        }
    }

    /** {@code dWy += Σ_r dy_r h_rᵀ}, {@code dby += Σ_r dy_r}, {@code dh_r = Wyᵀ dy_r}. */
    static void headBackward(int inputSize, int outputSize, double[] w, int rows,
                             float[] h, int hOffset, float[] dy, int dyOffset,
                             float[] dW, float[] db, float[] dh, int dhOffset) {
        for (int o = 0; o < outputSize; o++) {
            for (int f = 0; f < inputSize; f++) {
                double sum = 0.0;
                for (int r = 0; r < rows; r++) {
                    sum += (double) dy[dyOffset + r * outputSize + o] * h[hOffset + r * inputSize + f];
                }
                dW[o * inputSize + f] = (float) (dW[o * inputSize + f] + sum);
            }
        }
        if (db != null) {
            for (int o = 0; o < outputSize; o++) {
                double sum = 0.0;
                for (int r = 0; r < rows; r++) {
                    sum += dy[dyOffset + r * outputSize + o];
                }
                db[o] = (float) (db[o] + sum);
            }
        }
        if (dh != null) {
            for (int r = 0; r < rows; r++) {
                for (int f = 0; f < inputSize; f++) {
                    double sum = 0.0;
                    for (int o = 0; o < outputSize; o++) {
                        sum += w[o * inputSize + f] * dy[dyOffset + r * outputSize + o];
                    }
                    dh[dhOffset + r * inputSize + f] = (float) sum;
                }
            }
        }
    }

    /** Element {@code (t, n, i)} of a time-major {@code [T][B][width]} array. */
    static int index(int t, int n, int i, int batch, int width) {
        return (t * batch + n) * width + i;
    }

    /** {@code h_{previous}[n][k]}, where a step outside {@code 0 … T−1} stands for {@code h0}. */
    private static double state(double[] h, double[] h0, int previous, int steps, int batch, int hiddenSize,
                                int n, int k) {
        if (previous < 0 || previous >= steps) {
            return h0 == null ? 0.0 : h0[n * hiddenSize + k];
        }
        return h[index(previous, n, k, batch, hiddenSize)];
    }
}
