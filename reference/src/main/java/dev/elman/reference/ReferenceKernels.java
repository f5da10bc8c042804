package dev.elman.reference;

import dev.elman.kernels.Activation;
import dev.elman.kernels.CheckedKernels;
import dev.elman.kernels.HeadGradients;
import dev.elman.kernels.HeadWeights;
import dev.elman.kernels.RecurrentGradients;
import dev.elman.kernels.RecurrentKernels;
import dev.elman.kernels.RecurrentWeights;
import dev.elman.kernels.Team;
import dev.elman.kernels.WeightPrecision;
import dev.elman.kernels.Workspace;
import dev.elman.kernels.WorkspacePurpose;

import java.util.Arrays;

/**
 * The executable specification of {@link RecurrentKernels}: the equations as plain loops in
 * {@link ReferenceRecurrence}, computed in double precision.
 *
 * <p>A recurrent span is computed entirely in double, including the state carried from step to
 * step, and rounded to float once on the way out; gradient sums are added to the caller's float
 * accumulators with one rounding per element per pass. Its results are therefore within a few
 * float roundings of the exact answer for the given float inputs, which is what makes it the oracle
 * the other implementations are tested against. It is slow by design and never optimised.
 */
public final class ReferenceKernels extends CheckedKernels {

    /** Creates the reference implementation; it holds no state of its own. */
    public ReferenceKernels() {
    }

    @Override
    public String name() {
        return "reference";
    }

    @Override
    public RecurrentWeights newRecurrentWeights(int inputSize, int hiddenSize, Activation activation, float clip,
                                                boolean bias, WeightPrecision precision) {
        return new Layer(this, inputSize, hiddenSize, activation, clip, bias, precision);
    }

    @Override
    public HeadWeights newHeadWeights(int inputSize, int outputSize, boolean bias) {
        return new Head(this, inputSize, outputSize, bias);
    }

    /**
     * {@inheritDoc}
     *
     * <p>The reference is the oracle, a transcription of the equations: it runs every pass on the
     * calling thread whatever the team, so its results are those of one thread by construction.
     */
    @Override
    public Workspace newWorkspace(int maxInputSize, int maxHiddenSize, int maxSteps, int maxBatch, Team team) {
        return newWorkspace(maxInputSize, maxHiddenSize, maxSteps, maxBatch, team, WorkspacePurpose.TRAINING);
    }

    /**
     * {@inheritDoc}
     *
     * <p>An inference workspace holds the double copies of {@code x}, {@code h0} and {@code h}
     * only.
     */
    @Override
    public Workspace newWorkspace(int maxInputSize, int maxHiddenSize, int maxSteps, int maxBatch, Team team,
                                  WorkspacePurpose purpose) {
        return new Scratch(this, maxInputSize, maxHiddenSize, maxSteps, maxBatch, team, purpose);
    }

    @Override
    protected void forwardChecked(RecurrentWeights weights, Workspace workspace, int steps, int batch,
                                  boolean reverse, float[] x, int xOffset, float[] h0, float[] h, int hOffset,
                                  int[] lengths) {
        Layer layer = (Layer) weights;
        Scratch scratch = (Scratch) workspace;
        int inputSize = layer.inputSize();
        int stateCount = batch * layer.hiddenSize();
        int hCount = steps * stateCount;
        double[] x64 = widen(x, xOffset, steps * batch * inputSize, scratch.x);
        double[] h064 = h0 == null ? null : widen(h0, 0, stateCount, scratch.h0);
        ReferenceRecurrence.forward(layer.activation(), layer.clip(), inputSize, layer.hiddenSize(), layer.wx, layer.wh,
                layer.b,
                steps, batch, reverse, x64, h064, scratch.h, lengths);
        narrow(scratch.h, hCount, h, hOffset);
    }

    @Override
    protected void backwardChecked(RecurrentWeights weights, Workspace workspace, int steps, int batch,
                                   boolean reverse, float[] x, int xOffset, float[] h0, float[] h, int hOffset,
                                   int[] lengths, float[] dh, int dhOffset, float[] dhLast,
                                   RecurrentGradients gradients, float[] dx, int dxOffset, float[] dh0) {
        Layer layer = (Layer) weights;
        Scratch scratch = (Scratch) workspace;
        int inputSize = layer.inputSize();
        int hiddenSize = layer.hiddenSize();
        int stateCount = batch * hiddenSize;
        int hCount = steps * stateCount;
        int xCount = steps * batch * inputSize;

        double[] x64 = widen(x, xOffset, xCount, scratch.x);
        double[] h064 = h0 == null ? null : widen(h0, 0, stateCount, scratch.h0);
        double[] h64 = widen(h, hOffset, hCount, scratch.h);
        double[] dh64 = dh == null ? null : widen(dh, dhOffset, hCount, scratch.dh);
        if (dhLast == null) {
            Arrays.fill(scratch.carry, 0, stateCount, 0.0);
        } else {
            widen(dhLast, 0, stateCount, scratch.carry);
        }
        int wxCount = hiddenSize * inputSize;
        int whCount = hiddenSize * hiddenSize;
        Arrays.fill(scratch.dWx, 0, wxCount, 0.0);
        Arrays.fill(scratch.dWh, 0, whCount, 0.0);
        Arrays.fill(scratch.db, 0, hiddenSize, 0.0);

        // h arrives rounded to float, so the clipped outputs it is compared with are the float ones.
        ReferenceRecurrence.backward(layer.activation(), layer.clippedLow(), layer.clippedHigh(), inputSize,
                hiddenSize, layer.wx, layer.wh,
                steps, batch, reverse, x64, h064, h64, lengths, dh64, scratch.carry, scratch.dz,
                scratch.dWx, scratch.dWh, layer.hasBias() ? scratch.db : null, dx == null ? null : scratch.dx);

        accumulate(scratch.dWx, wxCount, gradients.dWx());
        accumulate(scratch.dWh, whCount, gradients.dWh());
        if (layer.hasBias()) {
            accumulate(scratch.db, hiddenSize, gradients.db());
        }
        if (dx != null) {
            narrow(scratch.dx, xCount, dx, dxOffset);
        }
        if (dh0 != null) {
            narrow(scratch.carry, stateCount, dh0, 0);
        }
    }

