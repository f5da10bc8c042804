package dev.elman.engine.training;

import dev.elman.engine.model.Initialization;
import dev.elman.engine.model.Model;
import dev.elman.engine.model.ModelConfig;
import dev.elman.engine.model.Parameters;
import dev.elman.engine.model.StateSnapshot;
import dev.elman.engine.model.StreamingSession;
import dev.elman.engine.testing.KernelsUnderTest;
import dev.elman.engine.testing.RandomData;
import dev.elman.kernels.RecurrentKernels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Online learning: a session streams a model while a {@link Trainer} updates it on another thread.
 * Every step's output must be exactly (bit for bit) what the parameters of one update give from
 * the step's starting state — the version the step reports, which was published between the
 * step's start and its end — never a mix of two updates. Before versions were published whole,
 * most steps that overlapped an update matched neither the old nor the new parameters.
 */
class ServingWhileTrainingTest {
    /** At most this many updates (and parameter copies kept to check against), and this long. */
    private static final int MAX_UPDATES = 300;
    private static final long MAX_NANOS = 1_000_000_000L;

    static Stream<String> kernels() {
        return KernelsUnderTest.all().stream().map(RecurrentKernels::name);
    }

    private record Step(StateSnapshot before, float[] x, float[] y, long version, long publishedBefore,
                        long publishedAfter) {
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void everyStepSeesTheParametersOfExactlyOneUpdate(String kernelsName) throws Exception {
        RecurrentKernels kernels = KernelsUnderTest.all().stream().filter(k -> k.name().equals(kernelsName))
                .findFirst().orElseThrow();
        ModelConfig config = ModelConfig.builder().inputSize(1).hiddenSize(64).layers(2).outputSize(1).build();
        Model model = Model.create(config, Initialization.uniform(), 11, kernels);
        Map<Long, Parameters> versions = new ConcurrentHashMap<>();
        versions.put(model.parameterVersion(), model.parameters().copy());
        Trainer trainer = new Trainer(model, TrainingConfig.builder().optimizer(new Sgd(0.05)).truncation(4, 8)
                .build());
        OptimizerTest.DelayedSum task = new OptimizerTest.DelayedSum(new Random(3), 16, 2);

        long deadline = System.nanoTime() + MAX_NANOS;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        // Copies of the master parameters are taken on the training thread, right after each publication.
        TrainingListener record = p -> versions.put(model.parameterVersion(), model.parameters().copy());
        Thread training = new Thread(() -> {
            try {
                while (trainer.updates() < MAX_UPDATES && System.nanoTime() < deadline) {
                    trainer.train(task, 1, record);
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "trainer");

        StreamingSession session = model.newSession();
        Random random = new Random(5);
        List<Step> steps = new ArrayList<>();
        training.start();
        while (training.isAlive() || steps.size() < 10) {
            float[] x = RandomData.uniform(random, 1, 1.0);
            StateSnapshot before = session.snapshot();
            long publishedBefore = model.parameterVersion();
            float[] y = session.step(x).clone();
            long publishedAfter = model.parameterVersion();
            if (steps.size() < 20_000) {
                steps.add(new Step(before, x, y, session.parameterVersion(), publishedBefore, publishedAfter));
            }
        }
        training.join();
        assertNull(failure.get(), "training failed");

        Map<Long, StreamingSession> replays = new HashMap<>();
        long distinct = steps.stream().mapToLong(Step::version).distinct().count();
        for (Step s : steps) {
            assertTrue(s.publishedBefore() <= s.version() && s.version() <= s.publishedAfter(), "step used version "
                    + s.version() + ", outside the versions published while it ran: " + s.publishedBefore() + " … "
                    + s.publishedAfter());
            StreamingSession replay = replays.computeIfAbsent(s.version(),
                    v -> Model.withParameters(versions.get(v), kernels).newSession());
            replay.restore(s.before());
            assertArrayEquals(replay.step(s.x()), s.y(), "a step on version " + s.version() + " (published "
                    + s.publishedBefore() + " → " + s.publishedAfter() + " while it ran) of " + steps.size()
                    + " steps over " + distinct + " versions");
        }
        assertTrue(distinct > 1, "the session stepped while the model was trained: " + distinct + " versions, "
                + trainer.updates() + " updates, " + steps.size() + " steps");
    }
}
