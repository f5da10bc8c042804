package dev.elman.engine.parallel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The threads setting: one by default, {@code -Delman.threads=N} otherwise, bad values named. */
class ParallelismTest {
    @Test
    void theDefaultIsOneThreadAndThePropertyOverridesIt() {
        String saved = System.getProperty(Parallelism.PROPERTY);
        try {
            System.clearProperty(Parallelism.PROPERTY);
            assertEquals(1, Parallelism.defaultThreads());
            System.setProperty(Parallelism.PROPERTY, "3");
            assertEquals(3, Parallelism.defaultThreads());
            System.setProperty(Parallelism.PROPERTY, "many");
            IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, Parallelism::defaultThreads);
            assertTrue(thrown.getMessage().contains("-Delman.threads"), thrown.getMessage());
            assertTrue(thrown.getMessage().contains("'many'"), thrown.getMessage());
        } finally {
            if (saved == null) {
                System.clearProperty(Parallelism.PROPERTY);
            } else {
                System.setProperty(Parallelism.PROPERTY, saved);
            }
        }
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"1", "2", " 8 ", "256"})
    void aPositiveIntegerUpToTheLimitIsAccepted(String value) {
        assertEquals(Integer.parseInt(value.strip()), Parallelism.parseThreads(value, "--threads"));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"0", "-1", "257", "2147483648", "", "1.5", "four", "auto"})
    void anythingElseIsRefusedNamingTheSettingAndTheValue(String value) {
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> Parallelism.parseThreads(value, "--threads"));
        assertTrue(thrown.getMessage().startsWith("--threads: "), thrown.getMessage());
        assertTrue(thrown.getMessage().contains(value), thrown.getMessage());
        assertTrue(thrown.getMessage().contains("from 1 to " + Parallelism.MAX_THREADS), thrown.getMessage());
    }

    @Test
    void aMissingValueIsRefused() {
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> Parallelism.parseThreads(null, "--threads"));
        assertTrue(thrown.getMessage().startsWith("--threads: "), thrown.getMessage());
    }
}
