package dev.elman.flink;

import dev.elman.engine.model.Model;
import dev.elman.engine.model.NonFiniteException;
import dev.elman.engine.model.StreamingSession;
import dev.elman.flink.example.SensorReading;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the job must produce, computed without Flink: one {@link StreamingSession} per key, fed that
 * key's readings in order; a reading the session refuses (bad input, or a non-finite step) is an
 * expected rejection and leaves the session as it was.
 */
final class Oracle {
    /** Per key, the outputs of its accepted readings, in order (step s at index s − 1). */
    final Map<Long, List<Observed>> outputs = new HashMap<>();
    /** Per key, the sequence numbers of its rejected readings and the words their reason must contain. */
    final Map<Long, Map<Long, String>> rejections = new HashMap<>();
    int nonFiniteSteps;

    Oracle(Model model, long sensors, long readings) {
        TestReadings generator = new TestReadings(sensors, model.config().inputSize());
        Map<Long, StreamingSession> sessions = new HashMap<>();
        for (long i = 0; i < readings; i++) {
            SensorReading reading = generator.map(i);
            StreamingSession session = sessions.computeIfAbsent(reading.sensor, k -> model.newSession());
            String problem = TestReadings.expectedProblem(i);
            if (problem != null && !problem.equals("non-finite")) {
                reject(reading, problem);
                continue;
            }
            float[] y;
            try {
                y = session.step(reading.values).clone();
            } catch (NonFiniteException e) {
                nonFiniteSteps++;
                reject(reading, "non-finite");
                continue;
            }
            float[] state = new float[model.config().layers() * model.config().hiddenSize()];
            for (int l = 0; l < model.config().layers(); l++) {
                float[] h = session.hidden(l);
                System.arraycopy(h, 0, state, l * h.length, h.length);
            }
            outputs.computeIfAbsent(reading.sensor, k -> new ArrayList<>())
                    .add(new Observed(reading.sensor, reading.sequence, session.steps(), y, state));
        }
    }

    private void reject(SensorReading reading, String problem) {
        rejections.computeIfAbsent(reading.sensor, k -> new HashMap<>()).put(reading.sequence, problem);
    }

    int acceptedCount() {
        return outputs.values().stream().mapToInt(List::size).sum();
    }
}
