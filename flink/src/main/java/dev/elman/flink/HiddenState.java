package dev.elman.flink;

import java.util.Arrays;

/**
 * What Flink keeps for one key: every layer's hidden state {@code h} ({@code [L][H]} floats,
 * layer-major) and the number of events the key has been stepped through. A Flink POJO, so both the
 * heap and the RocksDB backends serialise it with Flink's own POJO serializer (and its schema
 * evolution); about {@code 4·L·H + 8} bytes per key plus the serializer's few bytes of framing.
 *
 * <p>Instances put into state are never modified afterwards (the heap backend keeps the object
 * itself).
 */
public final class HiddenState {
    /** Events stepped since the key's first event. */
    public long steps;
    /** The hidden states, {@code [L][H]}. */
    public float[] values;

    /** For Flink's POJO serializer. */
    public HiddenState() {
    }

    /**
     * @param steps events stepped so far
     * @param values the hidden states, {@code [L][H]}, not copied
     */
    public HiddenState(long steps, float[] values) {
        this.steps = steps;
        this.values = values;
    }

    @Override
    public String toString() {
        return "HiddenState[steps=" + steps + ", values=" + (values == null ? "null" : values.length + " floats") + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HiddenState other && steps == other.steps && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(steps) * 31 + Arrays.hashCode(values);
    }
}
