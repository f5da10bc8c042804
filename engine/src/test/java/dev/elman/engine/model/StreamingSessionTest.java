package dev.elman.engine.model;

import dev.elman.engine.testing.Allocation;
import dev.elman.engine.testing.KernelsUnderTest;
import dev.elman.engine.testing.RandomData;
import dev.elman.kernels.RecurrentKernels;
import dev.elman.testing.Activations;
import dev.elman.testing.Trials;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Streaming: a sequence fed step by step gives the whole-sequence forward's outputs and final
 * states; reset, snapshot and restore return to earlier states exactly; sessions on many threads
 * share one model; a step allocates nothing.
 */
class StreamingSessionTest {
    /**
     * The whole-sequence forward carries the state in double inside its span (reference) while a
     * session rounds it to float32 after every step: an injected error of 6e-8·|h| per step per
     * layer, carried on by Jacobians of norm ~‖Wh‖ ≤ ~1.2 (uniform init, tanh' ≤ 1) over ≤ 16
     * steps and 3 layers, i.e. at most ~16·3·6e-8·1.2^16 ≈ 5e-5 in the worst case and ~1e-6 in
     * practice (errors do not all align). Relative to 1 + |y|, 1e-4 is above the worst case.
     */
    private static final double STEP_TOLERANCE = 1e-4;

