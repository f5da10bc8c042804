package dev.elman.flink;

import java.io.Serializable;

/**
 * Reads the model's input vector {@code x_t} from one event.
 *
 * <p>Called once per event, on the task thread, as the event arrives. The returned array is copied
 * at once, so it may be a field of the event or a reused buffer. An extractor that throws, or
 * returns null, sends the event to the rejection side output with the exception's message as the
 * reason: one malformed event never fails (and so never restart-loops) the job.
 *
 * @param <IN> the event type
 */
@FunctionalInterface
public interface FeatureExtractor<IN> extends Serializable {
    /**
     * The input vector of an event.
     *
     * @param event the event
     * @return its {@code inputSize} features
     * @throws Exception when the event has none (the event is then rejected)
     */
    float[] features(IN event) throws Exception;
}
