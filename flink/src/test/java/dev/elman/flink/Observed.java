package dev.elman.flink;

import dev.elman.flink.example.SensorReading;

import java.io.Serial;
import java.io.Serializable;

/**
 * What the tests keep of a prediction: its key, the event's per-key sequence number, the key's step
 * count, {@code y_t} and the key's states after the step. Serializable, so a committable can carry
 * it.
 */
record Observed(long key, long sequence, long step, float[] output, float[] state) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    static Observed of(Prediction<Long, SensorReading> prediction) {
        return new Observed(prediction.key, prediction.event.sequence, prediction.step, prediction.output,
                prediction.state);
    }
}
