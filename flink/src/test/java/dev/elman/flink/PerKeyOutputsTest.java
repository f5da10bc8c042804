package dev.elman.flink;

import dev.elman.engine.model.Model;
import dev.elman.engine.testing.KernelsUnderTest;
import dev.elman.flink.example.SensorReading;
import dev.elman.testing.Trials;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * (a) On a MiniCluster at parallelism 2, every key's outputs and states equal a
 * {@link dev.elman.engine.model.StreamingSession} per key run on the same readings, in the key's
 * order; bad readings go to the side output with their reason and leave the key's state alone.
 * Random batching (from one event per step to many keys per round), key counts and models per
 * seed, on both kernels: the reference, where a batched step equals a lone one bit for bit, and
 * the JVM's choice, within the engine's tolerance rule.
 */
class PerKeyOutputsTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    @TempDir
    static Path directory;

    static Stream<Arguments> cases() {
        return Trials.seeds("flink outputs per key equal a session per key", Trials.tries(2)).boxed()
                .flatMap(seed -> Stream.of(TestModels.Kernels.values()).map(kernels -> Arguments.of(kernels, seed)));
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("cases")
    void outputsPerKeyEqualASessionPerKey(TestModels.Kernels kernels, long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        long sensors = 1 + random.nextInt(40);
        long readings = 300 + random.nextInt(300);
        int maxBatch = random.nextBoolean() ? 1 : 1 + random.nextInt(100);
        long maxDelay = random.nextInt(4);
        Path file = TestModels.write(directory, seed);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        InferenceStreams<Long, SensorReading> out = ElmanInference
                .of(TestModels.source(file, kernels), SensorReading::features)
                .maxBatch(maxBatch)
                .maxDelay(Duration.ofMillis(maxDelay))
                .withState()
                .apply(Pipeline.readings(env, sensors, readings, 0).keyBy(reading -> reading.sensor));
        List<Prediction<Long, SensorReading>> predictions = new ArrayList<>();
        List<Rejection<Long, SensorReading>> rejections = new ArrayList<>();
        CloseableIterator<Prediction<Long, SensorReading>> p = out.predictions().collectAsync();
        CloseableIterator<Rejection<Long, SensorReading>> r = out.rejections().collectAsync();
        try {
            env.execute("per-key outputs");
            p.forEachRemaining(predictions::add);
            r.forEachRemaining(rejections::add);
        } finally {
            p.close();
            r.close();
        }

        String what = kernels + " seed " + seed + " (" + sensors + " sensors, " + readings + " readings, maxBatch "
                + maxBatch + ", maxDelay " + maxDelay + " ms)";
        try (Model model = TestModels.load(file, kernels)) {
            Oracle oracle = new Oracle(model, sensors, readings);
            List<Observed> observed = predictions.stream().map(Observed::of).toList();
            Expectations.assertEqualsOracle(oracle, observed, KernelsUnderTest.tolerance(model.kernels()), what);
            assertEventOrderPerKey(observed, what);
            assertRejections(oracle, rejections, what);
            assertEquals(readings, predictions.size() + rejections.size(), what + ": one output or rejection per reading");
        }
    }

    /** Within each key, outputs leave in the key's order (the collected stream keeps each task's order). */
    private static void assertEventOrderPerKey(List<Observed> observed, String what) {
        Map<Long, Long> last = new HashMap<>();
        for (Observed o : observed) {
            long previous = last.getOrDefault(o.key(), 0L);
            assertEquals(previous + 1, o.step(), what + ": key " + o.key() + " out of order");
            last.put(o.key(), o.step());
        }
    }

    private static void assertRejections(Oracle oracle, List<Rejection<Long, SensorReading>> rejections, String what) {
        Map<Long, Map<Long, String>> actual = new HashMap<>();
        for (Rejection<Long, SensorReading> r : rejections) {
            actual.computeIfAbsent(r.key, k -> new HashMap<>()).put(r.event.sequence, r.reason);
        }
        assertEquals(oracle.rejections.keySet(), actual.keySet(), what + ": keys with rejections");
        for (Map.Entry<Long, Map<Long, String>> key : oracle.rejections.entrySet()) {
            Map<Long, String> reasons = actual.get(key.getKey());
            assertEquals(key.getValue().keySet(), reasons.keySet(), what + ": rejected readings of key " + key.getKey());
            for (Map.Entry<Long, String> expected : key.getValue().entrySet()) {
                String reason = reasons.get(expected.getKey());
                assertTrue(reason.contains(expected.getValue()), what + ": key " + key.getKey() + " reading "
                        + expected.getKey() + " rejected for '" + reason + "', expected it to say '"
                        + expected.getValue() + "'");
            }
        }
        assertTrue(oracle.nonFiniteSteps > 0, what + ": the readings should include a step that overflows");
    }
}
