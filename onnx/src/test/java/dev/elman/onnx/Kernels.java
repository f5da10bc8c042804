package dev.elman.onnx;

import dev.elman.engine.KernelSelection;
import dev.elman.kernels.RecurrentKernels;
import dev.elman.reference.ReferenceKernels;

import java.util.List;

/** The kernels the module's tests run Elman on: the reference and the JVM's selected ones (SIMD where it runs). */
final class Kernels {
    private Kernels() {
    }

    static List<RecurrentKernels> all() {
        RecurrentKernels selected = KernelSelection.kernels();
        return selected instanceof ReferenceKernels ? List.of(selected) : List.of(new ReferenceKernels(), selected);
    }
}
