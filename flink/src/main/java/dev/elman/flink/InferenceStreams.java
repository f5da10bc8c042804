package dev.elman.flink;

import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.OutputTag;

/**
 * What {@link ElmanInference#apply} adds to a job.
 *
 * @param predictions one {@link Prediction} per accepted event; the operator itself, so its
 *     {@code uid}, parallelism and slot sharing are set on it
 * @param rejections one {@link Rejection} per event that was not stepped
 * @param rejectionTag the side-output tag of the rejections
 * @param <K> the key type
 * @param <IN> the event type
 */
public record InferenceStreams<K, IN>(SingleOutputStreamOperator<Prediction<K, IN>> predictions,
        DataStream<Rejection<K, IN>> rejections, OutputTag<Rejection<K, IN>> rejectionTag) {
}
