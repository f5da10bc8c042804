package dev.elman.flink;

import java.util.Arrays;

/**
 * The model's output for one event: {@code y_t} of the event's key after stepping it.
 *
 * <p>A Flink POJO (public fields, no-argument constructor); its type information is built by
 * {@link ElmanInference} from the stream's key and event types. Emitted with the event's timestamp.
 *
 * @param <K> the key type
 * @param <IN> the event type
 */
public final class Prediction<K, IN> {
    /** The key whose state was stepped. */
    public K key;
    /** The event, as it arrived. */
    public IN event;
    /** Which step of the key this was: 1 for its first accepted event, then 2, 3, … (rejected events do not count). */
    public long step;
    /** {@code y_t}, the model's output width (the head's outputs, or the last layer's {@code h_t} without a head). */
    public float[] output;
    /**
     * The key's hidden states after the step, {@code [L][H]}, when the inference was built
     * {@linkplain ElmanInference#withState() with states}; null otherwise.
     */
    public float[] state;

    /** For Flink's POJO serializer. */
    public Prediction() {
    }

    /**
     * @param key the key
     * @param event the event
     * @param step the key's step count after this event
     * @param output {@code y_t}, not copied
     * @param state the states after the step, or null; not copied
     */
    public Prediction(K key, IN event, long step, float[] output, float[] state) {
        this.key = key;
        this.event = event;
        this.step = step;
        this.output = output;
        this.state = state;
    }

    @Override
    public String toString() {
        return "Prediction[key=" + key + ", step=" + step + ", output=" + Arrays.toString(output) + "]";
    }
}
