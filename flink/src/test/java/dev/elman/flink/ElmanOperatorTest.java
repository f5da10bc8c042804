package dev.elman.flink;

import dev.elman.engine.model.Model;
import dev.elman.engine.model.StreamingSession;
import dev.elman.flink.example.SensorReading;
import dev.elman.flink.example.SyntheticReadings;
import dev.elman.kernels.WeightPrecision;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator alone, in Flink's keyed operator test harness (processing time under the test's
 * control): events wait until a batch is full, the oldest has waited maxDelay, a barrier, a
 * watermark or the end of input; a flush steps the pending keys together in rounds, emits in
 * arrival order with the events' timestamps, ahead of the watermark that caused it; state
 * snapshotted and restored into a new operator instance continues every key where it was.
 */
class ElmanOperatorTest {
    @TempDir
    Path directory;

    private final TypeInformation<SensorReading> readingType = TypeInformation.of(SensorReading.class);
    private final OutputTag<Rejection<Long, SensorReading>> rejections = new OutputTag<>("rejections",
            ElmanInference.rejectionType(Types.LONG, readingType));
    private final SyntheticReadings readings = new SyntheticReadings(3, TestModels.INPUT_SIZE);
    private final Map<Long, StreamingSession> sessions = new HashMap<>();
    private long next;

    private KeyedOneInputStreamOperatorTestHarness<Long, SensorReading, Prediction<Long, SensorReading>> harness(
            ElmanOperator<Long, SensorReading> operator) throws Exception {
        KeyedOneInputStreamOperatorTestHarness<Long, SensorReading, Prediction<Long, SensorReading>> harness =
                new KeyedOneInputStreamOperatorTestHarness<>(operator, reading -> reading.sensor, Types.LONG);
        harness.setup(ElmanInference.predictionType(Types.LONG, readingType)
                .createSerializer(harness.getExecutionConfig().getSerializerConfig()));
        return harness;
    }

    @Test
    void flushesOnBatchDelayWatermarkBarrierAndEndOfInput() throws Exception {
        Path file = TestModels.write(directory, 3);
        ElmanOperator<Long, SensorReading> operator = new ElmanOperator<>(
                TestModels.source(file, TestModels.Kernels.REFERENCE), SensorReading::features, 4, 5, false, rejections);
        var harness = harness(operator);
        try (Model model = TestModels.load(file, TestModels.Kernels.REFERENCE)) {
            harness.open();
            harness.setProcessingTime(0);

            // Three readings (sensors 0, 1, 2) and a fourth of sensor 0: the batch is full.
            feed(harness, 3);
            assertEquals(0, harness.getOutput().size(), "held until a flush");
            feed(harness, 1);
            assertPredictions(model, harness.getOutput(), 4);
            assertEquals(2, operator.stepRounds(), "sensors 0, 1, 2 in one round, sensor 0's second in another");

            // Two readings, then processing time passes maxDelay = 5 ms.
            feed(harness, 2);
            harness.setProcessingTime(4);
            assertEquals(0, harness.getOutput().size(), "held until maxDelay has passed");
            harness.setProcessingTime(5);
            assertPredictions(model, harness.getOutput(), 2);
            assertEquals(3, operator.stepRounds(), "sensors 1 and 2 together");

            // A watermark: the pending outputs leave ahead of it.
            feed(harness, 1);
            harness.processWatermark(new Watermark(1000));
            List<Object> output = new ArrayList<>(harness.getOutput());
            harness.getOutput().clear();
            assertEquals(2, output.size());
            assertInstanceOf(Watermark.class, output.get(1), "the output before the watermark");
            assertPredictions(model, new ArrayList<>(output.subList(0, 1)), 1);

            // A checkpoint barrier, then the end of input.
            feed(harness, 2);
            harness.prepareSnapshotPreBarrier(1);
            assertPredictions(model, harness.getOutput(), 2);
            feed(harness, 3);
            harness.endInput();
            assertPredictions(model, harness.getOutput(), 3);
            assertEquals(5, operator.flushCount());
            assertEquals(0, harness.getSideOutput(rejections) == null ? 0 : harness.getSideOutput(rejections).size());
        } finally {
            harness.close();
        }
    }

