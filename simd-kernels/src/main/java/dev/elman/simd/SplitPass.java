package dev.elman.simd;

import dev.elman.kernels.RecurrentGradients;
import dev.elman.kernels.Team;

/**
 * A recurrent pass shared with a team: the arguments of one {@link VectorKernels} forward or
 * backward call, held by the workspace (one per workspace, so handing a pass to the team allocates
 * nothing), and each participant's share of it.
 *
 * <p>Every participant projects (forward) or computes the weight gradients (backward) of a fixed
 * share of rows or hidden units, over the whole span; the recurrence is shared as the
 * {@link SpanSplit} says. Shares are whole rows, whole sequences or whole column blocks, and every
 * element is computed in the one order of {@link RegisterTiles}, so the result is the one-thread
 * result bit for bit whatever the number of participants.
 */
final class SplitPass implements Team.Task {
    private final SpanWorkspace workspace;
    /** The chunks of the pass's independent products, claimed by whichever participant is free. */
    private final ClaimedChunks chunks = new ClaimedChunks();

    private boolean backward;
    private SpanSplit split;
    private PackedLayer layer;
    private int steps;
    private int batch;
    private boolean reverse;
    private float[] x;
    private int xOffset;
    private float[] h0;
    private float[] h;
    private int hOffset;
    private int[] lengths;
    private boolean padded;
    private float[] dh;
    private int dhOffset;
    private float[] dhLast;
    private RecurrentGradients gradients;
    private float[] dx;
    private int dxOffset;
    private float[] dh0;

    SplitPass(SpanWorkspace workspace) {
        this.workspace = workspace;
    }

    void forward(SpanSplit split, PackedLayer layer, int steps, int batch, boolean reverse, float[] x, int xOffset,
                 float[] h0, float[] h, int hOffset, int[] lengths) {
        this.backward = false;
        set(split, layer, steps, batch, reverse, x, xOffset, h0, h, hOffset, lengths);
    }

    void backward(SpanSplit split, PackedLayer layer, int steps, int batch, boolean reverse, float[] x, int xOffset,
                  float[] h0, float[] h, int hOffset, int[] lengths, boolean padded, float[] dh, int dhOffset,
                  float[] dhLast, RecurrentGradients gradients, float[] dx, int dxOffset, float[] dh0) {
        this.backward = true;
        set(split, layer, steps, batch, reverse, x, xOffset, h0, h, hOffset, lengths);
        this.padded = padded;
        this.dh = dh;
        this.dhOffset = dhOffset;
        this.dhLast = dhLast;
        this.gradients = gradients;
        this.dx = dx;
        this.dxOffset = dxOffset;
        this.dh0 = dh0;
    }

    private void set(SpanSplit split, PackedLayer layer, int steps, int batch, boolean reverse, float[] x,
                     int xOffset, float[] h0, float[] h, int hOffset, int[] lengths) {
        chunks.resetAll();
        this.split = split;
        this.layer = layer;
        this.steps = steps;
        this.batch = batch;
        this.reverse = reverse;
        this.x = x;
        this.xOffset = xOffset;
        this.h0 = h0;
        this.h = h;
        this.hOffset = hOffset;
        this.lengths = lengths;
    }

    /** Drops the references to the caller's arrays once the pass is over. */
    void clear() {
        x = null;
        h0 = null;
        h = null;
        lengths = null;
        dh = null;
        dhLast = null;
        gradients = null;
        dx = null;
        dh0 = null;
        layer = null;
    }

    @Override
    public void run(int participant, int participants) {
        if (backward) {
            backwardShare(participant, participants);
        } else {
            forwardShare(participant, participants);
        }
    }

    private void forwardShare(int p, int n) {
        Team team = workspace.team();
        int hidden = layer.hiddenSize();
        int slices = slices(n);
        int block = VectorKernels.blockSteps(steps, batch, hidden);
        for (int s0 = 0, b = 0; s0 < steps; s0 += block, b++) {
            int s1 = Math.min(steps, s0 + block);
            // Blocks claim their rows from two counters in turn. The other counter served the block
            // before, whose claims all ended before its barrier: nobody claims from it until the
            // next block, after the barrier below has published this reset.
            int counter = (b & 1) == 0 ? ClaimedChunks.FORWARD_EVEN : ClaimedChunks.FORWARD_ODD;
            VectorKernels.projectSteps(layer, steps, batch, s0, s1, p, n, reverse, x, xOffset, h, hOffset,
                    workspace.blocks, p * workspace.blockFloats, chunks, counter);
            if (p == 0) {
                chunks.reset(counter ^ 1);
            }
            // Every row's projection is in h before any step reads it.
            team.await();
            if (split == SpanSplit.BATCH) {
                if (p < slices) {
                    VectorKernels.recurSequences(layer, steps, batch, SpanSplit.shareStart(p, slices, batch),
                            SpanSplit.shareStart(p + 1, slices, batch), s0, s1, reverse, h0, h, hOffset, lengths,
                            workspace.blocks, p * workspace.blockFloats);
                }
            } else {
                VectorKernels.recurColumns(layer, steps, batch, SpanSplit.columnStart(p, n, hidden),
                        SpanSplit.columnStart(p + 1, n, hidden), s0, s1, reverse, h0, h, hOffset, lengths, team,
                        workspace.blocks, p * workspace.blockFloats);
            }
        }
    }

    private void backwardShare(int p, int n) {
        Team team = workspace.team();
        int hidden = layer.hiddenSize();
        if (split == SpanSplit.BATCH) {
            int slices = slices(n);
            int from = p < slices ? SpanSplit.shareStart(p, slices, batch) : 0;
            int to = p < slices ? SpanSplit.shareStart(p + 1, slices, batch) : 0;
            // A slice of sequences runs its whole time loop alone: no barrier per step.
            timeLoop(from, to, 0, hidden, Team.SOLO);
        } else {
            timeLoop(0, batch, SpanSplit.columnStart(p, n, hidden), SpanSplit.columnStart(p + 1, n, hidden), team);
        }
        // Every dz of the span is in the workspace before the weight gradients read it.
        team.await();
        VectorKernels.weightGradients(layer, workspace, steps, batch, p, n, reverse, x, xOffset, h0, h, hOffset,
                gradients, dx, dxOffset);
    }

    private void timeLoop(int from, int to, int colFrom, int colTo, Team team) {
        if (padded) {
            VectorKernels.paddedTimeLoop(layer, workspace, steps, batch, from, to, colFrom, colTo, reverse, h, hOffset,
                    lengths, dh, dhOffset, dhLast, dh0, team);
        } else {
            VectorKernels.timeLoop(layer, steps, batch, from, to, colFrom, colTo, reverse, h, hOffset, dh, dhOffset,
                    dhLast, workspace.dz, dh0, team);
        }
    }

    /** The slices of a batch split: at most one per participant, each of at least {@link SpanSplit#MIN_SLICE_SEQUENCES}. */
    private int slices(int n) {
        return Math.max(1, Math.min(n, batch / SpanSplit.MIN_SLICE_SEQUENCES));
    }
}
