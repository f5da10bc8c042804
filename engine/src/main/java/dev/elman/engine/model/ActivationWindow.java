package dev.elman.engine.model;

import java.util.Arrays;

/**
 * The activations of the most recent steps of B sequences — at most {@code capacity} of them — and
 * the bookkeeping of which are real: each sequence's length in the window and in the last span,
 * which sequences have ended, the states the window starts from and the current states.
 *
 * <p>Appending a span that would overflow the window slides it: the oldest steps are dropped and
 * the state before the new first step becomes the window's start, so a backward pass through the
 * window is exactly truncated BPTT from there. Only forward directions ever slide: a reverse or
 * bidirectional model takes its whole sequence in one span.
 *
 * <p>It holds rows of exactly the B sequences it was reset for, in the kernels' time-major layout;
 * a runner that splits a batch among workers gives each its own window over its rows.
 */
final class ActivationWindow {
    private final StackShape shape;
    /** The model input of the window, {@code [C][Bm][I]}: copied so that it outlives the caller's span. */
    private final float[] x0;
    /** Every layer and direction's states over the window, index {@code l·D + d}, {@code [C][Bm][H]}. */
    private final float[][] h;
    /**
     * What layer {@code l} reads ({@code l = L}: the head's input, the top features),
     * {@code [C][Bm][I_l]}: the model input, the layer below's states, or a bidirectional layer's
     * merged features.
     */
    private final float[][] layerInput;
    /** The head's outputs, {@code [C][Bm][O]}, or null without a head. */
    private final float[] y;

    private int batch = -1;
    private int steps;
    /** The current state of each cell (the one the next span continues from), {@code [B][H]}. */
    private float[][] state;
    /** The state each cell had before the window's first step, {@code [B][H]}. */
    private float[][] start;
    private int[] windowLengths;
    private int[] spanLengths;
    private boolean[] ended;
    private boolean spanFull;

    /**
     * Allocates the window's rows.
     *
     * @throws IllegalArgumentException when a buffer would not fit in an array
     */
    ActivationWindow(StackShape shape) {
        this.shape = shape;
        x0 = shape.rows(shape.inputSize(), "steps × batch × inputSize");
        h = new float[shape.cells()][];
        for (int k = 0; k < h.length; k++) {
            h[k] = shape.rows(shape.hiddenSize(), "steps × batch × hiddenSize");
        }
        int layers = shape.layers();
        layerInput = new float[layers + 1][];
        layerInput[0] = x0;
        for (int l = 1; l <= layers; l++) {
            // A unidirectional layer reads the states below as they are; only a merge needs rows of its own.
            layerInput[l] = shape.bidirectional() ? shape.rows(shape.featureSize(), "steps × batch × features") : h[l - 1];
        }
        y = shape.hasHead() ? shape.rows(shape.outputWidth(), "steps × batch × outputSize") : null;
    }

    /** @return B since the last {@link #reset}, or −1 before the first */
    int batch() {
        return batch;
    }

    /** @return the steps in the window */
    int steps() {
        return steps;
    }

    /**
     * Starts B new sequences from given states (null: zeros) with an empty window. The arrays sized
     * by B are replaced only when B changes.
     *
     * @param initialStates {@code [L·D][B][H]}, of that length, or null
     */
    void reset(int batch, float[] initialStates) {
        int stateCount = batch * shape.hiddenSize();
        if (batch != this.batch) {
            // The kernels take states and lengths as arrays of exactly B·H and B elements.
            state = new float[shape.cells()][stateCount];
            start = new float[shape.cells()][stateCount];
            windowLengths = new int[batch];
            spanLengths = new int[batch];
            ended = new boolean[batch];
            this.batch = batch;
        }
        for (int k = 0; k < state.length; k++) {
            if (initialStates == null) {
                Arrays.fill(state[k], 0f);
            } else {
                System.arraycopy(initialStates, k * stateCount, state[k], 0, stateCount);
            }
            System.arraycopy(state[k], 0, start[k], 0, stateCount);
        }
        Arrays.fill(windowLengths, 0);
        Arrays.fill(ended, false);
        steps = 0;
    }

    /** Empties the window and keeps the states: the window now starts at the current state. */
    void detach() {
        for (int k = 0; k < state.length; k++) {
            System.arraycopy(state[k], 0, start[k], 0, state[k].length);
        }
        Arrays.fill(windowLengths, 0);
        steps = 0;
    }