    @Test
    void aRestoredOperatorContinuesEveryKey() throws Exception {
        Path file = TestModels.write(directory, 4);
        OperatorSubtaskState snapshot;
        try (Model model = TestModels.load(file, TestModels.Kernels.REFERENCE)) {
            var before = harness(new ElmanOperator<>(TestModels.source(file, TestModels.Kernels.REFERENCE),
                    SensorReading::features, 8, 0, true, rejections));
            try {
                before.open();
                feed(before, 10);
                assertPredictions(model, before.getOutput(), 10);
                snapshot = before.snapshot(1, 1);
            } finally {
                before.close();
            }
            var after = harness(new ElmanOperator<>(TestModels.source(file, TestModels.Kernels.REFERENCE),
                    SensorReading::features, 8, 0, true, rejections));
            try {
                after.initializeState(snapshot);
                after.open();
                feed(after, 10);
                assertPredictions(model, after.getOutput(), 10);
            } finally {
                after.close();
            }
        }
    }

    /**
     * With a reduced precision every task computes with the model's rounded weights: the outputs and
     * states are those of a session of {@code model.withInferencePrecision(p)}, bit for bit.
     */
    @Test
    void aReducedPrecisionStepsTheRoundedModel() throws Exception {
        Path file = TestModels.write(directory, 5);
        for (WeightPrecision precision : new WeightPrecision[] {WeightPrecision.BF16, WeightPrecision.INT8}) {
            sessions.clear();
            try (Model f32 = TestModels.load(file, TestModels.Kernels.SELECTED);
                 Model model = f32.withInferencePrecision(precision)) {
                var harness = harness(new ElmanOperator<>(TestModels.source(file, TestModels.Kernels.SELECTED),
                        SensorReading::features, 4, 0, true, rejections, precision));
                try {
                    harness.open();
                    feed(harness, 9);
                    harness.endInput();
                    assertPredictions(model, harness.getOutput(), 9);
                } finally {
                    harness.close();
                }
            }
        }
    }

    /** Processes the next readings, each with its index as its timestamp. */
    private void feed(KeyedOneInputStreamOperatorTestHarness<Long, SensorReading, ?> harness, int count)
            throws Exception {
        for (int i = 0; i < count; i++) {
            harness.processElement(readings.map(next), next);
            next++;
        }
    }

    /**
     * The output holds exactly the next {@code count} predictions, in arrival order, with the
     * readings' timestamps and a session per key's outputs (and states, when emitted) bit for bit.
     */
    private void assertPredictions(Model model, java.util.Collection<Object> output, int count) {
        List<Object> records = new ArrayList<>(output);
        output.clear();
        assertEquals(count, records.size(), "outputs of the flush");
        long first = next - count;
        for (int i = 0; i < count; i++) {
            @SuppressWarnings("unchecked")
            StreamRecord<Prediction<Long, SensorReading>> record =
                    (StreamRecord<Prediction<Long, SensorReading>>) records.get(i);
            Prediction<Long, SensorReading> prediction = record.getValue();
            SensorReading expected = readings.map(first + i);
            assertEquals(first + i, record.getTimestamp(), "timestamp of reading " + (first + i));
            assertEquals(expected.sensor, prediction.key);
            assertEquals(expected.sequence, prediction.event.sequence, "arrival order");
            StreamingSession session = sessions.computeIfAbsent(expected.sensor, k -> model.newSession());
            float[] y = session.step(expected.values);
            assertEquals(session.steps(), prediction.step);
            Expectations.assertClose(y, prediction.output, 0, "reading " + (first + i) + " output");
            if (prediction.state != null) {
                float[] state = new float[TestModels.LAYERS * TestModels.HIDDEN_SIZE];
                for (int l = 0; l < TestModels.LAYERS; l++) {
                    System.arraycopy(session.hidden(l), 0, state, l * TestModels.HIDDEN_SIZE, TestModels.HIDDEN_SIZE);
                }
                Expectations.assertClose(state, prediction.state, 0, "reading " + (first + i) + " state");
            }
        }
        assertTrue(records.stream().allMatch(StreamRecord.class::isInstance));
    }
}
