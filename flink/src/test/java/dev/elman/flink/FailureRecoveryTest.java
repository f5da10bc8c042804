package dev.elman.flink;

import dev.elman.engine.model.Model;
import dev.elman.engine.testing.KernelsUnderTest;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * (b), and (d) for it: a task that throws once after a completed checkpoint makes the job restart
 * from that checkpoint; every key's outputs and final state, delivered through an exactly-once
 * sink, equal the uninterrupted run (a session per key) — bit for bit on the reference kernels,
 * within the engine's tolerance rule on the SIMD kernels (whose batched steps round differently
 * from a lone one) — every reading stepped once, nothing lost, nothing doubled; with the heap and
 * the RocksDB state backends.
 */
class FailureRecoveryTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    @TempDir
    static Path directory;

    static Stream<Arguments> cases() {
        return Stream.of(Arguments.of("hashmap", TestModels.Kernels.REFERENCE),
                Arguments.of("rocksdb", TestModels.Kernels.REFERENCE),
                Arguments.of("hashmap", TestModels.Kernels.SELECTED));
    }

    @ParameterizedTest(name = "{0}, {1} kernels")
    @MethodSource("cases")
    void recoversFromAFailureAfterACheckpoint(String backend, TestModels.Kernels kernels) throws Exception {
        long sensors = 13;
        long readings = 600;
        Path file = TestModels.write(directory, 31);
        String name = "failure-" + backend + "-" + kernels;
        ModelSource model = TestModels.source(file, kernels);

        StreamExecutionEnvironment env = Pipeline.environment(
                Pipeline.configuration(backend, directory.resolve(name)), 2);
        FailOnce failure = new FailOnce(name, 25);
        Pipeline.build(env, model, sensors, readings, 60, failure, CommittedOutputs.fresh(name));
        env.execute(name);

        assertTrue(FailOnce.failed(name), name + ": the failure was injected");
        assertTrue(FailOnce.checkpointAtFailure(name) >= 1, name + ": a checkpoint completed before the failure");
        try (Model oracleModel = TestModels.load(file, kernels)) {
            Oracle oracle = new Oracle(oracleModel, sensors, readings);
            Expectations.assertEqualsOracle(oracle, CommittedOutputs.committed(name),
                    KernelsUnderTest.tolerance(oracleModel.kernels()), name);
        }
    }
}