    /** @return whether sequence {@code n} ended in an earlier span (so every later span must give it 0 steps) */
    boolean ended(int n) {
        return ended[n];
    }

    /**
     * Makes room for a span and records it: drops the oldest steps beyond the capacity, copies the
     * span's inputs in and notes each sequence's length in it. The caller then computes the span's
     * activations at window steps {@code [first, first + spanSteps)}.
     *
     * @param spanSteps 1 … capacity
     * @param x the inputs {@code [spanSteps][B][I]} from {@code xOffset}, known to fit
     * @param lengths each sequence's real steps of the span, already checked, or null for all
     * @return {@code first}, the window step the span starts at
     */
    int append(int spanSteps, float[] x, int xOffset, int[] lengths) {
        int drop = steps + spanSteps - shape.capacity();
        if (drop > 0) {
            dropOldest(drop);
        }
        int first = steps;
        int b = batch;
        System.arraycopy(x, xOffset, x0, first * b * shape.inputSize(), spanSteps * b * shape.inputSize());
        boolean full = true;
        for (int n = 0; n < b; n++) {
            int length = ended[n] ? 0 : lengths == null ? spanSteps : lengths[n];
            spanLengths[n] = length;
            windowLengths[n] += length;
            if (length < spanSteps) {
                ended[n] = true;
                full = false;
            }
        }
        spanFull = full;
        steps = first + spanSteps;
        return first;
    }

    /** @return the kernels' lengths for the last appended span: null when every sequence ran all of it */
    int[] spanLengths() {
        return spanFull ? null : spanLengths;
    }

    /** @return the kernels' lengths for the whole window: null when every sequence is real throughout */
    int[] lengths() {
        for (int n = 0; n < batch; n++) {
            if (windowLengths[n] != steps) {
                return windowLengths;
            }
        }
        return null;
    }

    /** Moves a forward direction's current state to its state after window step {@code t}. */
    void holdState(int layerDirection, int t) {
        int stateCount = batch * shape.hiddenSize();
        System.arraycopy(h[layerDirection], t * stateCount, state[layerDirection], 0, stateCount);
    }

    /** @return the current state of a cell, {@code [B][H]} (for a reverse direction: where it starts) */
    float[] state(int layerDirection) {
        return state[layerDirection];
    }

    /** @return the state of a cell before the window's first step walked, {@code [B][H]} */
    float[] start(int layerDirection) {
        return start[layerDirection];
    }

    /** @return a cell's states over the window, {@code [C][Bm][H]} */
    float[] hidden(int layerDirection) {
        return h[layerDirection];
    }

    /** @return the rows layer {@code l} reads; {@code l = L}: the top features */
    float[] layerInput(int l) {
        return layerInput[l];
    }

    /** @return the head's output rows, or null without a head */
    float[] headOutput() {
        return y;
    }

    /** @return the model's output rows: the head's, or the top features without a head */
    float[] output() {
        return y != null ? y : layerInput[shape.layers()];
    }

    /**
     * Copies the final states: a forward direction's current state, a reverse direction's state at
     * the window's first step (the last it walked).
     *
     * @param target {@code [L·D][B][H]}, of that length
     */
    void finalStates(float[] target) {
        int stateCount = batch * shape.hiddenSize();
        for (int k = 0; k < state.length; k++) {
            boolean reverse = shape.walksBackward(k);
            float[] source = reverse && steps > 0 ? h[k] : state[k];
            System.arraycopy(source, 0, target, k * stateCount, stateCount);
        }
    }

    private void dropOldest(int drop) {
        int b = batch;
        int stateCount = b * shape.hiddenSize();
        int keep = steps - drop;
        for (int k = 0; k < h.length; k++) {
            // Only forward directions drop (a bidirectional model never has a second advance).
            System.arraycopy(h[k], (drop - 1) * stateCount, start[k], 0, stateCount);
            System.arraycopy(h[k], drop * stateCount, h[k], 0, keep * stateCount);
        }
        int inputs = b * shape.inputSize();
        System.arraycopy(x0, drop * inputs, x0, 0, keep * inputs);
        if (y != null) {
            int outputs = b * shape.outputWidth();
            System.arraycopy(y, drop * outputs, y, 0, keep * outputs);
        }
        for (int n = 0; n < b; n++) {
            windowLengths[n] = Math.max(0, windowLengths[n] - drop);
        }
        steps = keep;
    }
}