    static Stream<Arguments> cases() {
        return KernelsUnderTest.all().stream().flatMap(kernels -> Trials.seeds("streaming", 80)
                .mapToObj(seed -> Arguments.of(kernels.name(), seed)));
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("cases")
    void stepByStepEqualsTheWholeSequence(String kernelsName, long seed) {
        RecurrentKernels kernels = CompositionTest.kernels(kernelsName);
        Random random = new Random(seed);
        ModelConfig config = unidirectional(random);
        int steps = 1 + random.nextInt(16);
        Model model = Model.create(config, Initialization.uniform(), random.nextLong(), kernels);
        float[] x = RandomData.uniform(random, steps * config.inputSize(), 1.0);
        ForwardResult whole = model.forward(new SequenceBatch(x, steps, 1, config.inputSize()));

        StreamingSession session = model.newSession();
        int w = config.outputWidth();
        float[] outputs = new float[steps * w];
        for (int t = 0; t < steps; t++) {
            float[] y = session.step(x, t * config.inputSize());
            System.arraycopy(y, 0, outputs, t * w, w);
        }
        CompositionTest.assertClose(whole.output(), outputs, STEP_TOLERANCE, config + " T=" + steps + ": outputs");
        float[] states = new float[config.layers() * config.hiddenSize()];
        for (int l = 0; l < config.layers(); l++) {
            System.arraycopy(session.hidden(l), 0, states, l * config.hiddenSize(), config.hiddenSize());
        }
        CompositionTest.assertClose(whole.finalStates(), states, STEP_TOLERANCE, config + ": final states");
        assertEquals(steps, session.steps());
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void snapshotRestoreAndResetReturnToEarlierStatesExactly(long seed) {
        Random random = new Random(seed);
        ModelConfig config = unidirectional(random);
        Model model = Model.create(config, Initialization.xavier(), random.nextLong(), KernelsUnderTest.reference());
        int in = config.inputSize();
        float[] x = RandomData.uniform(random, 12 * in, 1.0);
        StreamingSession session = model.newSession();
        float[] fresh = run(session, x, 0, 4);
        StateSnapshot atFour = session.snapshot();
        float[] continued = run(session, x, 4, 8);
        assertEquals(12, session.steps());

        session.restore(atFour);
        assertEquals(4, session.steps());
        assertArrayEquals(continued, run(session, x, 4, 8), "restore, then the same inputs: the same outputs");

        session.reset();
        assertEquals(0, session.steps());
        assertArrayEquals(fresh, run(session, x, 0, 4), "reset: as a new session");

        StreamingSession other = model.newSession();
        other.restore(StateSnapshot.of(atFour.layers(), atFour.hiddenSize(), atFour.steps(), atFour.values()));
        assertArrayEquals(continued, run(other, x, 4, 8), "a snapshot moves to another session");
    }

    static Stream<Long> seeds() {
        return Trials.seeds("snapshot", 20).boxed();
    }

    @Test
    void sessionsOnManyThreadsShareOneModel() throws Exception {
        Random random = new Random(7);
        ModelConfig config = ModelConfig.builder().inputSize(3).hiddenSize(16).layers(2).outputSize(2).build();
        Model model = Model.create(config, Initialization.orthogonal(), 11, KernelsUnderTest.reference());
        int streams = 8;
        int steps = 200;
        List<float[]> inputs = new ArrayList<>();
        List<float[]> expected = new ArrayList<>();
        for (int s = 0; s < streams; s++) {
            float[] x = RandomData.uniform(random, steps * 3, 1.0);
            inputs.add(x);
            expected.add(run(model.newSession(), x, 0, steps));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[]>> results = new ArrayList<>();
            for (int s = 0; s < streams; s++) {
                float[] x = inputs.get(s);
                results.add(pool.submit(() -> run(model.newSession(), x, 0, steps)));
            }
            for (int s = 0; s < streams; s++) {
                assertArrayEquals(expected.get(s), results.get(s).get(), "stream " + s);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aStepAllocatesNothingAfterWarmUp() {
        ModelConfig config = ModelConfig.builder().inputSize(4).hiddenSize(32).layers(2).outputSize(3).build();
        Model model = Model.create(config, Initialization.uniform(), 3, KernelsUnderTest.reference());
        StreamingSession session = model.newSession();
        float[] x = RandomData.uniform(new Random(5), 4, 1.0);
        for (int i = 0; i < 20_000; i++) {
            session.step(x);
        }
        long allocated = Allocation.leastBytes(3, () -> {
            for (int i = 0; i < 10_000; i++) {
                session.step(x);
            }
        });
        // 10 000 steps allocating even one object each would show as ≥ 160 000.
        assertTrue(allocated < 1_000, "10 000 steps allocated " + allocated + " bytes");
    }

    @Test
    void misuseIsRejectedWithClearMessages() {
        ModelConfig bidirectional = ModelConfig.builder().inputSize(2).hiddenSize(3).bidirectional(true).build();
        Model bi = Model.create(bidirectional, Initialization.uniform(), 1, KernelsUnderTest.reference());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, bi::newSession);
        assertTrue(e.getMessage().contains("unidirectional"), e.getMessage());

        ModelConfig config = ModelConfig.builder().inputSize(2).hiddenSize(3).layers(2).build();
        Model model = Model.create(config, Initialization.uniform(), 1, KernelsUnderTest.reference());
        StreamingSession session = model.newSession();
        e = assertThrows(IllegalArgumentException.class, () -> session.step(new float[3]));
        assertEquals("x: expected length 2 (inputSize), got 3", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> session.step(new float[] {1, Float.NaN}));
        assertEquals("x[1] is NaN: inputs must be finite", e.getMessage());
        assertEquals(0, session.steps(), "a rejected step changes nothing");
        e = assertThrows(IllegalArgumentException.class, () -> session.step(new float[4], 3));
        assertTrue(e.getMessage().startsWith("x: expected 2 floats (inputSize) from offset 3"), e.getMessage());
        ModelConfig wider = ModelConfig.builder().inputSize(2).hiddenSize(4).layers(2).build();
        StateSnapshot foreign = Model.create(wider, Initialization.uniform(), 1, KernelsUnderTest.reference())
                .newSession().snapshot();
        e = assertThrows(IllegalArgumentException.class, () -> session.restore(foreign));
        assertEquals("snapshot has 2 layers of 4 units; this session's model has 2 of 3", e.getMessage());
    }

    private static float[] run(StreamingSession session, float[] x, int from, int count) {
        int in = session.model().config().inputSize();
        int w = session.model().config().outputWidth();
        float[] out = new float[count * w];
        for (int t = 0; t < count; t++) {
            System.arraycopy(session.step(x, (from + t) * in), 0, out, t * w, w);
        }
        return out;
    }

    private static ModelConfig unidirectional(Random random) {
        ModelConfig.Builder b = ModelConfig.builder()
                .inputSize(1 + random.nextInt(5))
                .hiddenSize(1 + random.nextInt(8))
                .layers(1 + random.nextInt(3))
                .activation(Activations.CLASSIC.get(random.nextInt(3)))
                .bias(random.nextBoolean());
        if (random.nextBoolean()) {
            b.outputSize(1 + random.nextInt(4));
        }
        return b.build();
    }
}
