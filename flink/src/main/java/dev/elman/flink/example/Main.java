package dev.elman.flink.example;

import dev.elman.engine.interop.ModelFile;
import dev.elman.engine.model.Initialization;
import dev.elman.engine.model.Model;
import dev.elman.engine.model.ModelConfig;
import dev.elman.flink.ElmanInference;
import dev.elman.flink.InferenceStreams;
import dev.elman.flink.ModelSource;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The example job: synthetic sensor readings, keyed by sensor, stepped through an Elman model in
 * Flink, the predictions discarded; prints the events per second the job sustained.
 *
 * <pre>
 * flink/run-example.sh --hidden 64 --readings 2000000 --parallelism 2       # a local cluster
 * flink run -c dev.elman.flink.example.Main elman-flink-job.jar --model s3://bucket/m.elman ...
 * </pre>
 *
 * <p>Options ({@code --name value}): {@code --model} an Elman model file URI (without it the job
 * writes a random tanh model of {@code --input} (8), {@code --hidden} (64), {@code --layers} (1)
 * and {@code --output} (1) to a temporary file, seed {@code --seed} (1), and reads that);
 * {@code --sensors} keys (1000); {@code --readings} events in total (2,000,000; 0: endless);
 * {@code --rate}
 * events per second (0: as fast as the job goes); {@code --parallelism} (the
 * environment's: {@code flink run -p}, or the cores of a local run; at most 128, the fixed maximum); {@code --max-batch}
 * (64); {@code --max-delay-ms} (1); {@code --state-backend} {@code hashmap} or {@code rocksdb}
 * (hashmap); {@code --checkpoint-interval-ms} (0: none).
 */
public final class Main {
    private static final Set<String> OPTIONS = Set.of("model", "input", "hidden", "layers", "output", "seed",
            "sensors", "readings", "rate", "parallelism", "max-batch", "max-delay-ms", "state-backend",
            "checkpoint-interval-ms");

    /** The key groups the keyed state is spread over: the most tasks a savepoint can resume on. */
    static final int MAX_PARALLELISM = 128;

    private Main() {
    }

    /**
     * Runs the job.
     *
     * @param args {@code --name value} pairs, see the class description
     * @throws Exception when the job fails
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> options = parse(args);
        String model = options.get("model");
        Path temporary = null;
        int inputSize;
        int hiddenSize;
        if (model == null) {
            ModelConfig config = ModelConfig.builder()
                    .inputSize(integer(options, "input", 8))
                    .hiddenSize(integer(options, "hidden", 64))
                    .layers(integer(options, "layers", 1))
                    .outputSize(integer(options, "output", 1))
                    .build();
            temporary = Files.createTempFile("elman-example-", ".elman");
            try (Model random = Model.create(config, Initialization.xavier(), integer(options, "seed", 1))) {
                ModelFile.save(temporary, random);
            }
            model = temporary.toUri().toString();
            inputSize = config.inputSize();
            hiddenSize = config.hiddenSize();
        } else {
            // The client reads the model too, to size the synthetic readings; tasks load their own.
            try (Model loaded = ModelSource.file(model).load()) {
                inputSize = loaded.config().inputSize();
                hiddenSize = loaded.config().hiddenSize();
            }
        }
        try {
            run(options, model, inputSize, hiddenSize);
        } finally {
            if (temporary != null) {
                Files.deleteIfExists(temporary);
            }
        }
    }

    private static void run(Map<String, String> options, String model, int inputSize, int hiddenSize)
            throws Exception {
        long sensors = whole(options, "sensors", 1000);
        long readings = whole(options, "readings", 2_000_000);
        long rate = whole(options, "rate", 0);
        if (sensors < 1 || readings < 0 || rate < 0) {
            throw new IllegalArgumentException("--sensors must be at least 1, --readings and --rate at least 0, got "
                    + sensors + ", " + readings + " and " + rate);
        }
        int maxBatch = integer(options, "max-batch", ElmanInference.DEFAULT_MAX_BATCH);
        long maxDelay = integer(options, "max-delay-ms", 1);
        String backend = options.getOrDefault("state-backend", "hashmap");
        if (!backend.equals("hashmap") && !backend.equals("rocksdb")) {
            throw new IllegalArgumentException("--state-backend must be hashmap or rocksdb, got " + backend);
        }
        long checkpointInterval = integer(options, "checkpoint-interval-ms", 0);

        Configuration configuration = new Configuration();
        configuration.set(StateBackendOptions.STATE_BACKEND, backend);
        if (checkpointInterval > 0) {
            configuration.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(checkpointInterval));
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(configuration);
        if (options.containsKey("parallelism")) {
            env.setParallelism(integer(options, "parallelism", 1));
        }
        // Fixed, so that a savepoint of this job resumes at any parallelism up to it.
        env.setMaxParallelism(MAX_PARALLELISM);
        int parallelism = env.getParallelism();

        DataGeneratorSource<SensorReading> source = new DataGeneratorSource<>(
                new SyntheticReadings(sensors, inputSize), readings == 0 ? Long.MAX_VALUE : readings,
                rate > 0 ? RateLimiterStrategy.perSecond(rate) : RateLimiterStrategy.noOp(),
                TypeInformation.of(SensorReading.class));
        DataStream<SensorReading> events = env.fromSource(source, WatermarkStrategy.noWatermarks(), "synthetic readings")
                .uid("synthetic-readings");
        InferenceStreams<Long, SensorReading> out = ElmanInference.of(ModelSource.file(model), SensorReading::features)
                .maxBatch(maxBatch)
                .maxDelay(Duration.ofMillis(maxDelay))
                .apply(events.keyBy(reading -> reading.sensor));
        out.predictions().uid("elman-inference").sinkTo(new DiscardingSink<>()).name("discard predictions");
        out.rejections().sinkTo(new DiscardingSink<>()).name("discard rejections");

        JobExecutionResult result = env.execute("Elman inference on synthetic readings (H = " + hiddenSize + ")");
        long millis = result.getNetRuntime(TimeUnit.MILLISECONDS);
        System.out.printf(Locale.ROOT, "%d readings of %d sensors, H = %d, parallelism %d, maxBatch %d, maxDelay %d ms,"
                        + " %s state: %.2f s, %.0f events/s%n", readings, sensors, hiddenSize, parallelism, maxBatch,
                maxDelay, backend, millis / 1000.0, readings * 1000.0 / Math.max(1, millis));
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            String name = args[i];
            if (!name.startsWith("--") || !OPTIONS.contains(name.substring(2))) {
                throw new IllegalArgumentException("unknown option '" + name + "'; options: --" + String.join(", --",
                        OPTIONS.stream().sorted().toList()));
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + name + " needs a value");
            }
            options.put(name.substring(2), args[i + 1]);
        }
        return options;
    }

    private static long whole(Map<String, String> options, String name, long unset) {
        String value = options.get(name);
        if (value == null) {
            return unset;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number, got '" + value + "'", e);
        }
    }

    private static int integer(Map<String, String> options, String name, int unset) {
        String value = options.get(name);
        if (value == null) {
            return unset;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number, got '" + value + "'", e);
        }
    }
}
