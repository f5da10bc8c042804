package dev.elman.testing;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Uniform arrays: one draw per element in both precisions, inside the interval, bad sizes refused. */
class UniformTest {

    @Test
    void floatsAreTheDoublesOfTheSameDrawRounded() {
        double[] wide = Uniform.doubles(new Random(3), 1000, 0.7);
        float[] narrow = Uniform.floats(new Random(3), 1000, 0.7);
        for (int i = 0; i < wide.length; i++) {
            double value = wide[i];
            assertEquals((float) value, narrow[i]);
            assertTrue(Math.abs(value) < 0.7, () -> "outside (−0.7, 0.7): " + value);
        }
    }

    @Test
    void aDrawAdvancesTheSourceByOneDoublePerElement() {
        Random drawn = new Random(5);
        Uniform.floats(drawn, 17, 1.0);
        Random skipped = new Random(5);
        for (int i = 0; i < 17; i++) {
            skipped.nextDouble();
        }
        assertEquals(skipped.nextLong(), drawn.nextLong());
    }

    @Test
    void badSizesAndScalesAreRefused() {
        Random random = new Random(1);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Uniform.floats(random, -1, 1.0))
                .getMessage().contains("count"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Uniform.doubles(random, 3, Double.NaN))
                .getMessage().contains("scale"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Uniform.doubles(random, 3, -1.0))
                .getMessage().contains("scale"));
    }
}
