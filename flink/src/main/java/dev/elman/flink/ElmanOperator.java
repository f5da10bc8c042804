package dev.elman.flink;

import dev.elman.engine.model.Model;
import dev.elman.engine.model.ModelConfig;
import dev.elman.engine.model.NonFiniteException;
import dev.elman.engine.model.StateSnapshot;
import dev.elman.engine.model.StreamGroup;
import dev.elman.kernels.WeightPrecision;

import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

import java.io.Serial;
import java.util.Arrays;

/**
 * The keyed operator behind {@link ElmanInference}: steps each key's hidden state through its
 * events and emits {@code y_t} per event, the states living in Flink's keyed state.
 *
 * <h2>Batching</h2>
 * Arriving events are checked (rejected ones go to the side output at once, before any state is
 * touched) and held in memory, in arrival order, until {@code maxBatch} are pending or the oldest
 * has waited {@code maxDelay} of processing time; then the operator flushes: it reads the state of
 * every pending key, joins each to the model's stream group, and steps the group in rounds, round
 * {@code r} holding the {@code r}-th pending event of every key that has one. One batched step per
 * round reads the weights once for all of those keys, and each key's events stay in their order.
 * The new states are written back, and the outputs emitted in arrival order with their events'
 * timestamps.
 *
 * <h2>Exactly once without buffered state</h2>
 * The buffer is never part of a checkpoint: the operator flushes in
 * {@link #prepareSnapshotPreBarrier}, before the barrier leaves it, so every event before a
 * barrier has updated its key's state and emitted its output ahead of the barrier, and none after
 * it has. It also flushes before forwarding a watermark (so outputs are never late behind it) and
 * at the end of input.
 *
 * <p>A round whose batched step would make some state non-finite is stepped again key by key (the
 * group leaves every state as it was when a step fails), so only the offending events are rejected.
 */
