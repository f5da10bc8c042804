package dev.elman.engine.model;

import dev.elman.kernels.Activation;
import dev.elman.kernels.HeadGradients;
import dev.elman.kernels.HeadWeights;
import dev.elman.kernels.RecurrentGradients;
import dev.elman.kernels.RecurrentKernels;
import dev.elman.kernels.RecurrentWeights;
import dev.elman.kernels.Team;
import dev.elman.kernels.WeightPrecision;
import dev.elman.kernels.Workspace;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Kernels that compute as their delegate but, once {@linkplain #pauseNextForward() armed}, stop
 * inside the next forward call until the test {@linkplain #resume() resumes} them: a thread is
 * then provably inside a pass, so what another thread does meanwhile is a deterministic test
 * rather than a race that may not happen.
 */
final class PausingKernels implements RecurrentKernels {
    private final RecurrentKernels delegate;
    private final AtomicBoolean armed = new AtomicBoolean();
    private volatile CountDownLatch entered;
    private volatile CountDownLatch resume;

    PausingKernels(RecurrentKernels delegate) {
        this.delegate = delegate;
    }

    /** The next forward call (on any thread) stops after computing, until {@link #resume()}. */
    void pauseNextForward() {
        entered = new CountDownLatch(1);
        resume = new CountDownLatch(1);
        armed.set(true);
    }

    /** Waits until a thread is paused inside a forward call. */
    void awaitPaused() throws InterruptedException {
        if (!entered.await(10, TimeUnit.SECONDS)) {
            throw new AssertionError("no thread entered a forward call within 10 s");
        }
    }

    /** Lets the paused thread go on. */
    void resume() {
        resume.countDown();
    }

    @Override
    public String name() {
        return "pausing " + delegate.name();
    }

    @Override
    public RecurrentWeights newRecurrentWeights(int inputSize, int hiddenSize, Activation activation, float clip,
                                                boolean bias, WeightPrecision precision) {
        return delegate.newRecurrentWeights(inputSize, hiddenSize, activation, clip, bias, precision);
    }

    @Override
    public HeadWeights newHeadWeights(int inputSize, int outputSize, boolean bias) {
        return delegate.newHeadWeights(inputSize, outputSize, bias);
    }

    @Override
    public Workspace newWorkspace(int maxInputSize, int maxHiddenSize, int maxSteps, int maxBatch, Team team) {
        return delegate.newWorkspace(maxInputSize, maxHiddenSize, maxSteps, maxBatch, team);
    }

    @Override
    public void forward(RecurrentWeights weights, Workspace workspace, int steps, int batch, boolean reverse, float[] x,
                        int xOffset, float[] h0, float[] h, int hOffset, int[] lengths) {
        delegate.forward(weights, workspace, steps, batch, reverse, x, xOffset, h0, h, hOffset, lengths);
        if (armed.compareAndSet(true, false)) {
            entered.countDown();
            try {
                if (!resume.await(10, TimeUnit.SECONDS)) {
                    throw new AssertionError("not resumed within 10 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Override
    public void backward(RecurrentWeights weights, Workspace workspace, int steps, int batch, boolean reverse,
                         float[] x, int xOffset, float[] h0, float[] h, int hOffset, int[] lengths, float[] dh,
                         int dhOffset, float[] dhLast, RecurrentGradients gradients, float[] dx, int dxOffset,
                         float[] dh0) {
        delegate.backward(weights, workspace, steps, batch, reverse, x, xOffset, h0, h, hOffset, lengths, dh, dhOffset,
                dhLast, gradients, dx, dxOffset, dh0);
    }

    @Override
    public void headForward(HeadWeights weights, int rows, float[] h, int hOffset, float[] y, int yOffset) {
        delegate.headForward(weights, rows, h, hOffset, y, yOffset);
    }

    @Override
    public void headBackward(HeadWeights weights, int rows, float[] h, int hOffset, float[] dy, int dyOffset,
                             HeadGradients gradients, float[] dh, int dhOffset) {
        delegate.headBackward(weights, rows, h, hOffset, dy, dyOffset, gradients, dh, dhOffset);
    }
}
