package dev.elman.flink;

import dev.elman.flink.example.SensorReading;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The tests' job: the test readings from one source task (so each key's readings keep their
 * order), keyed by sensor, through {@link ElmanInference} with states, into an exactly-once sink.
 */
final class Pipeline {
    static final int MAX_PARALLELISM = 128;

    private Pipeline() {
    }

    /** Checkpoints every 50 ms to files, a state backend by name, up to three restarts. */
    static Configuration configuration(String backend, Path checkpoints) {
        Configuration configuration = new Configuration();
        configuration.set(StateBackendOptions.STATE_BACKEND, backend);
        configuration.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        configuration.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
        configuration.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(50));
        configuration.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        configuration.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        configuration.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(20));
        return configuration;
    }

    static StreamExecutionEnvironment environment(Configuration configuration, int parallelism) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(configuration);
        env.setParallelism(parallelism);
        env.setMaxParallelism(MAX_PARALLELISM);
        return env;
    }

    /** The readings, {@code perCheckpoint} of them between two checkpoints (0: as fast as they go). */
    static DataStream<SensorReading> readings(StreamExecutionEnvironment env, long sensors, long readings,
            int perCheckpoint) {
        DataGeneratorSource<SensorReading> source = new DataGeneratorSource<>(
                new TestReadings(sensors, TestModels.INPUT_SIZE), readings,
                perCheckpoint > 0 ? RateLimiterStrategy.perCheckpoint(perCheckpoint) : RateLimiterStrategy.noOp(),
                TypeInformation.of(SensorReading.class));
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), "test readings")
                .setParallelism(1)
                .uid("readings");
    }

    /**
     * The whole exactly-once job: readings → Elman → (an injected failure, or none) → committed sink.
     *
     * @param failure the failing map, or null for a plain conversion
     */
    static void build(StreamExecutionEnvironment env, ModelSource model, long sensors, long readings,
            int perCheckpoint, FailOnce failure, CommittedOutputs sink) {
        InferenceStreams<Long, SensorReading> out = ElmanInference.of(model, SensorReading::features)
                .maxBatch(16)
                // Long enough that only full batches and checkpoint barriers flush: events are
                // pending at every barrier, which is what exactly-once has to get right.
                .maxDelay(Duration.ofSeconds(10))
                .withState()
                .apply(readings(env, sensors, readings, perCheckpoint).keyBy(reading -> reading.sensor));
        out.predictions().uid("elman");
        DataStream<Observed> observed = failure == null
                ? out.predictions().map(Observed::of).returns(Observed.class).uid("observe")
                : out.predictions().map(failure).returns(Observed.class).uid("observe");
        observed.sinkTo(sink).uid("committed");
    }
}
