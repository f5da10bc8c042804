package dev.elman.engine.model;

import dev.elman.engine.testing.KernelsUnderTest;
import dev.elman.engine.testing.RandomData;
import org.junit.jupiter.api.Test;

import java.util.ConcurrentModificationException;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A session or runner is one thread's at a time: one entered by a second thread while the first is
 * inside refuses the second with a {@link ConcurrentModificationException} naming the object and
 * both threads, and the refused call changes nothing. The first thread is held inside a step by
 * {@link PausingKernels}, so every case here is deterministic; the last one hammers a session from
 * two threads and checks that no step was lost.
 */
class OneThreadAtATimeTest {
    private static final ModelConfig CONFIG = ModelConfig.builder().inputSize(2).hiddenSize(8).layers(2).outputSize(1)
            .build();

    @Test
    void aSessionEnteredByASecondThreadRefusesItAndChangesNothing() throws Exception {
        PausingKernels kernels = new PausingKernels(KernelsUnderTest.reference());
        Model model = Model.create(CONFIG, Initialization.uniform(), 3, kernels);
        StreamingSession session = model.newSession();
        float[] x = {0.25f, -0.5f};
        session.step(x);
        StateSnapshot afterOne = session.snapshot();

        kernels.pauseNextForward();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread first = new Thread(() -> {
            try {
                session.step(x);
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "first-stepper");
        first.start();
        kernels.awaitPaused();
        try {
            String me = Thread.currentThread().getName();
            ConcurrentModificationException e = assertThrows(ConcurrentModificationException.class,
                    () -> session.step(x));
            assertTrue(e.getMessage().startsWith("StreamingSession@"), e.getMessage());
            assertTrue(e.getMessage().contains(" of Model[") && e.getMessage().contains("thread \"" + me
                    + "\" called step while thread \"first-stepper\" was inside it"), e.getMessage());
            assertTrue(e.getMessage().endsWith("so this call was refused and changed nothing"), e.getMessage());
            assertThrows(ConcurrentModificationException.class, session::reset);
            assertThrows(ConcurrentModificationException.class, session::snapshot);
            assertThrows(ConcurrentModificationException.class, () -> session.restore(afterOne));
        } finally {
            kernels.resume();
            first.join();
        }
        assertNull(failure.get(), "the first thread's step completes as if alone");
        assertEquals(2, session.steps(), "the refused calls neither stepped, reset nor restored");
        StreamingSession alone = model.newSession();
        alone.step(x);
        alone.step(x);
        assertArrayEquals(alone.snapshot().values(), session.snapshot().values());
        // Free again: any thread may use it now.
        session.step(x);
        assertEquals(3, session.steps());
    }

    @Test
    void aRunnerEnteredByASecondThreadRefusesIt() throws Exception {
        PausingKernels kernels = new PausingKernels(KernelsUnderTest.reference());
        Model model = Model.create(CONFIG, Initialization.uniform(), 3, kernels);
        StackRunner runner = model.newRunner(4, 2);
        runner.reset(2, null);
        float[] x = RandomData.uniform(new Random(1), 4 * 2 * 2, 1.0);

        kernels.pauseNextForward();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread first = new Thread(() -> {
            try {
                runner.advance(4, x, 0, null);
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "first-runner");
        first.start();
        kernels.awaitPaused();
        try {
            ConcurrentModificationException e = assertThrows(ConcurrentModificationException.class,
                    () -> runner.advance(4, x, 0, null));
            assertTrue(e.getMessage().startsWith("StackRunner@") && e.getMessage().contains(
                    "called advance while thread \"first-runner\" was inside it"), e.getMessage());
            assertThrows(ConcurrentModificationException.class, () -> runner.reset(2, null));
            assertThrows(ConcurrentModificationException.class, runner::detach);
            assertThrows(ConcurrentModificationException.class, () -> runner.finalStates(new float[2 * 2 * 8]));
            assertThrows(ConcurrentModificationException.class,
                    () -> runner.backward(1, new ModelGradients(CONFIG), false, false));
        } finally {
            kernels.resume();
            first.join();
        }
        assertNull(failure.get());
        assertEquals(4, runner.windowSteps(), "one advance of 4 steps, not two");
    }

    /**
     * Two threads step one session as fast as they can for a bounded time. Some calls collide and
     * are refused; every accepted step is counted and computed whole, so the session ends exactly
     * where a session stepped alone that many times ends (the input is the same at every step, so
     * the order of the accepted steps does not matter).
     */
    @Test
    void twoThreadsOnOneSessionNeverLoseAStepSilently() throws Exception {
        Model model = Model.create(CONFIG, Initialization.orthogonal(), 5, KernelsUnderTest.reference());
        StreamingSession session = model.newSession();
        float[] x = {0.5f, 0.125f};
        AtomicLong accepted = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long deadline = System.nanoTime() + 400_000_000L;
        Supplier<Thread> stepper = () -> new Thread(() -> {
            try {
                for (int i = 0; i < 200_000 && System.nanoTime() < deadline; i++) {
                    try {
                        session.step(x);
                        accepted.incrementAndGet();
                    } catch (ConcurrentModificationException e) {
                        refused.incrementAndGet();
                    }
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        Thread a = stepper.get();
        Thread b = stepper.get();
        a.start();
        b.start();
        a.join();
        b.join();
        assertNull(failure.get());
        assertEquals(accepted.get(), session.steps(), "every accepted step counted, none lost ("
                + refused.get() + " refused)");
        StreamingSession alone = model.newSession();
        for (long i = 0; i < accepted.get(); i++) {
            alone.step(x);
        }
        assertArrayEquals(alone.snapshot().values(), session.snapshot().values(),
                accepted.get() + " accepted steps, " + refused.get() + " refused");
    }
}
