package dev.elman.engine.model;

import dev.elman.engine.testing.RandomData;
import dev.elman.testing.Trials;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The window's bookkeeping against a plain list of every step appended since the last reset or
 * detach: it holds the last {@code capacity} of them (inputs, states, head outputs), starts from the
 * state before its first step, counts each sequence's real steps in it, and reports a span's
 * lengths as null exactly when every sequence ran all of it.
 */
class ActivationWindowTest {

    static LongStream seeds() {
        return Trials.seeds("activation window", 100);
    }

    /** One appended step as the list remembers it. */
    private record Step(float[] x, float[][] h, float[] y, boolean[] real) {
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theWindowIsTheLastCapacityStepsOfWhatWasAppended(long seed) {
        Random random = new Random(seed);
        ModelConfig config = ModelConfig.builder().inputSize(1 + random.nextInt(3)).hiddenSize(1 + random.nextInt(4))
                .layers(1 + random.nextInt(3)).outputSize(random.nextBoolean() ? 1 + random.nextInt(3) : 0).build();
        int capacity = 1 + random.nextInt(6);
        int maxBatch = 1 + random.nextInt(4);
        StackShape shape = StackShape.of(config, capacity, maxBatch);
        ActivationWindow window = new ActivationWindow(shape);
        int in = config.inputSize();
        int hs = config.hiddenSize();
        int cells = shape.cells();
        String name = config + " capacity=" + capacity;

        for (int round = 0; round < 3; round++) {
            int b = 1 + random.nextInt(maxBatch);
            int stateCount = b * hs;
            float[] initial = random.nextBoolean() ? RandomData.uniform(random, cells * stateCount, 1.0) : null;
            window.reset(b, initial);
            List<Step> history = new ArrayList<>();
            float[][] before = new float[cells][];
            for (int k = 0; k < cells; k++) {
                before[k] = initial == null ? new float[stateCount]
                        : Arrays.copyOfRange(initial, k * stateCount, (k + 1) * stateCount);
            }
            boolean[] ended = new boolean[b];
            for (int span = 0; span < 8; span++) {
                String at = name + " B=" + b + " round " + round + " span " + span;
                int m = 1 + random.nextInt(capacity);
                float[] x = RandomData.uniform(random, 2 + m * b * in, 1.0);
                int[] lengths = new int[b];
                boolean all = true;
                for (int n = 0; n < b; n++) {
                    lengths[n] = ended[n] ? 0 : random.nextInt(4) == 0 ? random.nextInt(m + 1) : m;
                    all &= lengths[n] == m;
                }
                int first = window.append(m, x, 2, all && random.nextBoolean() ? null : lengths);
                int kept = Math.min(history.size(), capacity - m);
                assertEquals(kept, first, at + ": first");
                if (all) {
                    assertNull(window.spanLengths(), at + ": span lengths");
                } else {
                    assertArrayEquals(lengths, window.spanLengths(), at + ": span lengths");
                }
                // Play the grid: write states and outputs for the new steps, hold the last state.
                for (int t = 0; t < m; t++) {
                    float[][] h = new float[cells][];
                    for (int k = 0; k < cells; k++) {
                        h[k] = RandomData.uniform(random, stateCount, 1.0);
                        System.arraycopy(h[k], 0, window.hidden(k), (first + t) * stateCount, stateCount);
                    }
                    float[] y = null;
                    if (config.hasHead()) {
                        y = RandomData.uniform(random, b * config.outputSize(), 1.0);
                        System.arraycopy(y, 0, window.headOutput(), (first + t) * y.length, y.length);
                    }
                    boolean[] real = new boolean[b];
                    for (int n = 0; n < b; n++) {
                        real[n] = t < lengths[n];
                    }
                    history.add(new Step(Arrays.copyOfRange(x, 2 + t * b * in, 2 + (t + 1) * b * in), h, y, real));
                }
                for (int k = 0; k < cells; k++) {
                    window.holdState(k, first + m - 1);
                }
                for (int n = 0; n < b; n++) {
                    ended[n] |= lengths[n] < m;
                }

                int steps = Math.min(history.size(), capacity);
                assertEquals(steps, window.steps(), at + ": steps");
                List<Step> held = history.subList(history.size() - steps, history.size());
                int[] realCounts = new int[b];
                for (int t = 0; t < steps; t++) {
                    Step s = held.get(t);
                    assertArrayEquals(s.x(), Arrays.copyOfRange(window.layerInput(0), t * b * in, (t + 1) * b * in),
                            at + ": x of window step " + t);
                    for (int k = 0; k < cells; k++) {
                        assertArrayEquals(s.h()[k], Arrays.copyOfRange(window.hidden(k), t * stateCount,
                                (t + 1) * stateCount), at + ": h of cell " + k + " at window step " + t);
                    }
                    if (s.y() != null) {
                        assertArrayEquals(s.y(), Arrays.copyOfRange(window.output(), t * s.y().length,
                                (t + 1) * s.y().length), at + ": y at window step " + t);
                    }
                    for (int n = 0; n < b; n++) {
                        realCounts[n] += s.real()[n] ? 1 : 0;
                    }
                }
                boolean whole = true;
                for (int n = 0; n < b; n++) {
                    whole &= realCounts[n] == steps;
                }
                if (whole) {
                    assertNull(window.lengths(), at + ": window lengths");
                } else {
                    assertArrayEquals(realCounts, window.lengths(), at + ": window lengths");
                }
                for (int k = 0; k < cells; k++) {
                    float[] expectedStart = history.size() > steps ? history.get(history.size() - steps - 1).h()[k]
                            : before[k];
                    assertArrayEquals(expectedStart, window.start(k), at + ": start of cell " + k);
                    assertArrayEquals(history.get(history.size() - 1).h()[k], window.state(k), at + ": state of cell " + k);
                }
                if (random.nextInt(4) == 0) {
                    window.detach();
                    for (int k = 0; k < cells; k++) {
                        before[k] = window.state(k).clone();
                    }
                    history.clear();
                    assertEquals(0, window.steps(), at + ": steps after detach");
                }
            }
        }
    }
}
