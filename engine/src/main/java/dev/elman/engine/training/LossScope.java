package dev.elman.engine.training;

import java.util.Locale;

/** Which steps of a sequence carry a target. */
public enum LossScope {
    /**
     * Every real (non-padding) step: targets are {@code [T][B][W]} floats (MSE) or {@code [T][B]}
     * labels (cross-entropy).
     */
    EVERY_STEP,
    /**
     * Only the last real step of each sequence in a batch ({@code t = lengths[b] − 1}): targets are
     * {@code [B][W]} floats (MSE) or {@code [B]} labels (cross-entropy). Sequence classification and
     * the adding problem are trained this way.
     */
    LAST_STEP;

    /** @return the lower-case name used on command lines ({@code every-step}, {@code last-step}) */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * @param name {@code every-step} or {@code last-step}, ignoring case
     * @return the scope
     * @throws IllegalArgumentException naming the accepted values when {@code name} is neither
     */
    public static LossScope parse(String name) {
        if (name != null) {
            String n = name.trim().toLowerCase(Locale.ROOT);
            for (LossScope scope : values()) {
                if (scope.label().equals(n)) {
                    return scope;
                }
            }
        }
        throw new IllegalArgumentException("unknown loss scope '" + name + "': expected one of every-step, last-step");
    }
}
