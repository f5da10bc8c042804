package dev.elman.flink;

import dev.elman.engine.model.Model;
import dev.elman.engine.testing.KernelsUnderTest;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * (c), and (d) for it: a job at parallelism 2 stopped with a savepoint part-way, then resumed from
 * that savepoint at parallelism 1 and at 3 (Flink redistributes the keyed states by key group):
 * each resumed run's outputs, together with those delivered before the stop, equal a session per
 * key on all the readings, bit for bit on the reference kernels, with the heap and the RocksDB
 * state backends. The same savepoint under a model of another shape fails the job with a message
 * naming the key's state and the model, and delivers nothing.
 */
class RescaleFromSavepointTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(3)
            .build());

    @TempDir
    static Path directory;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void resumesAtOtherParallelisms(String backend) throws Exception {
        long sensors = 17;
        long readings = 800;
        Path file = TestModels.write(directory, 47);
        ModelSource model = TestModels.source(file, TestModels.Kernels.REFERENCE);
        String first = "rescale-" + backend + "-p2";

        StreamExecutionEnvironment env = Pipeline.environment(
                Pipeline.configuration(backend, directory.resolve(first)), 2);
        Pipeline.build(env, model, sensors, readings, 40, null, CommittedOutputs.fresh(first));
        JobClient job = env.executeAsync(first);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (CommittedOutputs.count(first) < 150) {
            if (System.nanoTime() > deadline) {
                fail(first + ": fewer than 150 outputs committed after 60 s");
            }
            Thread.sleep(20);
        }
        String savepoint = job.stopWithSavepoint(false, directory.resolve(first + "-savepoints").toUri().toString(),
                SavepointFormatType.CANONICAL).get(60, TimeUnit.SECONDS);
        job.getJobExecutionResult().get(60, TimeUnit.SECONDS);
        int before = CommittedOutputs.count(first);
        assertTrue(before < readings - sensors, first + ": stopped part-way (" + before + " outputs before the savepoint)");

        try (Model oracleModel = TestModels.load(file, TestModels.Kernels.REFERENCE)) {
            Oracle oracle = new Oracle(oracleModel, sensors, readings);
            for (int parallelism : new int[] {1, 3}) {
                String resumed = "rescale-" + backend + "-p" + parallelism;
                StreamExecutionEnvironment again = Pipeline.environment(
                        Pipeline.configuration(backend, directory.resolve(resumed)), parallelism);
                Pipeline.build(again, model, sensors, readings, 0, null, CommittedOutputs.continuing(resumed, first));
                StreamGraph graph = again.getStreamGraph();
                graph.setJobName(resumed);
                graph.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(savepoint, false));
                again.executeAsync(graph).getJobExecutionResult().get(60, TimeUnit.SECONDS);
                Expectations.assertEqualsOracle(oracle, CommittedOutputs.committed(resumed),
                        KernelsUnderTest.tolerance(oracleModel.kernels()),
                        resumed + " (from a savepoint at parallelism 2 after " + before + " outputs)");
            }
        }

        // The same savepoint under a model of another hidden size: refused by name, not misread.
        Path other = TestModels.write(directory, 47, TestModels.HIDDEN_SIZE + 1);
        String wrong = "rescale-" + backend + "-other-model";
        Configuration noRestart = Pipeline.configuration(backend, directory.resolve(wrong));
        noRestart.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment again = Pipeline.environment(noRestart, 2);
        Pipeline.build(again, TestModels.source(other, TestModels.Kernels.REFERENCE), sensors, readings, 0, null,
                CommittedOutputs.continuing(wrong, first));
        StreamGraph graph = again.getStreamGraph();
        graph.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(savepoint, false));
        ExecutionException failure = assertThrows(ExecutionException.class,
                () -> again.executeAsync(graph).getJobExecutionResult().get(60, TimeUnit.SECONDS));
        assertTrue(causes(failure).contains("does not fit"), wrong + ": " + causes(failure));
        // The sink commits what the savepoint itself held pending (outputs of the first run); the
        // refused model delivers nothing beyond that.
        assertEquals(before, CommittedOutputs.count(wrong), wrong + ": nothing delivered after the savepoint");
    }

    private static String causes(Throwable failure) {
        StringBuilder messages = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append(" <- ");
        }
        return messages.toString();
    }
}
