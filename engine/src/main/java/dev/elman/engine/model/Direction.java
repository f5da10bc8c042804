package dev.elman.engine.model;

import java.util.Locale;

/**
 * Which way the layers of a model read their sequence.
 *
 * <p>A {@link #REVERSE} model is a unidirectional model that reads each sequence from its end:
 * step {@code T − 1} starts from the initial state and step {@code t} reads the state of step
 * {@code t + 1}, so it equals the {@link #FORWARD} model run on the time-reversed sequence, its
 * outputs reversed back. Its one direction keeps the parameter names of a forward layer
 * ({@code weight_ih_l0}, …) and index {@code d = 0} in states and gradients; like a bidirectional
 * model it needs each whole sequence at once (no streaming, no truncated backpropagation).
 */
public enum Direction {
    /** Every layer reads {@code t = 0 … T−1}. */
    FORWARD,
    /** Every layer reads {@code t = T−1 … 0}. */
    REVERSE,
    /** Every layer runs both ways and merges the two. */
    BIDIRECTIONAL;

    /** @return the lower-case name used in files ({@code forward}, {@code reverse}, {@code bidirectional}) */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a {@link #label()}, ignoring case and surrounding white space.
     *
     * @param text the label
     * @return the direction
     * @throws IllegalArgumentException naming the text and the accepted values
     */
    public static Direction parse(String text) {
        if (text != null) {
            for (Direction d : values()) {
                if (d.label().equals(text.trim().toLowerCase(Locale.ROOT))) {
                    return d;
                }
            }
        }
        throw new IllegalArgumentException("unknown direction '" + text + "': expected forward, reverse or bidirectional");
    }

    /** @return D, the number of recurrences per layer: 2 when bidirectional, else 1 */
    public int count() {
        return this == BIDIRECTIONAL ? 2 : 1;
    }

    /**
     * Whether a layer's direction {@code d} walks its sequence from the end.
     *
     * @param d 0 … {@link #count()} − 1
     * @return true for a reverse model's one direction and a bidirectional layer's second
     */
    public boolean walksBackward(int d) {
        return this == REVERSE || d == 1;
    }
}
