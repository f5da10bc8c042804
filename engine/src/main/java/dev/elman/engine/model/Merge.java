package dev.elman.engine.model;

import java.util.Locale;

/** How a bidirectional layer combines its two directions into the features it hands on. */
public enum Merge {
    /** {@code [h_forward, h_reverse]}, 2H features per step (PyTorch's only mode). */
    CONCAT,
    /** {@code h_forward + h_reverse}, H features per step. */
    SUM;

    /**
     * The lower-case name used on command lines and in files ({@code concat}, {@code sum}).
     *
     * @return the name
     */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a name as written by {@link #label()}, ignoring case.
     *
     * @param name {@code concat} or {@code sum}
     * @return the merge
     * @throws IllegalArgumentException naming the accepted values when {@code name} is neither
     */
    public static Merge parse(String name) {
        if (name != null) {
            for (Merge m : values()) {
                if (m.label().equals(name.trim().toLowerCase(Locale.ROOT))) {
                    return m;
                }
            }
        }
        throw new IllegalArgumentException("unknown merge '" + name + "': expected one of concat, sum");
    }
}
