package dev.elman.engine.model;

/**
 * The recurrent state of a {@link StreamingSession} at one moment: every layer's {@code h}, copied.
 * Immutable; restore it into any session of a model with the same layers and hidden size.
 */
public final class StateSnapshot {
    private final int layers;
    private final int hiddenSize;
    private final long steps;
    private final float[] values;

    StateSnapshot(int layers, int hiddenSize, long steps, float[] values) {
        this.layers = layers;
        this.hiddenSize = hiddenSize;
        this.steps = steps;
        this.values = values;
    }

    /**
     * A snapshot of given values, e.g. read back from storage.
     *
     * @param layers L
     * @param hiddenSize H
     * @param steps the step count the session reports after a restore
     * @param values {@code [L][H]}, copied
     * @return the snapshot
     * @throws IllegalArgumentException when the values do not have L·H elements or are not finite
     */
    public static StateSnapshot of(int layers, int hiddenSize, long steps, float[] values) {
        if (layers < 1 || hiddenSize < 1) {
            throw new IllegalArgumentException("layers and hiddenSize must be at least 1, got " + layers + " and "
                    + hiddenSize);
        }
        if (steps < 0) {
            throw new IllegalArgumentException("steps must not be negative, got " + steps);
        }
        long expected = (long) layers * hiddenSize;
        if (values == null || values.length != expected) {
            throw new IllegalArgumentException("values: expected length " + expected + " (layers × hiddenSize = " + layers
                    + " × " + hiddenSize + "), got " + (values == null ? "null" : String.valueOf(values.length)));
        }
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new IllegalArgumentException("values[" + i + "] is " + values[i] + ": a state must be finite");
            }
        }
        return new StateSnapshot(layers, hiddenSize, steps, values.clone());
    }

    /** @return L */
    public int layers() {
        return layers;
    }

    /** @return H */
    public int hiddenSize() {
        return hiddenSize;
    }

    /** @return how many steps the session had taken since its last reset */
    public long steps() {
        return steps;
    }

    /** @return a copy of the states, {@code [L][H]} */
    public float[] values() {
        return values.clone();
    }

    float[] valuesView() {
        return values;
    }

    @Override
    public String toString() {
        return "StateSnapshot[layers=" + layers + ", hiddenSize=" + hiddenSize + ", steps=" + steps + "]";
    }
}
