package dev.elman.engine.training;

/** Range checks of optimizer and clipping settings, with messages naming the setting. */
final class Hyperparameters {
    private Hyperparameters() {
    }

    static void learningRate(double value) {
        positive("learningRate", value);
    }

    static void positive(String name, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be positive and finite, got " + value);
        }
    }

    static void fraction(String name, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1), got " + value);
        }
    }
}
