package dev.elman.simd;

import dev.elman.kernels.RecurrentKernels;

import java.lang.reflect.InvocationTargetException;

/**
 * Whether the SIMD kernels can run in this JVM, and the way to make them.
 *
 * <p>This class never mentions a {@code jdk.incubator.vector} type, so loading, verifying and
 * calling it is safe in a JVM started without {@code --add-modules jdk.incubator.vector}. It
 * touches the classes that do mention them ({@code VectorKernels}, {@code SpeciesProbe}) only by
 * name, through reflection, and only after it has seen the module in the boot layer.
 */
public final class SimdSupport {
    /** The narrowest preferred vector the kernels are written for (AVX2 and wider). */
    public static final int MINIMUM_VECTOR_BITS = 256;

    private static final String VECTOR_MODULE = "jdk.incubator.vector";

    private SimdSupport() {
    }

    /**
     * Why the SIMD kernels cannot run here, or null when they can.
     *
     * @return a sentence naming the reason and, where there is one, the remedy; or null
     */
    public static String unavailableReason() {
        if (ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty()) {
            return VECTOR_MODULE + " is not in this JVM (start it with --add-modules " + VECTOR_MODULE + ")";
        }
        if (SimdSupport.class.getModule().isNamed() && !SimdSupport.class.getModule().canRead(
                ModuleLayer.boot().findModule(VECTOR_MODULE).get())) {
            return "module " + SimdSupport.class.getModule().getName() + " cannot read " + VECTOR_MODULE;
        }
        int bits;
        try {
            bits = (Integer) Class.forName("dev.elman.simd.SpeciesProbe").getMethod("preferredBits").invoke(null);
        } catch (ReflectiveOperationException | LinkageError e) {
            return "the Vector API could not be used: " + rootMessage(e);
        }
        if (bits < MINIMUM_VECTOR_BITS) {
            return "the preferred float vector here is " + bits + " bits, below the " + MINIMUM_VECTOR_BITS
                    + " the SIMD kernels are written for";
        }
        try {
            Class.forName("dev.elman.simd.VectorKernels");
        } catch (ClassNotFoundException | LinkageError e) {
            return "VectorKernels could not be loaded: " + rootMessage(e);
        }
        return null;
    }

    /**
     * The preferred float vector width in bits, or 0 when the Vector API is not available.
     *
     * @return bits per preferred {@code FloatVector}, or 0
     */
    public static int preferredVectorBits() {
        if (ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty()) {
            return 0;
        }
        try {
            return (Integer) Class.forName("dev.elman.simd.SpeciesProbe").getMethod("preferredBits").invoke(null);
        } catch (ReflectiveOperationException | LinkageError e) {
            return 0;
        }
    }

    /**
     * Creates the SIMD kernels.
     *
     * @return a new {@code VectorKernels}
     * @throws UnsupportedOperationException with {@link #unavailableReason()} when they cannot run here
     */
    public static RecurrentKernels create() {
        String reason = unavailableReason();
        if (reason != null) {
            throw new UnsupportedOperationException("SIMD kernels unavailable: " + reason);
        }
        try {
            // Declared, not public: VectorKernels and its constructor are package-private, made only here.
            return (RecurrentKernels) Class.forName("dev.elman.simd.VectorKernels").getDeclaredConstructor()
                    .newInstance();
        } catch (InvocationTargetException e) {
            throw new UnsupportedOperationException("SIMD kernels failed to start: " + rootMessage(e), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new UnsupportedOperationException("SIMD kernels failed to start: " + rootMessage(e), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
