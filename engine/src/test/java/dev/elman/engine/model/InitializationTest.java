package dev.elman.engine.model;

import dev.elman.kernels.Activation;
import dev.elman.reference.ReferenceKernels;
import dev.elman.testing.Trials;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Random;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each initialiser draws what it promises, and the same seed draws the same values. */
class InitializationTest {
    private static final ModelConfig CONFIG = ModelConfig.builder().inputSize(5).hiddenSize(24).layers(2)
            .bidirectional(true).outputSize(3).build();

    @Test
    void theSameSeedGivesTheSameParametersAndAnotherSeedOthers() {
        for (Initialization.Scheme scheme : Initialization.Scheme.values()) {
            Parameters a = Parameters.zeros(CONFIG);
            Parameters b = Parameters.zeros(CONFIG);
            Parameters c = Parameters.zeros(CONFIG);
            Initialization init = Initialization.of(scheme).withSpectralRadius(0.9);
            init.apply(a, 42);
            init.apply(b, 42);
            init.apply(c, 43);
            for (int i = 0; i < a.count(); i++) {
                assertArrayEquals(a.get(i).data(), b.get(i).data(), scheme + " " + a.names().get(i));
            }
            assertFalse(java.util.Arrays.equals(a.get("wx_l1").data(), c.get("wx_l1").data()), scheme + ": seeds differ");
        }
    }

    @Test
    void uniformIsPytorchsDefault() {
        Parameters p = Parameters.zeros(CONFIG);
        Initialization.uniform().apply(p, 1);
        double bound = 1 / Math.sqrt(24);
        for (String name : new String[] {"wx_l0", "wh_l0", "b_l0", "wx_l1_reverse", "wh_l1_reverse", "b_l1_reverse"}) {
            assertWithin(p.get(name).data(), bound, name);
            assertSpread(p.get(name).data(), bound, name);
        }
        assertWithin(p.get("wy").data(), 1 / Math.sqrt(48), "wy");
        assertWithin(p.get("by").data(), 1 / Math.sqrt(48), "by");
    }

    @Test
    void xavierBoundsFollowTheFans() {
        Parameters p = Parameters.zeros(CONFIG);
        Initialization.xavier().apply(p, 2);
        assertWithin(p.get("wx_l0").data(), Math.sqrt(6.0 / (5 + 24)), "wx_l0");
        assertSpread(p.get("wx_l0").data(), Math.sqrt(6.0 / (5 + 24)), "wx_l0");
        assertWithin(p.get("wx_l1").data(), Math.sqrt(6.0 / (48 + 24)), "wx_l1");
        assertWithin(p.get("wh_l1").data(), Math.sqrt(6.0 / 48), "wh_l1");
        assertWithin(p.get("wy").data(), Math.sqrt(6.0 / (48 + 3)), "wy");
        assertWithin(p.get("b_l0").data(), 0, "b_l0");
    }

    static LongStream seeds() {
        return Trials.seeds("orthogonal", 10);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void orthogonalGivesWhTransposeWhEqualToTheIdentity(long seed) {
        int n = 1 + new Random(seed).nextInt(40);
        ModelConfig config = ModelConfig.builder().inputSize(2).hiddenSize(n).build();
        Parameters p = Parameters.zeros(config);
        Initialization.orthogonal().apply(p, seed);
        float[] q = p.get("wh_l0").data();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double dot = 0;
                for (int k = 0; k < n; k++) {
                    dot += (double) q[k * n + i] * q[k * n + j];
                }
                // float32 entries of a double-precision Q: each dot product is off by ≲ n·6e-8
                assertEquals(i == j ? 1 : 0, dot, 1e-5, "n = " + n + ", (QᵀQ)[" + i + "][" + j + "]");
            }
        }
    }

    @Test
    void identityIsTheIrnnAndRescalingHitsTheTargetRadius() {
        Parameters p = Parameters.zeros(CONFIG);
        Initialization.identity().apply(p, 3);
        float[] wh = p.get("wh_l1_reverse").data();
        for (int i = 0; i < 24; i++) {
            for (int j = 0; j < 24; j++) {
                assertEquals(i == j ? 1f : 0f, wh[i * 24 + j]);
            }
        }
        double sumSquares = 0;
        float[] wx = p.get("wx_l0").data();
        for (float v : wx) {
            sumSquares += v * v;
        }
        double std = Math.sqrt(sumSquares / wx.length);
        // 120 draws of N(0, 0.001²): the sample deviation is within ±20 % with overwhelming probability
        assertEquals(Initialization.IDENTITY_INPUT_STD, std, 2e-4);

        for (Initialization.Scheme scheme : Initialization.Scheme.values()) {
            Model model = Model.create(CONFIG.toBuilder().activation(Activation.RELU).build(),
                    Initialization.of(scheme).withSpectralRadius(1.3), 5, new ReferenceKernels());
            for (int l = 0; l < 2; l++) {
                for (boolean reverse : new boolean[] {false, true}) {
                    assertEquals(1.3, model.spectralRadius(l, reverse), 1e-5, scheme + " layer " + l + " " + reverse);
                }
            }
        }
    }

    private static void assertWithin(float[] values, double bound, String name) {
        for (float v : values) {
            assertTrue(Math.abs(v) <= bound, name + ": " + v + " outside ±" + bound);
        }
    }

    /** The draws use the range: some value beyond half the bound on each side. */
    private static void assertSpread(float[] values, double bound, String name) {
        boolean high = false;
        boolean low = false;
        for (float v : values) {
            high |= v > bound / 2;
            low |= v < -bound / 2;
        }
        assertTrue(high && low, name + " does not spread over ±" + bound);
    }
}
