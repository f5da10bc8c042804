package dev.elman.kernels;

import java.util.Objects;

/**
 * Scratch memory for recurrent passes, sized once so that no pass allocates.
 *
 * <p>Made by {@link RecurrentKernels#newWorkspace} for the largest layer and span it will serve; a
 * pass accepts it when the layer's sizes and the span's steps and batch are within those bounds.
 * A workspace holds no state between passes that a caller can observe, but it is written during a
 * pass, so each thread needs its own.
 *
 * <p>A workspace made for {@link WorkspacePurpose#INFERENCE} serves forward passes only and holds
 * none of the room a backward pass needs; one made for {@link WorkspacePurpose#TRAINING} serves
 * every pass.
 */
public abstract class Workspace {
    private final RecurrentKernels kernels;
    private final int maxInputSize;
    private final int maxHiddenSize;
    private final int maxSteps;
    private final int maxBatch;
    private final Team team;
    private final WorkspacePurpose purpose;

    /**
     * Records the bounds of a training workspace; subclasses allocate their buffers for them.
     *
     * @param kernels the implementation that owns this instance
     * @param maxInputSize the largest I served
     * @param maxHiddenSize the largest H served
     * @param maxSteps the longest span served
     * @param maxBatch the largest batch served
     * @throws IllegalArgumentException when a bound is below 1
     */
    protected Workspace(RecurrentKernels kernels, int maxInputSize, int maxHiddenSize, int maxSteps, int maxBatch) {
        this(kernels, maxInputSize, maxHiddenSize, maxSteps, maxBatch, Team.SOLO);
    }

    /**
     * Records the bounds of a training workspace and the team the passes share their work with;
     * subclasses allocate their buffers for them.
     *
     * @param kernels the implementation that owns this instance
     * @param maxInputSize the largest I served
     * @param maxHiddenSize the largest H served
     * @param maxSteps the longest span served
     * @param maxBatch the largest batch served
     * @param team the threads of every pass with this workspace ({@link Team#SOLO}: the caller's alone)
     * @throws IllegalArgumentException when a bound is below 1 or the team is null
     */
    protected Workspace(RecurrentKernels kernels, int maxInputSize, int maxHiddenSize, int maxSteps, int maxBatch,
                        Team team) {
        this(kernels, maxInputSize, maxHiddenSize, maxSteps, maxBatch, team, WorkspacePurpose.TRAINING);
    }

    /**
     * Records the bounds, the team and what the workspace is for; subclasses allocate their
     * buffers for them (for {@link WorkspacePurpose#INFERENCE}, only what forward passes use).
     *
     * @param kernels the implementation that owns this instance
     * @param maxInputSize the largest I served
     * @param maxHiddenSize the largest H served
     * @param maxSteps the longest span served
     * @param maxBatch the largest batch served
     * @param team the threads of every pass with this workspace ({@link Team#SOLO}: the caller's alone)
     * @param purpose the passes it serves
     * @throws IllegalArgumentException when a bound is below 1, or the team or purpose is null
     */
    protected Workspace(RecurrentKernels kernels, int maxInputSize, int maxHiddenSize, int maxSteps, int maxBatch,
                        Team team, WorkspacePurpose purpose) {
        if (purpose == null) {
            throw new IllegalArgumentException("purpose must not be null (WorkspacePurpose.INFERENCE or TRAINING)");
        }
        this.purpose = purpose;
        if (team == null) {
            throw new IllegalArgumentException("team must not be null (Team.SOLO runs on the calling thread)");
        }
        this.team = team;
        this.kernels = Objects.requireNonNull(kernels, "kernels");
        this.maxInputSize = Checks.positive("maxInputSize", maxInputSize);
        this.maxHiddenSize = Checks.positive("maxHiddenSize", maxHiddenSize);
        this.maxSteps = Checks.positive("maxSteps", maxSteps);
        this.maxBatch = Checks.positive("maxBatch", maxBatch);
    }

    /** @return the kernels that own this instance */
    public final RecurrentKernels kernels() {
        return kernels;
    }

    /** @return the largest input size I this workspace serves */
    public final int maxInputSize() {
        return maxInputSize;
    }

    /** @return the largest hidden size H this workspace serves */
    public final int maxHiddenSize() {
        return maxHiddenSize;
    }

    /** @return the longest span, in steps, this workspace serves */
    public final int maxSteps() {
        return maxSteps;
    }

    /** @return the largest batch this workspace serves */
    public final int maxBatch() {
        return maxBatch;
    }

    /** @return the team the passes with this workspace share their work with */
    public final Team team() {
        return team;
    }

    /** @return the passes this workspace serves: {@link WorkspacePurpose#INFERENCE} refuses backward ones */
    public final WorkspacePurpose purpose() {
        return purpose;
    }
}
