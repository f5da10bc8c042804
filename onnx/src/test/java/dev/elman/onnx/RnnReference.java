package dev.elman.onnx;

/**
 * ONNX's RNN equation {@code H_t = f(X_t·Wᵀ + H_{t−1}·Rᵀ + Wb + Rb)} as plain loops in double, for
 * time-major cases with Tanh or Relu (ONNX's node tests state the operator with these): an oracle
 * independent of both Elman's kernels and ONNX Runtime. Sequence lengths as the issue states them
 * (zero past the length; a reverse direction starts at the sequence's own last step; length 0 keeps
 * the initial state).
 */
final class RnnReference {
    private RnnReference() {
    }

    /** @return {Y [T, D, B, H], Y_h [D, B, H]} of a layout-0 case */
    static float[][] run(RnnNodeCase c) {
        int d = c.directions();
        int steps = c.steps;
        int batch = c.batch;
        int hidden = c.hidden;
        int input = c.input;
        float[] y = new float[steps * d * batch * hidden];
        float[] yH = new float[d * batch * hidden];
        for (int dir = 0; dir < d; dir++) {
            boolean reverse = c.direction.equals("reverse") || dir == 1;
            String f = c.activations == null ? "Tanh" : c.activations.get(c.activations.size() == 1 ? 0 : dir);
            for (int s = 0; s < batch; s++) {
                int len = c.lengths == null ? steps : c.lengths[s];
                double[] h = new double[hidden];
                if (c.initialH != null) {
                    for (int i = 0; i < hidden; i++) {
                        h[i] = c.initialH[(dir * batch + s) * hidden + i];
                    }
                }
                for (int k = 0; k < len; k++) {
                    int t = reverse ? len - 1 - k : k;
                    double[] next = new double[hidden];
                    for (int i = 0; i < hidden; i++) {
                        double z = 0;
                        if (c.b != null) {
                            z += (double) c.b[dir * 2 * hidden + i] + c.b[dir * 2 * hidden + hidden + i];
                        }
                        for (int j = 0; j < input; j++) {
                            z += (double) c.w[(dir * hidden + i) * input + j] * c.x[(t * batch + s) * input + j];
                        }
                        for (int j = 0; j < hidden; j++) {
                            z += c.r[(dir * hidden + i) * hidden + j] * h[j];
                        }
                        next[i] = f.equals("Relu") ? Math.max(0, z) : Math.tanh(z);
                    }
                    h = next;
                    for (int i = 0; i < hidden; i++) {
                        y[((t * d + dir) * batch + s) * hidden + i] = (float) h[i];
                    }
                }
                for (int i = 0; i < hidden; i++) {
                    yH[(dir * batch + s) * hidden + i] = (float) h[i];
                }
            }
        }
        return new float[][] {y, yH};
    }
}
