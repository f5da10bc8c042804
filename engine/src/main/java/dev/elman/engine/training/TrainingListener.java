package dev.elman.engine.training;

/** Hears about every parameter update of a {@link Trainer}, e.g. to draw a progress bar or log a curve. */
@FunctionalInterface
public interface TrainingListener {
    /** A listener that ignores everything. */
    TrainingListener NONE = progress -> { };

    /**
     * Called after each update has been applied.
     *
     * @param progress the trainer's progress; a view reused for every call, valid only during it
     *     (copy what you keep)
     */
    void onUpdate(TrainingProgress progress);
}
