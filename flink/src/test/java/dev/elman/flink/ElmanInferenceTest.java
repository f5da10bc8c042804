package dev.elman.flink;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The builder refuses settings it cannot honour, naming them. */
class ElmanInferenceTest {
    private final ElmanInference<float[]> inference = ElmanInference.of(ModelSource.file("/models/m.elman"), x -> x);

    @Test
    void refusesBatchesOutOfRange() {
        assertEquals("maxBatch must be from 1 to 65536, got 0",
                assertThrows(IllegalArgumentException.class, () -> inference.maxBatch(0)).getMessage());
        assertEquals("maxBatch must be from 1 to 65536, got 65537",
                assertThrows(IllegalArgumentException.class, () -> inference.maxBatch(65537)).getMessage());
    }

    @Test
    void refusesDelaysFlinkTimersCannotKeep() {
        assertEquals("maxDelay must be zero or a positive whole number of milliseconds, got PT-0.001S",
                assertThrows(IllegalArgumentException.class, () -> inference.maxDelay(Duration.ofMillis(-1)))
                        .getMessage());
        assertEquals("maxDelay must be zero or a positive whole number of milliseconds, got PT0.0005S",
                assertThrows(IllegalArgumentException.class, () -> inference.maxDelay(Duration.ofNanos(500_000)))
                        .getMessage());
    }

    @Test
    void refusesMissingParts() {
        assertThrows(NullPointerException.class, () -> ElmanInference.of(null, x -> new float[0]));
        assertThrows(NullPointerException.class, () -> ElmanInference.of(ModelSource.file("m"), null));
        assertThrows(IllegalArgumentException.class, () -> inference.name(" "));
    }
}
