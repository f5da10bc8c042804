package dev.elman.flink;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Compares what a job delivered with the {@link Oracle}, key by key, step by step. */
final class Expectations {
    private Expectations() {
    }

    /**
     * Every key's delivered outputs are exactly its accepted readings, once each, steps 1 … n, each
     * {@code y_t} and state equal to the session's within the tolerance (relative to 1 + |expected|;
     * 0 asks for equality bit for bit).
     */
    static void assertEqualsOracle(Oracle oracle, List<Observed> delivered, double tolerance, String what) {
        Map<Long, List<Observed>> byKey = new HashMap<>();
        for (Observed o : delivered) {
            byKey.computeIfAbsent(o.key(), k -> new ArrayList<>()).add(o);
        }
        assertEquals(oracle.outputs.keySet(), byKey.keySet(), what + ": the keys with outputs");
        for (Map.Entry<Long, List<Observed>> entry : oracle.outputs.entrySet()) {
            long key = entry.getKey();
            List<Observed> expected = entry.getValue();
            List<Observed> actual = new ArrayList<>(byKey.get(key));
            actual.sort(Comparator.comparingLong(Observed::step));
            for (int s = 0; s < actual.size(); s++) {
                if (actual.get(s).step() != s + 1) {
                    fail(what + ": key " + key + " has steps " + actual.stream().map(Observed::step).toList()
                            + "; expected each of 1 … " + expected.size() + " exactly once (lost or doubled outputs)");
                }
            }
            assertEquals(expected.size(), actual.size(), what + ": outputs of key " + key);
            for (int s = 0; s < expected.size(); s++) {
                Observed e = expected.get(s);
                Observed a = actual.get(s);
                String at = what + ": key " + key + " step " + (s + 1);
                assertEquals(e.sequence(), a.sequence(), at + ": which reading");
                assertClose(e.output(), a.output(), tolerance, at + ": output");
                if (a.state() != null) {
                    assertClose(e.state(), a.state(), tolerance, at + ": state");
                }
            }
        }
    }

    static void assertClose(float[] expected, float[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            boolean ok = tolerance == 0
                    ? Float.floatToIntBits(expected[i]) == Float.floatToIntBits(actual[i])
                    : Math.abs(expected[i] - actual[i]) <= tolerance * (1 + Math.abs(expected[i]));
            if (!ok) {
                fail(what + "[" + i + "]: expected " + expected[i] + ", got " + actual[i]
                        + (tolerance == 0 ? " (bit for bit)" : " (tolerance " + tolerance + " relative to 1 + |expected|)"));
            }
        }
    }
}
