package dev.elman.engine.testing;

import dev.elman.kernels.RecurrentKernels;
import dev.elman.reference.ReferenceKernels;
import dev.elman.simd.SimdSupport;

import java.util.ArrayList;
import java.util.List;

/**
 * The kernels the engine's equivalence properties run on: always the reference, and the SIMD
 * kernels too whenever they can run in this JVM (so the same tests cover both once they land).
 */
public final class KernelsUnderTest {
    private static final List<RecurrentKernels> ALL = discover();

    private KernelsUnderTest() {
    }

    public static List<RecurrentKernels> all() {
        return ALL;
    }

    public static RecurrentKernels reference() {
        return ALL.get(0);
    }

    /**
     * How far a model's result on these kernels may be from the same computation composed from
     * reference calls, relative to {@code 1 + |expected|}. The reference against itself is the same
     * sequence of calls on the same floats, so it must agree exactly. Other kernels round each step's
     * state to float32 (relative 6e-8) and may use a fast tanh (the SIMD module documents ≤ 1e-6
     * absolute); with the weights these tests draw (‖Wh‖ around 0.6–1, at most 12 steps, 3 layers)
     * each rounding is carried forward through at most a few dozen contractive steps, so the
     * accumulated difference stays below ~1e-5; 1e-4 leaves a margin of 10 and still catches any
     * wrong term, which moves results by 1e-2 or more.
     */
    public static double tolerance(RecurrentKernels kernels) {
        return kernels instanceof ReferenceKernels ? 0.0 : 1e-4;
    }

    private static List<RecurrentKernels> discover() {
        List<RecurrentKernels> list = new ArrayList<>();
        list.add(new ReferenceKernels());
        if (SimdSupport.unavailableReason() == null) {
            list.add(SimdSupport.create());
        }
        return List.copyOf(list);
    }
}
