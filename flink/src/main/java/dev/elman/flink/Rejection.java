package dev.elman.flink;

/**
 * An event the model did not step, and why: its features could not be read, had the wrong length
 * or a non-finite value, or stepping it would have made the key's state non-finite. The key's state
 * is exactly what it was before the event. Emitted to {@link InferenceStreams#rejections()} with the
 * event's timestamp.
 *
 * @param <K> the key type
 * @param <IN> the event type
 */
public final class Rejection<K, IN> {
    /** The event's key. */
    public K key;
    /** The event, as it arrived. */
    public IN event;
    /** One sentence naming the problem, e.g. {@code features: expected 8 floats (the model's inputSize), got 5}. */
    public String reason;

    /** For Flink's POJO serializer. */
    public Rejection() {
    }

    /**
     * @param key the key
     * @param event the event
     * @param reason why it was not stepped
     */
    public Rejection(K key, IN event, String reason) {
        this.key = key;
        this.event = event;
        this.reason = reason;
    }

    @Override
    public String toString() {
        return "Rejection[key=" + key + ", reason=" + reason + "]";
    }
}
