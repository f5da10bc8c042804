package dev.elman.flink;

import dev.elman.flink.example.SensorReading;

import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;

import java.io.Serial;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Passes predictions on as {@link Observed}, and throws once per name: in the first subtask that
 * sees {@code after} more records once a checkpoint of its own attempt has completed. The flag is
 * JVM-wide, so the restarted job runs through.
 */
final class FailOnce extends RichMapFunction<Prediction<Long, SensorReading>, Observed> implements CheckpointListener {
    @Serial
    private static final long serialVersionUID = 1L;

    private static final Map<String, AtomicBoolean> FAILED = new ConcurrentHashMap<>();
    private static final Map<String, AtomicLong> CHECKPOINT_AT_FAILURE = new ConcurrentHashMap<>();

    private final String name;
    private final int after;
    private transient boolean checkpointed;
    private transient int seen;

    FailOnce(String name, int after) {
        this.name = name;
        this.after = after;
        FAILED.put(name, new AtomicBoolean());
        CHECKPOINT_AT_FAILURE.put(name, new AtomicLong(-1));
    }

    static boolean failed(String name) {
        return FAILED.get(name).get();
    }

    /** @return the last checkpoint the failing subtask had seen complete */
    static long checkpointAtFailure(String name) {
        return CHECKPOINT_AT_FAILURE.get(name).get();
    }

    @Override
    public Observed map(Prediction<Long, SensorReading> prediction) {
        if (checkpointed && ++seen >= after && FAILED.get(name).compareAndSet(false, true)) {
            throw new IllegalStateException("failure injected by the test after a completed checkpoint");
        }
        return Observed.of(prediction);
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        if (!FAILED.get(name).get()) {
            CHECKPOINT_AT_FAILURE.get(name).set(checkpointId);
        }
        checkpointed = true;
    }
}
