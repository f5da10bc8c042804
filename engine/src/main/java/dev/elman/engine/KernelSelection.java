package dev.elman.engine;

import dev.elman.kernels.RecurrentKernels;
import dev.elman.reference.ReferenceKernels;
import dev.elman.simd.SimdSupport;

import java.util.Locale;
import java.util.Objects;

/**
 * Chooses the {@link RecurrentKernels} implementation the engine computes with.
 *
 * <p>The system property {@value #PROPERTY} selects it: {@code auto} (the default) uses the SIMD
 * kernels when {@link SimdSupport#unavailableReason()} finds nothing against them
 * ({@code jdk.incubator.vector} resolvable, a preferred float vector of at least 256 bits, the
 * classes loadable) and the reference kernels otherwise; {@code simd} insists on the SIMD kernels
 * and fails when they cannot run; {@code reference} always uses the scalar reference.
 *
 * <p>The choice for the JVM ({@link #choice()}) is made once, on first use, and logged once through
 * {@link System.Logger} (logger {@code dev.elman.engine}) with the reason: at WARNING, naming the
 * flag to add, when {@code auto} falls back to the reference kernels because the JVM was started
 * without {@code --add-modules jdk.incubator.vector}; at INFO otherwise. The SIMD
 * classes are touched only through {@link SimdSupport}, which never links a Vector API type when
 * the incubator module is absent, so a JVM started without
 * {@code --add-modules jdk.incubator.vector} runs on the reference kernels without loading them.
 */
public final class KernelSelection {
    /** The system property that selects the kernels: {@code auto}, {@code simd} or {@code reference}. */
    public static final String PROPERTY = "elman.kernels";

    private static final System.Logger LOG = System.getLogger("dev.elman.engine");
    private static final String VECTOR_MODULE = "jdk.incubator.vector";
    private static final String VECTOR_FLAG = "--add-modules " + VECTOR_MODULE;

    private static volatile Choice jvmChoice;

    private KernelSelection() {
    }

    /**
     * A kernels implementation together with why it was chosen.
     *
     * @param kernels the implementation
     * @param reason one sentence saying why this one, e.g. the SIMD kernels' unavailability reason
     */
    public record Choice(RecurrentKernels kernels, String reason) {
        /**
         * Checks the components.
         *
         * @param kernels the implementation, not null
         * @param reason the reason, not null
         */
        public Choice {
            Objects.requireNonNull(kernels, "kernels");
            Objects.requireNonNull(reason, "reason");
        }

        /** @return the log line: which kernels and why */
        @Override
        public String toString() {
            return "Elman kernels: " + kernels.name() + " (" + reason + ")";
        }
    }

    /**
     * The kernels of this JVM, chosen by {@value #PROPERTY} on first use.
     *
     * @return the shared kernels instance (kernels hold no per-call state and are thread-safe)
     * @throws IllegalArgumentException when the property has a value other than auto, simd, reference
     * @throws UnsupportedOperationException when the property asks for simd and they cannot run here
     */
    public static RecurrentKernels kernels() {
        return choice().kernels();
    }

    /**
     * The choice of this JVM, made once from {@value #PROPERTY} and logged once.
     *
     * @return the kernels and why they were chosen
     * @throws IllegalArgumentException when the property has a value other than auto, simd, reference
     * @throws UnsupportedOperationException when the property asks for simd and they cannot run here
     */
    public static Choice choice() {
        Choice choice = jvmChoice;
        if (choice == null) {
            synchronized (KernelSelection.class) {
                choice = jvmChoice;
                if (choice == null) {
                    // A bad property value throws here and caches nothing: every later call says why again.
                    String mode = System.getProperty(PROPERTY, "auto");
                    choice = choose(mode);
                    if (lacksVectorModule(mode, choice)) {
                        // An embedder who never reads INFO would otherwise run on the scalar
                        // kernels without knowing it, and the fix is one flag.
                        LOG.log(System.Logger.Level.WARNING, choice + "; the scalar reference kernels are much"
                                + " slower: add " + VECTOR_FLAG + " to the java command to use the SIMD kernels");
                    } else {
                        LOG.log(System.Logger.Level.INFO, choice.toString());
                    }
                    jvmChoice = choice;
                }
            }
        }
        return choice;
    }

    /**
     * Whether {@code choice}, made for {@code mode}, fell back to the reference kernels only
     * because {@code jdk.incubator.vector} is not in the JVM (and not because it was asked for
     * or the hardware is too narrow).
     */
    private static boolean lacksVectorModule(String mode, Choice choice) {
        return "auto".equals(mode.trim().toLowerCase(Locale.ROOT)) && choice.kernels() instanceof ReferenceKernels
                && ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty();
    }

    /**
     * Makes a choice for an explicit mode, without caching or logging it (for tools and tests that
     * want a particular implementation).
     *
     * @param mode {@code auto}, {@code simd} or {@code reference}, case-insensitive
     * @return a new kernels instance and the reason
     * @throws IllegalArgumentException when {@code mode} is none of those
     * @throws UnsupportedOperationException when {@code mode} is {@code simd} and they cannot run here
     */
    public static Choice choose(String mode) {
        String normalized = mode == null ? "" : mode.trim().toLowerCase(Locale.ROOT);
        switch (normalized) {
            case "reference" -> {
                return new Choice(new ReferenceKernels(), "requested by " + PROPERTY + "=reference");
            }
            case "simd" -> {
                String reason = SimdSupport.unavailableReason();
                if (reason != null) {
                    throw new UnsupportedOperationException(PROPERTY + "=simd, but the SIMD kernels cannot run: " + reason);
                }
                return new Choice(SimdSupport.create(), "requested by " + PROPERTY + "=simd; "
                        + SimdSupport.preferredVectorBits() + "-bit float vectors");
            }
            case "auto" -> {
                String reason = SimdSupport.unavailableReason();
                if (reason != null) {
                    return new Choice(new ReferenceKernels(), "SIMD kernels unavailable: " + reason);
                }
                RecurrentKernels simd;
                try {
                    simd = SimdSupport.create();
                } catch (UnsupportedOperationException e) {
                    return new Choice(new ReferenceKernels(), e.getMessage());
                }
                return new Choice(simd, "jdk.incubator.vector present with "
                        + SimdSupport.preferredVectorBits() + "-bit float vectors (" + PROPERTY + "=auto)");
            }
            default -> throw new IllegalArgumentException(PROPERTY + ": expected auto, simd or reference, got '"
                    + mode + "'");
        }
    }
}