    @Override
    protected void headForwardChecked(HeadWeights weights, int rows, float[] h, int hOffset, float[] y, int yOffset) {
        Head head = (Head) weights;
        ReferenceRecurrence.headForward(head.inputSize(), head.outputSize(), head.w, head.b, rows, h, hOffset, y, yOffset);
    }

    @Override
    protected void headBackwardChecked(HeadWeights weights, int rows, float[] h, int hOffset, float[] dy,
                                       int dyOffset, HeadGradients gradients, float[] dh, int dhOffset) {
        Head head = (Head) weights;
        ReferenceRecurrence.headBackward(head.inputSize(), head.outputSize(), head.w, rows, h, hOffset, dy, dyOffset,
                gradients.dW(), gradients.db(), dh, dhOffset);
    }

    private static double[] widen(float[] source, int offset, int count, double[] target) {
        for (int i = 0; i < count; i++) {
            target[i] = source[offset + i];
        }
        return target;
    }

    private static void narrow(double[] source, int count, float[] target, int offset) {
        for (int i = 0; i < count; i++) {
            target[offset + i] = (float) source[i];
        }
    }

    private static void accumulate(double[] sum, int count, float[] target) {
        for (int i = 0; i < count; i++) {
            target[i] = (float) (target[i] + sum[i]);
        }
    }

    /**
     * Widens a parameter array into the holder's previous copy (a holder's shapes never change, and
     * {@code load} never runs during a pass), so reloading after each update allocates nothing.
     */
    private static double[] widenAll(float[] source, double[] previous) {
        if (source == null) {
            return null;
        }
        double[] target = previous != null && previous.length == source.length ? previous : new double[source.length];
        return widen(source, 0, source.length, target);
    }

    /** A recurrent layer's parameters, held in double. */
    private static final class Layer extends RecurrentWeights {
        private double[] wx;
        private double[] wh;
        private double[] b;

        /** The rounded weights of a reduced precision before they are widened; null for f32. */
        private final float[] roundedWx;
        private final float[] roundedWh;

        Layer(ReferenceKernels kernels, int inputSize, int hiddenSize, Activation activation, float clip,
              boolean bias, WeightPrecision precision) {
            super(kernels, inputSize, hiddenSize, activation, clip, bias, precision);
            boolean reduced = precision != WeightPrecision.F32;
            roundedWx = reduced ? new float[Math.multiplyExact(hiddenSize, inputSize)] : null;
            roundedWh = reduced ? new float[Math.multiplyExact(hiddenSize, hiddenSize)] : null;
        }

        @Override
        protected void pack(float[] wx, float[] wh, float[] b) {
            // A reduced precision is the oracle of its fast kernels: the equations on the rounded
            // weights, every other value as for f32.
            if (roundedWx != null) {
                precision().round(wx, hiddenSize(), inputSize(), roundedWx);
                precision().round(wh, hiddenSize(), hiddenSize(), roundedWh);
                wx = roundedWx;
                wh = roundedWh;
            }
            this.wx = widenAll(wx, this.wx);
            this.wh = widenAll(wh, this.wh);
            this.b = widenAll(b, this.b);
        }
    }

    /** The head's parameters, held in double. */
    private static final class Head extends HeadWeights {
        private double[] w;
        private double[] b;

        Head(ReferenceKernels kernels, int inputSize, int outputSize, boolean bias) {
            super(kernels, inputSize, outputSize, bias);
        }

        @Override
        protected void pack(float[] w, float[] b) {
            this.w = widenAll(w, this.w);
            this.b = widenAll(b, this.b);
        }
    }

    /** Double copies of a span's arrays, so the loops run in double without allocating. */
    private static final class Scratch extends Workspace {
        final double[] x;
        final double[] h0;
        final double[] h;
        final double[] dh;
        final double[] dx;
        final double[] carry;
        final double[] dz;
        final double[] dWx;
        final double[] dWh;
        final double[] db;

        Scratch(ReferenceKernels kernels, int maxInputSize, int maxHiddenSize, int maxSteps, int maxBatch, Team team,
                WorkspacePurpose purpose) {
            super(kernels, maxInputSize, maxHiddenSize, maxSteps, maxBatch, team, purpose);
            int xCount = size((long) maxSteps * maxBatch * maxInputSize);
            int hCount = size((long) maxSteps * maxBatch * maxHiddenSize);
            int stateCount = size((long) maxBatch * maxHiddenSize);
            x = new double[xCount];
            h = new double[hCount];
            h0 = new double[stateCount];
            // The rest serves backward passes only, which an inference workspace is refused.
            boolean training = purpose == WorkspacePurpose.TRAINING;
            dx = new double[training ? xCount : 0];
            dh = new double[training ? hCount : 0];
            carry = new double[training ? stateCount : 0];
            dz = new double[training ? stateCount : 0];
            dWx = new double[training ? size((long) maxHiddenSize * maxInputSize) : 0];
            dWh = new double[training ? size((long) maxHiddenSize * maxHiddenSize) : 0];
            db = new double[training ? maxHiddenSize : 0];
        }

        private static int size(long count) {
            if (count > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("workspace of " + count + " elements is more than a Java array holds");
            }
            return (int) count;
        }
    }
}
