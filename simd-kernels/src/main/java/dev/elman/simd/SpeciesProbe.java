package dev.elman.simd;

import jdk.incubator.vector.FloatVector;

/**
 * Reads the preferred species; loaded by {@link SimdSupport} only once the Vector API module is
 * known to be present, because resolving this class needs it.
 */
final class SpeciesProbe {
    private SpeciesProbe() {
    }

    /** @return bits per preferred {@code FloatVector} on this CPU */
    public static int preferredBits() {
        return FloatVector.SPECIES_PREFERRED.vectorBitSize();
    }
}
