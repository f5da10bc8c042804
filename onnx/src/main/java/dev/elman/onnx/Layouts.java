package dev.elman.onnx;

/** The two rearrangements the RNN operator needs: swapping the two leading axes, and reversing each sequence in time. */
final class Layouts {
    private Layouts() {
    }

    /** {@code [A][B][C]} → {@code [B][A][C]}. */
    static float[] swap01(float[] data, int a, int b, int c) {
        float[] out = new float[data.length];
        for (int i = 0; i < a; i++) {
            for (int j = 0; j < b; j++) {
                System.arraycopy(data, (i * b + j) * c, out, (j * a + i) * c, c);
            }
        }
        return out;
    }

    /**
     * Reverses each sequence of a time-major {@code [T][B][F]} block within its own length (step
     * {@code t < len} goes to {@code len − 1 − t}); padding steps stay where they are.
     */
    static float[] reverseWithin(float[] data, int steps, int batch, int features, int[] lengths) {
        float[] out = data.clone();
        for (int s = 0; s < batch; s++) {
            int len = lengths == null ? steps : lengths[s];
            for (int t = 0; t < len; t++) {
                System.arraycopy(data, (t * batch + s) * features, out, ((len - 1 - t) * batch + s) * features, features);
            }
        }
        return out;
    }
}
