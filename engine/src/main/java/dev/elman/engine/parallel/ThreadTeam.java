package dev.elman.engine.parallel;

import dev.elman.kernels.Team;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed team of threads that runs one {@link Team.Task} at a time on all of them: the calling
 * thread is participant 0, and {@code threads - 1} worker threads, started once by the
 * constructor, are participants 1 to {@code threads - 1}.
 *
 * <pre>{@code
 * try (ThreadTeam team = new ThreadTeam(Parallelism.defaultThreads())) {
 *     team.run((p, n) -> forwardSlice(p * batch / n, (p + 1) * batch / n));
 * }
 * }</pre>
 *
 * <h2>Why not an executor</h2>
 * A pass dispatches work once per batch or once per layer, and a row split synchronises once per
 * time step, so the hand-off must cost far less than the microseconds a step takes. An executor
 * allocates a future per task, goes through a queue and wakes a thread through the scheduler
 * every time. Here a run publishes the task by advancing a generation number the workers watch,
 * and it allocates nothing: workers that finished the previous task recently are still spinning on
 * that number and start at once; only workers that have parked (after a spin of some tens of
 * microseconds with nothing to do) are unparked, so an idle team costs no processor time.
 *
 * <h2>Memory ordering</h2>
 * The caller's writes before {@code run} are visible to every participant: the generation is a
 * volatile variable the caller writes after them and the workers read before running the task.
 * Every participant's writes in the task are visible to the caller after {@code run} returns:
 * each worker counts itself down on a volatile completion counter after its share, and the caller
 * returns only after reading that counter at zero. Between the participants inside a task, the
 * {@link #barrier() barrier} orders what each wrote before {@link TeamBarrier#await()} before what
 * all do after it.
 *
 * <h2>Failures</h2>
 * When a participant throws, the others run to the end of their shares (or stop at the
 * {@linkplain TeamBarrier barrier}, which the failure breaks); {@code run} returns only after all
 * participants have finished, and then throws the failure: a {@link RuntimeException} or
 * {@link Error} as it is, the same object with the stack trace of the thread that threw it (a
 * checked exception, which a task can only throw by cheating the compiler, wrapped in a
 * {@link CompletionException}). When several participants fail, the lowest-numbered one's
 * failure is thrown and the others are {@linkplain Throwable#getSuppressed() suppressed} in it.
 * The team stays usable after a failed task.
 *
 * <h2>One caller at a time</h2>
 * A team serves one caller at a time and never queues: a {@code run} while another thread's run
 * is in progress throws {@link IllegalStateException} rather than silently serialising callers
 * that each expected the whole team. {@link #tryRun} returns {@code false} instead, for callers
 * that can compute on their own thread when the team is busy. A {@code run} from inside a task of
 * the same team (re-entrancy, which would deadlock) throws {@link IllegalStateException} too.
 * Many threads computing at once (many sessions, many models) should each use their own team,
 * or teams of one thread; contending for one team is detected, never waited for.
 *
 * <h2>Lifecycle</h2>
 * A team of one thread starts no thread at all: {@code run} calls the task on the caller. Close a
 * team when done with it: {@link #close()} stops and joins the workers. The workers are daemon
 * threads, so a forgotten team does not keep the JVM from exiting, but its threads stay until
 * then. Interrupting the caller does not abandon a run (the workers may be writing into the
 * caller's buffers): the run completes and the interrupt status is kept for the caller.
 */
public final class ThreadTeam implements Team, AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.elman.engine");
    private static final AtomicInteger TEAM_NUMBERS = new AtomicInteger();
    /** How long {@link #close()} waits for the workers to exit. */
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(10);
    /** How often {@link #close()} looks whether another thread's run has finished. */
    private static final long CLOSE_POLL_NANOS = 100_000;

    private static final VarHandle OWNER;
    private static final VarHandle REMAINING;
    private static final VarHandle CLOSED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            OWNER = lookup.findVarHandle(ThreadTeam.class, "owner", Thread.class);
            REMAINING = lookup.findVarHandle(ThreadTeam.class, "remaining", int.class);
            CLOSED = lookup.findVarHandle(ThreadTeam.class, "closed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int participants;
    private final String name;
    private final TeamWorker[] workers;
    private final TeamBarrier barrier;
    private final TeamFailures failures;

    /** Advanced by one per run; its volatile write publishes the task to the workers. */
    private volatile int generation;
    /** Workers still running the current task. */
    private volatile int remaining;
    /** Whether the caller has stopped spinning and parks until the last worker unparks it. */
    private volatile boolean callerParked;
    /** The thread running a task, or closing the team; null when the team is free. */
    private volatile Thread owner;
    private volatile boolean closed;
    /** Tells the workers to exit; set only while no run is in progress or can start. */
    private volatile boolean stopping;

    /** The current task and its caller; written before and read after the generation. */
    private Team.Task task;
    private Thread caller;

    /**
     * Creates a team and starts its {@code threads - 1} worker threads, named
     * {@code elman-team-<number>-<participant>}.
     *
     * @param threads the number of participants, the calling thread included: 1 (no worker
     *        thread) to {@value Parallelism#MAX_THREADS}, e.g. {@link Parallelism#defaultThreads()}
     * @throws IllegalArgumentException when {@code threads} is out of that range
     */
    public ThreadTeam(int threads) {
        participants = Parallelism.checkThreads(threads, "threads");
        name = "elman-team-" + TEAM_NUMBERS.incrementAndGet();
        barrier = new TeamBarrier(participants);
        failures = new TeamFailures(participants);
        workers = new TeamWorker[participants - 1];
        for (int k = 1; k < participants; k++) {
            workers[k - 1] = new TeamWorker(this, k, name + "-" + k);
        }
        // Started last: Thread.start publishes every field written above to the new thread.
        for (TeamWorker worker : workers) {
            worker.start();
        }
    }

    /** @return the number of participants, the calling thread included */
    @Override
    public int threads() {
        return participants;
    }

    /** @return the team's name, {@code elman-team-<number>}, the prefix of its threads' names */
    public String name() {
        return name;
    }

    /**
     * The barrier the participants of a task wait at between the steps of a row split.
     *
     * @return this team's barrier, the same object for every task
     */
    public TeamBarrier barrier() {
        return barrier;
    }

    /**
     * Waits at the {@linkplain #barrier() barrier} until every participant of the running task has
     * arrived.
     *
     * @throws BrokenTeamBarrierException when another participant failed
     * @throws IllegalStateException when called outside a task of this team
     */
    @Override
    public void await() {
        barrier.await();
    }

    /**
     * Runs {@code task} once on every participant, participant 0 on the calling thread, and
     * returns when all have finished.
     *
     * @param task the task, not null
     * @throws IllegalStateException when the team is closed, is running another thread's task, or
     *         when called from inside one of its own tasks
     * @throws RuntimeException the failure of a participant, as it was thrown (see the class
     *         documentation)
     * @throws Error the failure of a participant, as it was thrown
     */
    public void run(Team.Task task) {
        Objects.requireNonNull(task, "task");
        acquire(true);
        execute(task);
    }

    /**
     * Runs {@code task} like {@link #run} if no other thread is running a task on this team, and
     * returns {@code false} at once otherwise, without running anything.
     *
     * @param task the task, not null
     * @return whether the task ran
     * @throws IllegalStateException when the team is closed, or when called from inside one of
     *         its own tasks
     * @throws RuntimeException the failure of a participant, as for {@link #run}
     * @throws Error the failure of a participant, as for {@link #run}
     */
    @Override
    public boolean tryRun(Team.Task task) {
        Objects.requireNonNull(task, "task");
        if (!acquire(false)) {
            return false;
        }
        execute(task);
        return true;
    }

    /**
     * Stops the workers and waits for them to exit. If another thread is running a task, that run
     * completes first. Later {@code run} and {@code tryRun} calls throw
     * {@link IllegalStateException}; closing again returns at once.
     *
     * @throws IllegalStateException when called from inside one of the team's own tasks
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (insideOwnTask(Thread.currentThread())) {
            throw new IllegalStateException(name + ": close() called from inside one of its own tasks; "
                    + "close the team after run returns");
        }
        if (!CLOSED.compareAndSet(this, false, true)) {
            return;
        }
        // Owning the team means no run is in progress; a run starting later sees closed and fails.
        while (!OWNER.compareAndSet(this, null, Thread.currentThread())) {
            LockSupport.parkNanos(this, CLOSE_POLL_NANOS);
        }
        stopping = true;
        owner = null;
        for (TeamWorker worker : workers) {
            LockSupport.unpark(worker);
        }
        joinWorkers();
    }

    /** @return whether {@link #close()} has been called */
    public boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return name + " (" + participants + (participants == 1 ? " thread" : " threads")
                + (closed ? ", closed)" : ")");
    }

    int generation() {
        return generation;
    }

    boolean stopping() {
        return stopping;
    }

    /** Runs one participant's share of the current task; never throws. */
    void runShare(int participant) {
        try {
            task.run(participant, participants);
        } catch (Throwable failure) {
            failures.record(participant, failure);
            barrier.breakBarrier();
        }
        barrier.depart();
    }

    /** A worker's report that its share is done; the last one wakes a parked caller. */
    void finishShare() {
        if ((int) REMAINING.getAndAdd(this, -1) == 1 && callerParked) {
            LockSupport.unpark(caller);
        }
    }

    /** Takes ownership for the calling thread: true if taken, false if busy and not throwing. */
    private boolean acquire(boolean throwIfBusy) {
        Thread me = Thread.currentThread();
        if (me instanceof TeamWorker worker && worker.team() == this) {
            throw new IllegalStateException(name + ": run called from inside one of its own tasks (on "
                    + "worker " + me.getName() + "); a task must not start another run of its own team");
        }
        while (true) {
            if (closed) {
                throw closedException();
            }
            if (OWNER.compareAndSet(this, null, me)) {
                if (closed) {
                    owner = null;
                    throw closedException();
                }
                return true;
            }
            Thread holder = owner;
            if (closed) {
                throw closedException();
            }
            if (holder == me) {
                throw new IllegalStateException(name + ": run called from inside one of its own tasks (on "
                        + "the calling thread " + me.getName() + "); a task must not start another run of its "
                        + "own team");
            }
            if (holder != null) {
                if (!throwIfBusy) {
                    return false;
                }
                throw new IllegalStateException(name + " is busy running a task for thread " + holder.getName()
                        + ": a team serves one caller at a time; give each concurrent caller its own team, "
                        + "or use tryRun and compute on the calling thread when the team is busy");
            }
            // The holder released the team between the two reads: try again.
        }
    }

    /** Runs the task on every participant; the calling thread owns the team. */
    private void execute(Team.Task task) {
        this.task = task;
        barrier.arm();
        boolean interrupted = false;
        if (workers.length == 0) {
            runShare(0);
        } else {
            caller = Thread.currentThread();
            remaining = workers.length;
            generation = generation + 1;
            for (TeamWorker worker : workers) {
                if (worker.mayBeParked()) {
                    LockSupport.unpark(worker);
                }
            }
            runShare(0);
            interrupted = awaitWorkers();
            caller = null;
        }
        barrier.disarm();
        this.task = null;
        Throwable failure = failures.collect();
        owner = null;
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw asUnchecked(failure);
        }
    }

    /**
     * Waits until every worker has finished its share: spins for the {@link SpinBudget}, then
     * parks until the last worker unparks it (the same set-flag-then-check handshake as the
     * workers' parking, see {@link TeamWorker}).
     *
     * @return whether the caller was interrupted while it waited
     */
    private boolean awaitWorkers() {
        long spinStart = System.nanoTime();
        do {
            for (int i = 0; i < SpinBudget.CHECKS_PER_CLOCK_READ; i++) {
                if (remaining == 0) {
                    return false;
                }
                Thread.onSpinWait();
            }
        } while (System.nanoTime() - spinStart < SpinBudget.NANOS);
        boolean interrupted = false;
        callerParked = true;
        while (remaining != 0) {
            LockSupport.park(this);
            // An interrupt would make park return at once; remember it and keep waiting quietly.
            interrupted |= Thread.interrupted();
        }
        callerParked = false;
        return interrupted;
    }

    private boolean insideOwnTask(Thread thread) {
        return owner == thread || thread instanceof TeamWorker worker && worker.team() == this;
    }

    private void joinWorkers() {
        long deadline = System.nanoTime() + JOIN_TIMEOUT.toNanos();
        boolean interrupted = false;
        for (TeamWorker worker : workers) {
            try {
                worker.join(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                interrupted = true;
                break;
            }
        }
        for (TeamWorker worker : workers) {
            if (worker.isAlive()) {
                LOG.log(System.Logger.Level.WARNING, name + ": worker " + worker.getName()
                        + " has not exited after close(); it is a daemon thread and ends with the JVM");
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private IllegalStateException closedException() {
        return new IllegalStateException(name + " is closed");
    }

    private static RuntimeException asUnchecked(Throwable failure) {
        if (failure instanceof RuntimeException unchecked) {
            return unchecked;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        return new CompletionException("a ThreadTeam task threw a checked exception", failure);
    }
}
