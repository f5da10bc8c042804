package dev.elman.engine.model;

import dev.elman.kernels.HeadWeights;
import dev.elman.kernels.RecurrentWeights;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One published version of a model's packed weights: every layer and direction's kernel holder
 * and the head's, loaded together from one set of parameter values. A pass computes with one
 * version from its start to its end, so it never mixes the weights of two updates (see
 * {@link StackWeights} for how versions are published and recycled).
 *
 * <p>Readers count themselves in and out; a version is loaded again only when it is neither the
 * published one nor read by anyone, so its holders never change under a pass.
 */
final class WeightVersion {
    private static final VarHandle READERS;

    static {
        try {
            READERS = MethodHandles.lookup().findVarHandle(WeightVersion.class, "readers", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final RecurrentWeights[] recurrent;
    private final HeadWeights head;
    /**
     * The version number, written by the publisher just before it publishes this version. Readers
     * that hold the version see the number it was published with; volatile so that a reader that
     * merely looks ({@link Model#parameterVersion()}) reads a whole number, never a torn one.
     */
    private volatile long number;
    /** Passes computing with this version now; changed only through {@link #READERS}. */
    @SuppressWarnings("unused")
    private volatile int readers;

    /**
     * @param recurrent every layer and direction's holder, index {@code l·D + d}; kept, not copied
     * @param head the head's holder, or null without a head
     */
    WeightVersion(RecurrentWeights[] recurrent, HeadWeights head) {
        this.recurrent = recurrent;
        this.head = head;
    }

    /** @return the weights of cell {@code l·D + d} */
    RecurrentWeights recurrent(int layerDirection) {
        return recurrent[layerDirection];
    }

    /** @return the head's weights, or null when the model has no head */
    HeadWeights head() {
        return head;
    }

    /** @return the number this version was published as: 1 for a model's first parameters, +1 per load */
    long number() {
        return number;
    }

    void number(long number) {
        this.number = number;
    }

    void enter() {
        READERS.getAndAdd(this, 1);
    }

    void leave() {
        READERS.getAndAdd(this, -1);
    }

    /** @return whether no pass is reading this version */
    boolean idle() {
        return (int) READERS.getVolatile(this) == 0;
    }
}