final class ElmanOperator<K, IN> extends AbstractStreamOperator<Prediction<K, IN>>
        implements OneInputStreamOperator<IN, Prediction<K, IN>>, BoundedOneInput {
    @Serial
    private static final long serialVersionUID = 1L;

    static final String STATE_NAME = "elman-hidden-state";

    private final ModelSource modelSource;
    private final FeatureExtractor<IN> features;
    private final int maxBatch;
    private final long maxDelayMillis;
    private final boolean emitState;
    private final OutputTag<Rejection<K, IN>> rejections;
    private final WeightPrecision precision;

    private transient Model model;
    private transient int layers;
    private transient int hiddenSize;
    private transient int inputSize;
    private transient int outputWidth;
    private transient StreamGroup group;
    private transient ValueState<HiddenState> state;
    private transient TypeSerializer<IN> eventSerializer;
    private transient boolean copyEvents;
    private transient PendingEvents<K, IN> pending;
    /** Per pending key: its stream in the group, its step count, and whether its state changed. */
    private transient int[] streamOfKey;
    private transient long[] stepsOfKey;
    private transient boolean[] keyChanged;
    /** Per pending event: its output, its state after the step (with states), or why it failed. */
    private transient float[] outputs;
    private transient float[][] statesAfter;
    private transient long[] stepOfEvent;
    private transient String[] failure;
    /** One round's streams, inputs and outputs, as the group takes them. */
    private transient int[] roundStreams;
    private transient int[] roundEvents;
    private transient int[] roundCursor;
    private transient float[] roundInputs;
    private transient float[] roundOutputs;
    /** When the oldest pending event must be flushed, and whether a timer for it is registered. */
    private transient long flushDeadline;
    private transient boolean timerRegistered;
    private transient Counter stepped;
    private transient Counter rejected;
    private transient Counter flushes;
    private transient Counter rounds;

    ElmanOperator(ModelSource modelSource, FeatureExtractor<IN> features, int maxBatch, long maxDelayMillis,
            boolean emitState, OutputTag<Rejection<K, IN>> rejections) {
        this(modelSource, features, maxBatch, maxDelayMillis, emitState, rejections, WeightPrecision.F32);
    }

    ElmanOperator(ModelSource modelSource, FeatureExtractor<IN> features, int maxBatch, long maxDelayMillis,
            boolean emitState, OutputTag<Rejection<K, IN>> rejections, WeightPrecision precision) {
        this.precision = precision;
        this.modelSource = modelSource;
        this.features = features;
        this.maxBatch = maxBatch;
        this.maxDelayMillis = maxDelayMillis;
        this.emitState = emitState;
        this.rejections = rejections;
    }

    @Override
    public void open() throws Exception {
        super.open();
        Model loaded = modelSource.load();
        if (precision == WeightPrecision.F32) {
            model = loaded;
        } else {
            try {
                model = loaded.withInferencePrecision(precision);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(modelSource + ": precision " + precision.label() + ": "
                        + e.getMessage(), e);
            } finally {
                loaded.close();
            }
        }
        ModelConfig config = model.config();
        if (config.bidirectional()) {
            throw new IllegalArgumentException(modelSource + ": a bidirectional model cannot stream (its reverse"
                    + " direction reads a sequence from its end)");
        }
        layers = config.layers();
        hiddenSize = config.hiddenSize();
        inputSize = config.inputSize();
        outputWidth = config.outputWidth();
        group = model.newStreamGroup(maxBatch);
        state = getPartitionedState(new ValueStateDescriptor<>(STATE_NAME, TypeInformation.of(HiddenState.class)));
        // Without object reuse Flink hands every call a fresh event; with it, the object may be
        // refilled after processElement returns, and a pending event must be a copy.
        copyEvents = getExecutionConfig().isObjectReuseEnabled();
        if (copyEvents) {
            eventSerializer = getOperatorConfig().getTypeSerializerIn(0, getUserCodeClassloader());
        }
        pending = new PendingEvents<>(maxBatch, inputSize);
        streamOfKey = new int[maxBatch];
        stepsOfKey = new long[maxBatch];
        keyChanged = new boolean[maxBatch];
        outputs = new float[maxBatch * outputWidth];
        statesAfter = new float[maxBatch][];
        stepOfEvent = new long[maxBatch];
        failure = new String[maxBatch];
        roundStreams = new int[maxBatch];
        roundEvents = new int[maxBatch];
        roundCursor = new int[maxBatch];
        roundInputs = new float[maxBatch * inputSize];
        roundOutputs = new float[maxBatch * outputWidth];
        stepped = getMetricGroup().counter("elmanEventsStepped");
        rejected = getMetricGroup().counter("elmanEventsRejected");
        flushes = getMetricGroup().counter("elmanFlushes");
        rounds = getMetricGroup().counter("elmanStepRounds");
    }

    @Override
    public void processElement(StreamRecord<IN> record) throws Exception {
        IN event = record.getValue();
        @SuppressWarnings("unchecked")
        K key = (K) getCurrentKey();
        float[] x;
        String problem;
        try {
            x = features.features(event);
            problem = EventCheck.problem(x, inputSize);
        } catch (Exception e) {
            x = null;
            problem = EventCheck.extractorFailed(e);
        }
        if (problem != null) {
            rejected.inc();
            output.collect(rejections, withTimeOf(record, new Rejection<>(key, event, problem)));
            return;
        }
        pending.add(key, copyEvents ? eventSerializer.copy(event) : event, x, record.hasTimestamp(),
                record.getTimestamp());
        if (pending.isFull() || maxDelayMillis == 0) {
            flush();
        } else if (pending.size() == 1) {
            flushDeadline = getProcessingTimeService().getCurrentProcessingTime() + maxDelayMillis;
            if (!timerRegistered) {
                timerRegistered = true;
                getProcessingTimeService().registerTimer(flushDeadline, this::onFlushTimer);
            }
        }
    }

    /** Runs on the task thread (Flink hands processing-time callbacks to the task's mailbox). */
    private void onFlushTimer(long time) throws Exception {
        timerRegistered = false;
        if (pending.isEmpty()) {
            return;
        }
        if (time >= flushDeadline) {
            flush();
        } else {
            // The events this timer was set for were flushed by size; newer ones wait for theirs.
            timerRegistered = true;
            getProcessingTimeService().registerTimer(flushDeadline, this::onFlushTimer);
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        flush();
        super.processWatermark(mark);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        flush();
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void endInput() throws Exception {
        flush();
    }

    @Override
    public void finish() throws Exception {
        flush();
        super.finish();
    }

    @Override
    public void close() throws Exception {
        try {
            super.close();
        } finally {
            if (model != null) {
                model.close();
            }
        }
    }

    /** Steps every pending event, writes the states back, emits in arrival order. */
    private void flush() throws Exception {
        if (pending == null || pending.isEmpty()) {
            return;
        }
        int keys = pending.keyCount();
        int events = pending.size();
        try {
            stepAndStore(keys);
        } catch (Exception | Error e) {
            // The task fails with this; keep the group empty for whoever calls again (e.g. close).
            for (int k = 0; k < keys; k++) {
                if (streamOfKey[k] >= 0 && group.isMember(streamOfKey[k])) {
                    group.leave(streamOfKey[k]);
                }
            }
            throw e;
        }
        for (int e = 0; e < events; e++) {
            K key = pending.key(pending.keyOf(e));
            IN event = pending.event(e);
            if (failure[e] != null) {
                rejected.inc();
                output.collect(rejections, record(e, new Rejection<>(key, event, failure[e])));
            } else {
                float[] y = new float[outputWidth];
                System.arraycopy(outputs, e * outputWidth, y, 0, outputWidth);
                stepped.inc();
                output.collect(record(e, new Prediction<>(key, event, stepOfEvent[e], y, statesAfter[e])));
            }
            statesAfter[e] = null;
        }
        flushes.inc();
        pending.clear();
    }

    /** Joins the pending keys at their states, steps them in rounds, writes the states back and leaves. */
    private void stepAndStore(int keys) throws Exception {
        Arrays.fill(streamOfKey, 0, keys, -1);
        for (int k = 0; k < keys; k++) {
            streamOfKey[k] = joinWithState(k);
            keyChanged[k] = false;
            roundCursor[k] = pending.firstEventOf(k);
        }
        int events = pending.size();
        for (int e = 0; e < events; e++) {
            failure[e] = null;
        }
        int roundCount = pending.rounds();
        for (int r = 0; r < roundCount; r++) {
            int count = 0;
            for (int k = 0; k < keys; k++) {
                int e = roundCursor[k];
                if (e < 0) {
                    continue;
                }
                roundCursor[k] = pending.nextEventOfKey(e);
                roundStreams[count] = streamOfKey[k];
                roundEvents[count] = e;
                System.arraycopy(pending.inputs(), e * inputSize, roundInputs, count * inputSize, inputSize);
                count++;
            }
            stepRound(count);
        }
        rounds.inc(roundCount);
        for (int k = 0; k < keys; k++) {
            if (keyChanged[k]) {
                setCurrentKey(pending.key(k));
                state.update(new HiddenState(stepsOfKey[k], group.snapshot(streamOfKey[k]).values()));
            }
            group.leave(streamOfKey[k]);
        }
    }

    /** Joins pending key {@code k} to the group, at the state Flink holds for it (zeros for a new key). */
    private int joinWithState(int k) throws Exception {
        K key = pending.key(k);
        setCurrentKey(key);
        HiddenState saved = state.value();
        if (saved == null) {
            stepsOfKey[k] = 0;
            return group.join();
        }
        StateSnapshot snapshot;
        try {
            snapshot = StateSnapshot.of(layers, hiddenSize, saved.steps, saved.values);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the keyed state '" + STATE_NAME + "' of key " + key + " does not fit "
                    + modelSource + " (" + layers + " layers of " + hiddenSize + " units): " + e.getMessage()
                    + "; was the state restored from a job with another model?", e);
        }
        int stream = group.join();
        group.restore(stream, snapshot);
        stepsOfKey[k] = saved.steps;
        return stream;
    }

    /** Steps one round of {@code count} keys at once; when that fails, each key alone. */
    private void stepRound(int count) {
        try {
            group.step(roundStreams, count, roundInputs, roundOutputs);
            for (int i = 0; i < count; i++) {
                accept(i, i);
            }
        } catch (NonFiniteException batchFailure) {
            if (count == 1) {
                failure[roundEvents[0]] = nonFiniteReason(batchFailure);
                return;
            }
            // The failed step left every state as it was: find the culprits one key at a time.
            int[] one = new int[1];
            float[] in = new float[inputSize];
            for (int i = 0; i < count; i++) {
                one[0] = roundStreams[i];
                System.arraycopy(roundInputs, i * inputSize, in, 0, inputSize);
                try {
                    group.step(one, 1, in, roundOutputs);
                    accept(i, 0);
                } catch (NonFiniteException e) {
                    failure[roundEvents[i]] = nonFiniteReason(e);
                }
            }
        }
    }

    /**
     * Records the output of the round's {@code i}-th event, found in row {@code row} of the round's
     * outputs, and advances its key.
     */
    private void accept(int i, int row) {
        int e = roundEvents[i];
        System.arraycopy(roundOutputs, row * outputWidth, outputs, e * outputWidth, outputWidth);
        int k = pending.keyOf(e);
        stepsOfKey[k]++;
        keyChanged[k] = true;
        stepOfEvent[e] = stepsOfKey[k];
        if (emitState) {
            statesAfter[e] = group.snapshot(roundStreams[i]).values();
        }
    }

    /** @return the batched steps taken so far (the {@code elmanStepRounds} metric), for tests */
    long stepRounds() {
        return rounds.getCount();
    }

    /** @return the flushes so far (the {@code elmanFlushes} metric), for tests */
    long flushCount() {
        return flushes.getCount();
    }

    private static String nonFiniteReason(NonFiniteException e) {
        return "the step would make the key's state or output non-finite; the key keeps its state (" + e.getMessage()
                + ")";
    }

    private <T> StreamRecord<T> record(int e, T value) {
        return pending.hasTimestamp(e) ? new StreamRecord<>(value, pending.timestamp(e)) : new StreamRecord<>(value);
    }

    private static <T> StreamRecord<T> withTimeOf(StreamRecord<?> original, T value) {
        return original.hasTimestamp() ? new StreamRecord<>(value, original.getTimestamp()) : new StreamRecord<>(value);
    }
}
