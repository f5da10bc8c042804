package dev.elman.simd;

import dev.elman.kernels.Team;

import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A plain {@link Team} for the kernel tests (the engine's ThreadTeam lives in a module built
 * later): every run starts fresh threads and joins them, the barrier is a {@link CyclicBarrier}
 * with a timeout so that a kernel that waits unevenly fails instead of hanging.
 */
final class ThreadTeamForTests implements Team {
    private final int threads;
    private final CyclicBarrier barrier;

    ThreadTeamForTests(int threads) {
        this.threads = threads;
        this.barrier = new CyclicBarrier(threads);
    }

    @Override
    public int threads() {
        return threads;
    }

    @Override
    public boolean tryRun(Task task) {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] workers = new Thread[threads - 1];
        for (int p = 1; p < threads; p++) {
            int participant = p;
            workers[p - 1] = new Thread(() -> {
                try {
                    task.run(participant, threads);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                    barrier.reset();
                }
            }, "test-team-" + p);
            workers[p - 1].start();
        }
        try {
            task.run(0, threads);
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
            barrier.reset();
        }
        for (Thread worker : workers) {
            try {
                worker.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        if (failure.get() != null) {
            throw new AssertionError("a participant failed", failure.get());
        }
        return true;
    }

    @Override
    public void await() {
        try {
            barrier.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
            throw new IllegalStateException("barrier: " + e, e);
        }
    }

    @Override
    public String toString() {
        return threads + " threads";
    }
}
