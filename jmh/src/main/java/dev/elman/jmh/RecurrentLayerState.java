package dev.elman.jmh;

import dev.elman.engine.KernelSelection;
import dev.elman.engine.parallel.ThreadTeam;
import dev.elman.kernels.Activation;
import dev.elman.kernels.RecurrentGradients;
import dev.elman.kernels.RecurrentKernels;
import dev.elman.kernels.RecurrentWeights;
import dev.elman.kernels.WeightPrecision;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.Arrays;

/**
 * The state the kernel benchmarks ({@link KernelBenchmark}, {@link SpanBenchmark}) measure on:
 * one tanh layer with bias and {@code I = H} at the kernel interface, its gradient sums, random
 * inputs for a run of steps, and the buffers the runs write. Built once per trial by
 * {@link #buildLayer}, from {@link SeededLayer}'s seed, so both benchmarks (and ONNX Runtime's
 * {@link OrtKernelBenchmark}) see the same weights and inputs for the same sizes.
 *
 * <p>The benchmarks extend this class rather than take it as a {@code @Benchmark} argument: they
 * sweep different {@code @Param} values (and a state class's {@code @Param} fields would give both
 * one sweep), and their measured methods then read these fields as their own. Workspaces are the
 * benchmarks' own, since their number and length are what distinguishes them; they make them with
 * {@link #team}, the {@code threads} the benchmark's parameter asks for. The team's workers are the
 * engine's: JMH itself runs each benchmark on one thread.
 */
@State(Scope.Thread)
public abstract class RecurrentLayerState {
    /** The kernels under measurement. */
    protected RecurrentKernels implementation;
    /** {@code Wx [H×H]}, {@code Wh [H×H]}, {@code b [H]}, PyTorch-initialised. */
    protected RecurrentWeights weights;
    /** The sums backward passes accumulate into. */
    protected RecurrentGradients gradients;
    /** Inputs {@code [steps][B][H]}, uniform in ±1. */
    protected float[] x;
    /** States {@code [steps][B][H]}, written by forward passes. */
    protected float[] h;
    /** Input gradients {@code [steps][B][H]}, written by backward passes. */
    protected float[] dx;
    /** {@code dL/dh_t = 1} for every step of a window ({@code L = Σ h_t}, the peers' loss). */
    protected float[] ones;
    /** The state carried from one span to the next, {@code [B][H]}. */
    protected float[] carried;
    /** The threads every pass shares its work with, the benchmark's thread included; closed in {@link #closeTeam}. */
    protected ThreadTeam team;
    /** The values {@link #weights} were loaded with, kept for {@link #newWeights} in other precisions. */
    private SeededLayer layer;

    /**
     * Builds the layer, its inputs and the buffers, outside any measurement.
     *
     * @param kernels {@code simd}, {@code reference} or {@code auto}, as {@link KernelSelection#choose} takes them
     * @param hidden H, and I = H
     * @param batch B
     * @param steps the steps that {@link #x}, {@link #h} and {@link #dx} hold
     * @param window the steps {@link #ones} covers: one backward span
     */
    protected final void buildLayer(String kernels, int hidden, int batch, int steps, int window) {
        implementation = KernelSelection.choose(kernels).kernels();
        int inputSize = hidden;
        layer = SeededLayer.draw(hidden, batch, steps);
        weights = newWeights(WeightPrecision.F32);
        gradients = RecurrentGradients.of(weights);
        x = layer.inputs();
        h = new float[steps * batch * hidden];
        dx = new float[steps * batch * inputSize];
        ones = new float[window * batch * hidden];
        Arrays.fill(ones, 1f);
        carried = new float[batch * hidden];
    }

    /**
     * A holder of this layer's weights (the values {@link #weights} holds) stored in another
     * precision, for a forward benchmark of reduced weights; a reduced holder has no backward.
     *
     * @param precision how {@code Wx} and {@code Wh} are stored
     * @return a new holder, loaded
     * @throws IllegalStateException when called before {@link #buildLayer}
     */
    protected final RecurrentWeights newWeights(WeightPrecision precision) {
        if (layer == null) {
            throw new IllegalStateException("newWeights needs the layer: call buildLayer first");
        }
        int hidden = layer.bias().length;
        int inputSize = hidden;
        RecurrentWeights holder = implementation.newRecurrentWeights(inputSize, hidden, Activation.TANH, 0f, true, precision);
        holder.load(layer.inputWeights(), layer.recurrentWeights(), layer.bias());
        return holder;
    }

    /**
     * Starts the team the workspaces are made with, closing the previous trial's.
     *
     * @param threads the team's participants, the benchmark's own thread included
     */
    protected final void openTeam(int threads) {
        closeTeam();
        team = new ThreadTeam(threads);
    }

    /** Stops the team's workers at the end of the trial. */
    @TearDown(Level.Trial)
    public void closeTeam() {
        if (team != null) {
            team.close();
            team = null;
        }
    }
}
