package dev.elman.onnx;

import dev.elman.testing.Activations;

import java.util.Random;

/**
 * The activations the oracle cases draw: every kind equally often, with parameters from the
 * project's shared ranges ({@link Activations}), written as ONNX functions.
 */
final class ActivationChoices {
    /** Whether the cases draw a clip (the engine's pre-activation clip). */
    static final boolean CLIP = true;

    private ActivationChoices() {
    }

    static OnnxActivation draw(Random random) {
        return OnnxActivation.of(Activations.random(random));
    }
}
