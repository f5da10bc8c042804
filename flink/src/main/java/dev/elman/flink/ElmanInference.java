package dev.elman.flink;

import dev.elman.kernels.WeightPrecision;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.OutputTag;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Elman's streaming inference as a Flink operator on a keyed stream: every key is one stream of
 * the model, its hidden state kept in Flink's keyed state (heap or RocksDB, checkpointed and
 * redistributed on rescaling like any keyed state), and every accepted event yields the key's
 * {@code y_t} as a {@link Prediction}, in event order per key.
 *
 * <pre>{@code
 * KeyedStream<Reading, String> readings = ...keyBy(Reading::sensor);
 * InferenceStreams<String, Reading> out = ElmanInference
 *         .of(ModelSource.file("s3://models/sensor.elman"), Reading::features)
 *         .maxBatch(64)
 *         .maxDelay(Duration.ofMillis(1))
 *         .apply(readings);
 * out.predictions().uid("elman").sinkTo(...);
 * out.rejections().sinkTo(...);   // the dead letters, with their reasons
 * }</pre>
 *
 * <h2>The model</h2>
 * Loaded once per parallel task when it opens, from the {@link ModelSource}; all the keys of a task
 * share it. The model must be unidirectional. Its kernels are the task manager JVM's choice
 * ({@link dev.elman.engine.KernelSelection}): start the task managers with
 * {@code --add-modules jdk.incubator.vector} for the SIMD kernels.
 *
 * <h2>Batching and the latency it adds</h2>
 * A task holds up to {@link #maxBatch(int) maxBatch} events (default {@value #DEFAULT_MAX_BATCH})
 * and steps them when that many are pending, when the oldest has waited
 * {@link #maxDelay(Duration) maxDelay} of processing time (default 1 ms), before a checkpoint
 * barrier, before a watermark and at the end of input, whichever comes first. The keys with input
 * are then stepped together as a stream group, one batched step per round (round {@code r} takes
 * the {@code r}-th pending event of each key), which reads the weights once for all of them. So an
 * event waits at most {@code maxDelay} plus one flush's compute before its output leaves; under a
 * load that fills a batch sooner, less. {@code maxDelay(Duration.ZERO)} or {@code maxBatch(1)}
 * steps every event as it arrives (lowest latency, no batching).
 *
 * <h2>Bad events</h2>
 * An event whose features cannot be read, have the wrong length or hold a non-finite value, or
 * whose step would make the key's state non-finite, goes to {@link InferenceStreams#rejections()}
 * with the reason, and its key's state stays exactly as it was.
 *
 * <h2>Metrics</h2>
 * Each task counts {@code elmanEventsStepped}, {@code elmanEventsRejected}, {@code elmanFlushes}
 * and {@code elmanStepRounds} (batched steps); stepped ÷ rounds is the mean number of keys per
 * batched step.
 *
 * <h2>Guarantees</h2>
 * With checkpointing, every event is reflected in its key's state exactly once (the buffer is
 * flushed before each barrier, so it never needs to be in the checkpoint); outputs are exactly
 * once when the sink is (e.g. a transactional sink), at least once otherwise, as for any Flink
 * operator.
 *
 * @param <IN> the event type
 */
public final class ElmanInference<IN> {
    /** The default largest number of events stepped in one flush. */
    public static final int DEFAULT_MAX_BATCH = 64;
    /** The largest batch accepted: a flush holds its events and their inputs in memory. */
    public static final int MAX_BATCH_LIMIT = 1 << 16;
    /** The default longest time an event waits for others before it is stepped. */
    public static final Duration DEFAULT_MAX_DELAY = Duration.ofMillis(1);

    private final ModelSource model;
    private final FeatureExtractor<IN> features;
    private int maxBatch = DEFAULT_MAX_BATCH;
    private long maxDelayMillis = DEFAULT_MAX_DELAY.toMillis();
    private boolean withState;
    private WeightPrecision precision = WeightPrecision.F32;
    private String name = "Elman inference";

    private ElmanInference(ModelSource model, FeatureExtractor<IN> features) {
        this.model = Objects.requireNonNull(model, "model source");
        this.features = Objects.requireNonNull(features, "feature extractor");
    }

    /**
     * Starts an inference with the default batching and without states in the predictions.
     *
     * @param model where each task loads the model from
     * @param features reads {@code x_t} from an event
     * @param <IN> the event type
     * @return the inference, with the default batching
     */
    public static <IN> ElmanInference<IN> of(ModelSource model, FeatureExtractor<IN> features) {
        return new ElmanInference<>(model, features);
    }

    /**
     * Sets how many events a task holds before it steps them.
     *
     * @param events the most events one flush steps, 1 … {@value #MAX_BATCH_LIMIT}; also the stream
     *     group's capacity
     * @return this
     * @throws IllegalArgumentException when out of range
     */
    public ElmanInference<IN> maxBatch(int events) {
        if (events < 1 || events > MAX_BATCH_LIMIT) {
            throw new IllegalArgumentException("maxBatch must be from 1 to " + MAX_BATCH_LIMIT + ", got " + events);
        }
        this.maxBatch = events;
        return this;
    }

    /**
     * Sets how long an event may wait for others: the latency batching adds, at most.
     *
     * @param delay the longest an event waits for others before it is stepped, in whole
     *     milliseconds (Flink's processing-time timers are millisecond-grained); zero steps every
     *     event at once
     * @return this
     * @throws IllegalArgumentException when negative or not whole milliseconds
     */
    public ElmanInference<IN> maxDelay(Duration delay) {
        Objects.requireNonNull(delay, "maxDelay");
        if (delay.isNegative() || delay.toNanos() % 1_000_000 != 0) {
            throw new IllegalArgumentException("maxDelay must be zero or a positive whole number of milliseconds, got "
                    + delay);
        }
        this.maxDelayMillis = delay.toMillis();
        return this;
    }

    /**
     * Also emits every key's hidden states after each event ({@link Prediction#state}), e.g. as
     * embeddings for a downstream consumer; they cost {@code 4·L·H} bytes per output.
     *
     * @return this
     */
    public ElmanInference<IN> withState() {
        this.withState = true;
        return this;
    }

    /**
     * Stores the model's recurrent weights in a reduced precision in every task, for a faster step
     * at the cost of the rounding's error (see {@link WeightPrecision} and
     * {@link dev.elman.engine.model.Model#withInferencePrecision}); the states kept per key stay
     * float32.
     *
     * @param weights {@link WeightPrecision#F32} (the default), {@code BF16} or {@code INT8}
     * @return this
     */
    public ElmanInference<IN> precision(WeightPrecision weights) {
        this.precision = Objects.requireNonNull(weights, "precision");
        return this;
    }

    /**
     * Names the operator (its rejections' side output is named after it too).
     *
     * @param operatorName the operator's name in the job graph and the web UI
     * @return this
     */
    public ElmanInference<IN> name(String operatorName) {
        if (operatorName == null || operatorName.isBlank()) {
            throw new IllegalArgumentException("operator name must not be null or blank");
        }
        this.name = operatorName;
        return this;
    }

    /**
     * Adds the operator to the keyed stream's job.
     *
     * @param events the events, keyed by the stream they belong to
     * @param <K> the key type
     * @return the predictions and the rejected events
     */
    public <K> InferenceStreams<K, IN> apply(KeyedStream<IN, K> events) {
        Objects.requireNonNull(events, "events");
        TypeInformation<K> keyType = events.getKeyType();
        TypeInformation<IN> eventType = events.getType();
        OutputTag<Rejection<K, IN>> rejectedTag = new OutputTag<>(name + " rejections", rejectionType(keyType, eventType));
        ElmanOperator<K, IN> operator = new ElmanOperator<>(model, features, maxBatch, maxDelayMillis, withState,
                rejectedTag, precision);
        SingleOutputStreamOperator<Prediction<K, IN>> predictions = events.transform(name,
                predictionType(keyType, eventType), operator);
        return new InferenceStreams<>(predictions, predictions.getSideOutput(rejectedTag), rejectedTag);
    }

    /**
     * The type information of the predictions of a keyed stream with these key and event types.
     *
     * @param keyType the key type
     * @param eventType the event type
     * @param <K> the key type
     * @param <IN> the event type
     * @return a POJO type of {@link Prediction}
     */
    @SuppressWarnings("unchecked")
    public static <K, IN> TypeInformation<Prediction<K, IN>> predictionType(TypeInformation<K> keyType,
            TypeInformation<IN> eventType) {
        return (TypeInformation<Prediction<K, IN>>) (TypeInformation<?>) Types.POJO(Prediction.class, Map.of(
                "key", keyType, "event", eventType, "step", Types.LONG,
                "output", Types.PRIMITIVE_ARRAY(Types.FLOAT), "state", Types.PRIMITIVE_ARRAY(Types.FLOAT)));
    }

    /**
     * The type information of the rejections of a keyed stream with these key and event types.
     *
     * @param keyType the key type
     * @param eventType the event type
     * @param <K> the key type
     * @param <IN> the event type
     * @return a POJO type of {@link Rejection}
     */
    @SuppressWarnings("unchecked")
    public static <K, IN> TypeInformation<Rejection<K, IN>> rejectionType(TypeInformation<K> keyType,
            TypeInformation<IN> eventType) {
        return (TypeInformation<Rejection<K, IN>>) (TypeInformation<?>) Types.POJO(Rejection.class, Map.of(
                "key", keyType, "event", eventType, "reason", Types.STRING));
    }
}
