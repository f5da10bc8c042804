package dev.elman.engine.model;

import dev.elman.engine.testing.KernelsUnderTest;
import dev.elman.engine.testing.RandomData;
import dev.elman.engine.io.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Parameters are published as whole versions: a pass computes with the version published at its
 * start, every layer and the head alike, even when the model is loaded while it runs. Each case
 * holds a pass inside its first layer ({@link PausingKernels}), loads new parameters meanwhile,
 * and checks the pass's result bit for bit against the old parameters alone.
 */
class ParameterVersionTest {
    private static final ModelConfig CONFIG = ModelConfig.builder().inputSize(3).hiddenSize(8).layers(2).outputSize(2)
            .build();

    @Test
    void everyLoadPublishesTheNextVersion() {
        Model model = Model.create(CONFIG, Initialization.uniform(), 1, KernelsUnderTest.reference());
        assertEquals(1, model.parameterVersion());
        StreamingSession session = model.newSession();
        assertEquals(0, session.parameterVersion(), "no step yet");
        session.step(new float[3]);
        assertEquals(1, session.parameterVersion());
        model.loadParameters();
        model.loadParameters();
        assertEquals(3, model.parameterVersion());
        session.step(new float[3]);
        assertEquals(3, session.parameterVersion());
    }

    @Test
    void aStepLoadedMidwayFinishesWithTheVersionItStartedWith() throws Exception {
        PausingKernels kernels = new PausingKernels(KernelsUnderTest.reference());
        Model model = Model.create(CONFIG, Initialization.uniform(), 2, kernels);
        Model old = model.copy(KernelsUnderTest.reference());
        StreamingSession session = model.newSession();
        float[] x = {0.5f, -1f, 0.25f};
        float[] expected = old.newSession().step(x).clone();

        float[] y = whileLoadingTwice(kernels, model, () -> session.step(x).clone());
        assertArrayEquals(expected, y, "layer 1 and the head used the old weights too");
        assertEquals(1, session.parameterVersion());
        assertEquals(3, model.parameterVersion());
        // The next step starts on the newest version.
        Model newest = model.copy(KernelsUnderTest.reference());
        StreamingSession replay = newest.newSession();
        replay.restore(session.snapshot());
        assertArrayEquals(replay.step(x), session.step(x));
        assertEquals(3, session.parameterVersion());
    }

    @Test
    void aForwardAndAChunkedGradientUseOneVersionThroughout() throws Exception {
        PausingKernels kernels = new PausingKernels(KernelsUnderTest.reference());
        Model model = Model.create(CONFIG, Initialization.uniform(), 3, kernels);
        Model old = model.copy(KernelsUnderTest.reference());
        Random random = new Random(4);
        SequenceBatch batch = new SequenceBatch(RandomData.uniform(random, 6 * 2 * 3, 1.0), 6, 2, 3);
        float[] dy = RandomData.uniform(random, 6 * 2 * 2, 1.0);

        ForwardResult forward = whileLoadingTwice(kernels, model, () -> model.forward(batch));
        ForwardResult expectedForward = old.forward(batch);
        assertArrayEquals(expectedForward.output(), forward.output());
        assertArrayEquals(expectedForward.finalStates(), forward.finalStates());

        Model before = model.copy(KernelsUnderTest.reference());
        // Three chunks of 2 steps: the loads land during the first, the other two must not see them.
        GradientResult gradient = whileLoadingTwice(kernels, model, () -> model.gradient(batch, null, dy, 2));
        GradientResult expected = before.gradient(batch, null, dy, 2);
        for (int i = 0; i < expected.parameters().parameters().count(); i++) {
            assertArrayEquals(expected.parameters().parameters().get(i).data(),
                    gradient.parameters().parameters().get(i).data(), expected.parameters().parameters().names().get(i));
        }
        assertArrayEquals(expected.input(), gradient.input());
        assertArrayEquals(expected.initialState(), gradient.initialState());
    }

    /**
     * Runs a pass on another thread, holds it inside its first forward call, changes every
     * parameter and loads twice (the second load needs a third set of holders: the pass holds the
     * first, the second is published), then lets the pass finish.
     */
    private static <T> T whileLoadingTwice(PausingKernels kernels, Model model, Callable<T> pass) throws Exception {
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            kernels.pauseNextForward();
            Future<T> result = thread.submit(pass);
            kernels.awaitPaused();
            try {
                for (int load = 0; load < 2; load++) {
                    for (Tensor t : model.parameters().tensors()) {
                        float[] v = t.data();
                        for (int i = 0; i < v.length; i++) {
                            v[i] = v[i] * 0.5f + 0.125f;
                        }
                    }
                    model.loadParameters();
                }
            } finally {
                kernels.resume();
            }
            return result.get();
        } finally {
            thread.shutdownNow();
        }
    }
}
