package dev.elman.onnx;

import dev.elman.kernels.Activation;
import dev.elman.testing.Activations;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** The Elman activations the export tests draw among: one of every kind, with parameters from the shared ranges. */
final class ExportActivations {
    private ExportActivations() {
    }

    static List<Activation> all() {
        return Arrays.stream(Activation.Kind.values()).map(k -> Activations.of(k, new Random(k.ordinal()))).toList();
    }
}
