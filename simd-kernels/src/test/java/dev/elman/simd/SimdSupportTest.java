package dev.elman.simd;

import dev.elman.kernels.RecurrentKernels;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

/** In a JVM with the Vector API (this test JVM has the flag), the factory makes VectorKernels. */
class SimdSupportTest {

    @Test
    void createsVectorKernelsWhenTheVectorApiIsPresent() {
        assertNull(SimdSupport.unavailableReason());
        RecurrentKernels kernels = SimdSupport.create();
        assertInstanceOf(VectorKernels.class, kernels);
        assertEquals("simd", kernels.name());
        assertEquals(Gemm.LANES * 32, SimdSupport.preferredVectorBits());
    }
}
