package dev.elman.engine.model;

import dev.elman.engine.parallel.Parallelism;
import dev.elman.engine.testing.Allocation;
import dev.elman.engine.testing.KernelsUnderTest;
import dev.elman.engine.testing.RandomData;
import dev.elman.kernels.RecurrentKernels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.elman.engine.model.ThreadCountIdentityTest.assertSameBits;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A model's team of threads: the default, setting and validating the number, what closing means
 * for the model and for runners and sessions made before, the copy's own team, and many threads
 * using one model of two threads at once (every result that of one thread; nothing waits, blocks
 * or fails).
 */
class ModelThreadsTest {
    private static final ModelConfig STACK = ModelConfig.builder().inputSize(7).hiddenSize(129).layers(2).outputSize(3)
            .build();

    static Stream<String> kernels() {
        return KernelsUnderTest.all().stream().map(RecurrentKernels::name);
    }

    @Test
    void aNewModelHasTheDefaultNumberOfThreads() {
        String saved = System.getProperty(Parallelism.PROPERTY);
        try {
            System.clearProperty(Parallelism.PROPERTY);
            try (Model model = Model.create(STACK, Initialization.uniform(), 1)) {
                assertEquals(1, model.threads(), "the library's default: one thread");
            }
            System.setProperty(Parallelism.PROPERTY, "3");
            try (Model model = Model.create(STACK, Initialization.uniform(), 1);
                 Model read = Model.withParameters(model.parameters())) {
                assertEquals(3, model.threads());
                assertEquals(3, read.threads());
            }
            System.setProperty(Parallelism.PROPERTY, "many");
            IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                    () -> Model.create(STACK, Initialization.uniform(), 1));
            assertTrue(bad.getMessage().contains("-Delman.threads") && bad.getMessage().contains("many"), bad.getMessage());
        } finally {
            if (saved == null) {
                System.clearProperty(Parallelism.PROPERTY);
            } else {
                System.setProperty(Parallelism.PROPERTY, saved);
            }
        }
    }

    @Test
    void setThreadsChecksTheNumberAndKeepsTheTeamOnAMistake() {
        try (Model model = Model.create(STACK, Initialization.uniform(), 1)) {
            model.setThreads(2);
            for (int bad : new int[] {0, -1, Parallelism.MAX_THREADS + 1}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.setThreads(bad));
                assertTrue(e.getMessage().startsWith("threads: expected a number of threads from 1 to "
                        + Parallelism.MAX_THREADS + ", got " + bad), e.getMessage());
            }
            assertEquals(2, model.threads());
        }
    }

    @Test
    void workersStartWithSetThreadsAndStopWithClose() {
        Model model = Model.create(STACK, Initialization.uniform(), 1);
        long before = teamWorkers();
        model.setThreads(3);
        assertEquals(before + 2, teamWorkers(), "a team of 3 is the caller and 2 workers");
        model.setThreads(2);
        assertEquals(before + 1, teamWorkers(), "the old team's workers stop");
        model.close();
        assertEquals(before, teamWorkers());
        assertEquals(1, model.threads());
        model.close();
        assertEquals(1, model.threads(), "closing again does nothing");
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void aClosedModelAndItsEarlierRunnersAndSessionsComputeOnOneThread(String kernelsName) {
        Random random = new Random(5);
        ModelConfig config = STACK;
        SequenceBatch batch = new SequenceBatch(RandomData.uniform(random, 6 * 4 * 7, 1.0), 6, 4, 7);
        float[] x = RandomData.uniform(random, 7, 1.0);
        Model model = Model.create(config, Initialization.uniform(), 9, ThreadCountIdentityTest.kernels(kernelsName));
        float[] expected = model.forward(batch).output();
        float[] expectedStep = model.newSession().step(x).clone();

        model.setThreads(2);
        StackRunner runner = model.newRunner(6, 4);
        StreamingSession session = model.newSession();
        Model copy = model.copy();
        assertEquals(2, copy.threads(), "a copy has a team of its own of the same size");
        model.close();
        assertEquals(2, copy.threads(), "closing the model leaves the copy's team");
        copy.close();

        assertSameBits(expected, model.forward(batch).output(), "forward after close");
        runner.reset(4, null);
        runner.advance(6, batch.inputs(), 0, null);
        assertSameBits(expected, java.util.Arrays.copyOf(runner.output(), expected.length), "earlier runner after close");
        assertSameBits(expectedStep, session.step(x), "earlier session after close");

        model.setThreads(4);
        session.reset();
        assertSameBits(expectedStep, session.step(x), "earlier session on the model's next team");
        model.close();
    }

    @Test
    void aStepAllocatesNothingWithATeam() {
        ModelConfig config = ModelConfig.builder().inputSize(4).hiddenSize(300).layers(2).outputSize(2).build();
        try (Model model = Model.create(config, Initialization.uniform(), 3)) {
            model.setThreads(2);
            StreamingSession session = model.newSession();
            float[] x = RandomData.uniform(new Random(2), 4, 1.0);
            for (int i = 0; i < 20_000; i++) {
                session.step(x);
            }
            long allocated = Allocation.leastBytes(3, () -> {
                for (int i = 0; i < 2_000; i++) {
                    session.step(x);
                }
            });
            // 2 000 steps allocating even one object each would show as ≥ 32 000.
            assertTrue(allocated < 1_000, "2 000 steps allocated " + allocated + " bytes");
        }
    }

    /**
     * Four threads step sessions and run forward passes on one model of two threads at once: the
     * team serves one pass at a time and the others run on their callers, so every result is the
     * one-thread result, and nothing throws or hangs.
     */
    @ParameterizedTest
    @MethodSource("kernels")
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void manyThreadsOnOneTeamGetTheOneThreadResults(String kernelsName) throws Exception {
        Random random = new Random(17);
        ModelConfig config = ModelConfig.builder().inputSize(5).hiddenSize(256).layers(2).outputSize(2).build();
        int callers = 4;
        int steps = 200;
        SequenceBatch batch = new SequenceBatch(RandomData.uniform(random, 8 * 32 * 5, 1.0), 8, 32, 5);
        float[][] streams = new float[callers][];
        for (int c = 0; c < callers; c++) {
            streams[c] = RandomData.uniform(random, steps * 5, 1.0);
        }
        try (Model model = Model.create(config, Initialization.uniform(), 21, ThreadCountIdentityTest.kernels(kernelsName))) {
            float[] expectedForward = model.forward(batch).output();
            float[][] expectedStreams = new float[callers][];
            for (int c = 0; c < callers; c++) {
                expectedStreams[c] = run(model.newSession(), streams[c], steps);
            }

            model.setThreads(2);
            CyclicBarrier start = new CyclicBarrier(callers);
            ExecutorService pool = Executors.newFixedThreadPool(callers);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int c = 0; c < callers; c++) {
                    int caller = c;
                    done.add(pool.submit(() -> {
                        StreamingSession session = model.newSession();
                        start.await();
                        for (int round = 0; round < 3; round++) {
                            session.reset();
                            assertSameBits(expectedStreams[caller], run(session, streams[caller], steps),
                                    "caller " + caller + " round " + round + ": stream");
                            assertSameBits(expectedForward, model.forward(batch).output(),
                                    "caller " + caller + " round " + round + ": forward");
                        }
                        return null;
                    }));
                }
                for (Future<?> future : done) {
                    future.get(100, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
                assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
            }
            assertEquals(2, model.threads());
        }
    }

    private static float[] run(StreamingSession session, float[] inputs, int steps) {
        int width = session.model().config().outputWidth();
        int inputSize = session.model().config().inputSize();
        float[] outputs = new float[steps * width];
        for (int s = 0; s < steps; s++) {
            System.arraycopy(session.step(inputs, s * inputSize), 0, outputs, s * width, width);
        }
        return outputs;
    }

    private static long teamWorkers() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("elman-team-") && thread.isAlive()).count();
    }
}
