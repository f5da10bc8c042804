package dev.elman.engine.model;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ConcurrentModificationException;

/**
 * Detects a stateful object entered by a second thread while a first is still inside: the one
 * misuse across threads that no design can make safe (a session's state is one sequence of steps).
 * Entering is one compare-and-set of a field only this object's threads touch, and leaving one
 * release store, so the check costs a few nanoseconds and allocates nothing; the loser of a race
 * gets a {@link ConcurrentModificationException} before it has touched anything, and the winner's
 * call completes as if alone.
 *
 * <p>The release store on leaving and the compare-and-set on entering also order everything the
 * previous holder wrote before the next holder reads it, so an object handed from one thread to
 * another between calls needs no further synchronisation.
 */
final class EntryGuard {
    private static final VarHandle OCCUPANT;

    static {
        try {
            OCCUPANT = MethodHandles.lookup().findVarHandle(EntryGuard.class, "occupant", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** What the guarded object is called in messages, e.g. "StreamingSession". */
    private final String owner;
    /** The thread inside a guarded call, or null; written only through {@link #OCCUPANT}. */
    @SuppressWarnings("unused")
    private volatile Thread occupant;

    /** @param owner what the guarded object is called in messages, with its identity */
    EntryGuard(String owner) {
        this.owner = owner;
    }

    /**
     * Marks the calling thread as inside; pair with {@link #leave()} in a {@code finally}.
     *
     * @param operation the method entered, for the message
     * @throws ConcurrentModificationException when another thread is inside (or this thread is,
     *     from a callback: the object is not re-entrant either)
     */
    void enter(String operation) {
        Thread me = Thread.currentThread();
        if (!OCCUPANT.compareAndSet(this, (Thread) null, me)) {
            throw busy(me, operation);
        }
    }

    /** Marks the object as free again. */
    void leave() {
        OCCUPANT.setRelease(this, (Thread) null);
    }

    private ConcurrentModificationException busy(Thread me, String operation) {
        Thread inside = (Thread) OCCUPANT.getVolatile(this);
        String who = inside == null ? "another thread" : inside == me ? "this same thread (re-entered from a callback)"
                : "thread \"" + inside.getName() + "\"";
        return new ConcurrentModificationException(owner + ": thread \"" + me.getName() + "\" called " + operation
                + " while " + who + " was inside it; it belongs to one thread at a time (give each thread its own,"
                + " or hand it over between calls), so this call was refused and changed nothing");
    }
}
