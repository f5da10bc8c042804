package dev.elman.simd;

/**
 * The main class of the JVMs {@link WithoutVectorModuleTest} starts: asks {@link SimdSupport}
 * what kernel selection asks, and prints the answer on one line.
 */
public final class SelectionProbe {
    private SelectionProbe() {
    }

    /**
     * Prints {@code unavailable: <reason>} or {@code available}.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        String reason = SimdSupport.unavailableReason();
        System.out.println(reason == null ? "available" : "unavailable: " + reason);
    }
}
