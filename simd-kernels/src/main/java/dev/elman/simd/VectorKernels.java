package dev.elman.simd;

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
 * {@link RecurrentKernels} on the JDK incubator Vector API, float32 throughout.
 *
 * <p>Load this class only through {@link SimdSupport}: it links {@code jdk.incubator.vector}, which
 * a JVM started without {@code --add-modules jdk.incubator.vector} does not have.
 *
 * <h2>How a span is computed</h2>
 * Only the recurrence is sequential, so everything else is a matrix product over the whole span
 * ({@link Gemm}):
 * <ul>
 *   <li>forward: {@code Z = X·Wxᵀ + b} for all {@code T·B} rows at once, written straight into
 *       {@code h}; then per step only {@code h_t = φ(h_t + h_{t−1}·Whᵀ)}, the activation applied to
 *       each register tile as soon as it is written;</li>
 *   <li>backward: per step only {@code dz_{t−1} = φ'(h_{t−1})·(dh_{t−1} + dz_t·Wh)}, the derivative
 *       applied to the step's rows right after its product, every {@code dz_t} kept in the
 *       workspace; then
 *       {@code dWx += dZᵀ·X}, {@code dWh += dZᵀ·H_prev}, {@code db += Σ dZ} and
 *       {@code dX = dZ·Wx} as products over the span.</li>
 * </ul>
 * Weights are packed once per {@code load} into the forms these products stream through
 * ({@link PackedLayer}); nothing allocates during a pass.
 *
 * <h2>Accuracy</h2>
 * Sums are accumulated in float (fused multiply-adds in a blocked order), so a result differs from
 * the double reference by float rounding over the reduction length, propagated through the
 * recurrence, plus the activation's error ({@link VectorTanh}, {@link VectorActivation}); the
 * kernel tests state and check that bound.
 */
final class VectorKernels extends CheckedKernels {

    /** Creates the SIMD kernels; they hold no state of their own. Called by {@link SimdSupport#create}. */
    VectorKernels() {
    }

    @Override
    public String name() {
        return "simd";
    }

    @Override
    public RecurrentWeights newRecurrentWeights(int inputSize, int hiddenSize, Activation activation, float clip,
                                                boolean bias, WeightPrecision precision) {
        return new PackedLayer(this, inputSize, hiddenSize, activation, clip, bias, precision);
    }

    @Override
    public HeadWeights newHeadWeights(int inputSize, int outputSize, boolean bias) {
        return new PackedHead(this, inputSize, outputSize, bias);
    }

    @Override
    public Workspace newWorkspace(int maxInputSize, int maxHiddenSize, int maxSteps, int maxBatch, Team team) {
        return newWorkspace(maxInputSize, maxHiddenSize, maxSteps, maxBatch, team, WorkspacePurpose.TRAINING);
    }

    /**
     * {@inheritDoc}
     *
     * <p>An inference workspace holds no {@code dL/dz}, no weight gradient's product and no copy
     * panels: per participant only the widened block ({@link NarrowGemm#BLOCK_FLOATS} floats) of a
     * reduced-precision forward pass, when its spans are long enough to need one.
     */
    @Override
    public Workspace newWorkspace(int maxInputSize, int maxHiddenSize, int maxSteps, int maxBatch, Team team,
                                  WorkspacePurpose purpose) {
        return new SpanWorkspace(this, maxInputSize, maxHiddenSize, maxSteps, maxBatch, team, purpose);
    }

    @Override
    protected void forwardChecked(RecurrentWeights weights, Workspace workspace, int steps, int batch,
                                  boolean reverse, float[] x, int xOffset, float[] h0, float[] h, int hOffset,
                                  int[] lengths) {
        PackedLayer layer = (PackedLayer) weights;
        SpanWorkspace scratch = (SpanWorkspace) workspace;
        SpanSplit split = SpanSplit.choose(scratch.team().threads(), steps, batch, layer.inputSize(),
                layer.hiddenSize());
        if (split != SpanSplit.NONE) {
            SplitPass pass = scratch.pass;
            pass.forward(split, layer, steps, batch, reverse, x, xOffset, h0, h, hOffset, lengths);
            try {
                if (scratch.team().tryRun(pass)) {
                    return;
                }
            } finally {
                pass.clear();
            }
            // The team is busy with another caller: this pass runs alone, with the same result.
        }
        int block = blockSteps(steps, batch, layer.hiddenSize());
        for (int s0 = 0; s0 < steps; s0 += block) {
            int s1 = Math.min(steps, s0 + block);
            projectSteps(layer, steps, batch, s0, s1, 0, 1, reverse, x, xOffset, h, hOffset, scratch.blocks, 0, null,
                    0);
            recurSequences(layer, steps, batch, 0, batch, s0, s1, reverse, h0, h, hOffset, lengths,
                    scratch.blocks, 0);
        }
    }

    /**
     * The bytes of states a forward block of steps spans: the projection of a block and its
     * recurrence then run while the block's {@code h} is still in cache, instead of the whole
     * span's {@code T·B·H} floats going out to memory between the two.
     */
    static final long FORWARD_BLOCK_BYTES = 2L << 20;

    /** @return the steps of a forward block: the span cut so a block's states fill about {@link #FORWARD_BLOCK_BYTES} */
    static int blockSteps(int steps, int batch, int hiddenSize) {
        long perStep = (long) batch * hiddenSize * Float.BYTES;
        return (int) Math.max(1, Math.min(steps, FORWARD_BLOCK_BYTES / perStep));
    }

    /**
     * Participant {@code p} of {@code n}'s share of the input projections of the walked steps
     * {@code [s0, s1)}: chunks of their {@code (s1 − s0)·B} rows claimed from {@code counter} of
     * {@code chunks}, or a fixed share of them when they are too few for chunks or {@code chunks}
     * is null.
     */
    static void projectSteps(PackedLayer layer, int steps, int batch, int s0, int s1, int p, int n, boolean reverse,
                             float[] x, int xOffset, float[] h, int hOffset, float[] blocks, int blockOffset,
                             ClaimedChunks chunks, int counter) {
        int tFrom = reverse ? steps - s1 : s0;
        int rows = (s1 - s0) * batch;
        int first = tFrom * batch;
        if (n > 1 && rows < n * RegisterTiles.WIDE_ROWS) {
            // Too few rows to give everyone a tile of them (a streaming step has one): share the
            // hidden units instead, so that each participant reads only its part of Wx.
            int hiddenSize = layer.hiddenSize();
            int colFrom = SpanSplit.columnStart(p, n, hiddenSize);
            int colTo = SpanSplit.columnStart(p + 1, n, hiddenSize);
            float[] bias = layer.hasBias() ? layer.bias : null;
            int xAt = xOffset + first * layer.inputSize();
            int hAt = hOffset + first * hiddenSize;
            if (layer.narrow()) {
                NarrowGemm.project(rows, hiddenSize, colFrom, colTo, layer.inputSize(), x, xAt, layer.wxNarrow, bias,
                        h, hAt, blocks, blockOffset);
            } else {
                Gemm.project(rows, hiddenSize, colFrom, colTo, layer.inputSize(), x, xAt, layer.wxTransposed, bias, h,
                        hAt);
            }
            return;
        }
        int least = 4 * RegisterTiles.WIDE_ROWS;
        if (chunks == null || !ClaimedChunks.worthClaiming(rows, n, least)) {
            project(layer, first + SpanSplit.shareStart(p, n, rows), first + SpanSplit.shareStart(p + 1, n, rows), x,
                    xOffset, h, hOffset, blocks, blockOffset);
            return;
        }
        int chunk = ClaimedChunks.chunkOf(rows, n, RegisterTiles.WIDE_ROWS, least);
        for (int r = chunks.claim(counter, chunk, rows); r < rows; r = chunks.claim(counter, chunk, rows)) {
            project(layer, first + r, first + Math.min(rows, r + chunk), x, xOffset, h, hOffset, blocks, blockOffset);
        }
    }

    /** {@code Z = X·Wxᵀ + b} for the rows {@code [rowFrom, rowTo)} of the span's {@code T·B}, into {@code h}. */
    static void project(PackedLayer layer, int rowFrom, int rowTo, float[] x, int xOffset, float[] h, int hOffset,
                        float[] blocks, int blockOffset) {
        if (rowTo > rowFrom) {
            float[] bias = layer.hasBias() ? layer.bias : null;
            int xAt = xOffset + rowFrom * layer.inputSize();
            int hAt = hOffset + rowFrom * layer.hiddenSize();
            if (layer.narrow()) {
                NarrowGemm.project(rowTo - rowFrom, layer.hiddenSize(), layer.inputSize(), x, xAt, layer.wxNarrow,
                        bias, h, hAt, blocks, blockOffset);
            } else {
                Gemm.project(rowTo - rowFrom, layer.hiddenSize(), layer.inputSize(), x, xAt, layer.wxTransposed, bias,
                        h, hAt);
            }
        }
    }

    /**
     * The recurrence of the sequences {@code [from, to)} over the walked steps {@code [s0, s1)} of
     * the span, {@code h} holding their input projections: {@code h_t = φ(h_t + h_{t−1}·Whᵀ)}.
     */
    static void recurSequences(PackedLayer layer, int steps, int batch, int from, int to, int s0, int s1,
                               boolean reverse, float[] h0, float[] h, int hOffset, int[] lengths,
                               float[] blocks, int blockOffset) {
        int hiddenSize = layer.hiddenSize();
        VectorActivation act = layer.phi;
        int stateCount = batch * hiddenSize;
        int rows = to - from;
        int shift = from * hiddenSize;
        if (rows <= 0) {
            return;
        }
        for (int s = s0; s < s1; s++) {
            int t = reverse ? steps - 1 - s : s;
            int current = hOffset + t * stateCount;
            // The first step walked reads h0 (null: zeros), every other the step walked before it.
            float[] previous = s == 0 ? h0 : h;
            int previousOffset = s == 0 ? 0 : hOffset + (reverse ? t + 1 : t - 1) * stateCount;
            if (previous == null) {
                VectorActivation.applyInPlace(act, h, current + shift, rows * hiddenSize);
            } else if (layer.narrow()) {
                NarrowGemm.stepForward(rows, hiddenSize, 0, hiddenSize, previous, previousOffset + shift,
                        layer.whNarrow, act, h, current + shift, blocks, blockOffset);
            } else {
                Gemm.stepForward(rows, hiddenSize, previous, previousOffset + shift, layer.whTransposed, act, h,
                        current + shift);
            }
            if (lengths != null) {
                holdPaddedStates(t, from, to, hiddenSize, 0, hiddenSize, lengths, previous, previousOffset, h, current);
            }
        }
    }

    /**
     * The recurrence of every sequence over the walked steps {@code [s0, s1)} for the hidden units {@code [colFrom, colTo)}
     * only, one participant's share of a row split: after each step, every participant waits at
     * the team's barrier, so the next step reads the whole new state.
     */
    static void recurColumns(PackedLayer layer, int steps, int batch, int colFrom, int colTo, int s0, int s1,
                             boolean reverse, float[] h0, float[] h, int hOffset, int[] lengths, Team team,
                             float[] blocks, int blockOffset) {
        int hiddenSize = layer.hiddenSize();
        VectorActivation act = layer.phi;
        int stateCount = batch * hiddenSize;
        for (int s = s0; s < s1; s++) {
            int t = reverse ? steps - 1 - s : s;
            int current = hOffset + t * stateCount;
            // The first step walked reads h0 (null: zeros), every other the step walked before it.
            float[] previous = s == 0 ? h0 : h;
            int previousOffset = s == 0 ? 0 : hOffset + (reverse ? t + 1 : t - 1) * stateCount;
            if (colTo > colFrom) {
                if (previous == null) {
                    for (int n = 0; n < batch; n++) {
                        VectorActivation.applyInPlace(act, h, current + n * hiddenSize + colFrom, colTo - colFrom);
                    }
                } else if (layer.narrow()) {
                    NarrowGemm.stepForward(batch, hiddenSize, colFrom, colTo, previous, previousOffset, layer.whNarrow,
                            act, h, current, blocks, blockOffset);
                } else {
                    Gemm.stepForward(batch, hiddenSize, colFrom, colTo, previous, previousOffset, layer.whTransposed,
                            act, h, current);
                }
                if (lengths != null) {
                    holdPaddedStates(t, 0, batch, hiddenSize, colFrom, colTo, lengths, previous, previousOffset, h,
                            current);
                }
            }
            team.await();
        }
    }

    /**
     * A padding step copies the state it read (zeros for an absent {@code h0}): for the sequences
     * {@code [from, to)} and the hidden units {@code [colFrom, colTo)}.
     */
    private static void holdPaddedStates(int t, int from, int to, int hiddenSize, int colFrom, int colTo, int[] lengths,
                                         float[] previous, int previousOffset, float[] h, int current) {
        for (int n = from; n < to; n++) {
            if (t >= lengths[n]) {
                int row = current + n * hiddenSize;
                if (previous == null) {
                    Arrays.fill(h, row + colFrom, row + colTo, 0f);
                } else {
                    System.arraycopy(previous, previousOffset + n * hiddenSize + colFrom, h, row + colFrom,
                            colTo - colFrom);
                }
            }
        }
    }

    @Override
    protected void backwardChecked(RecurrentWeights weights, Workspace workspace, int steps, int batch,
                                   boolean reverse, float[] x, int xOffset, float[] h0, float[] h, int hOffset,
                                   int[] lengths, float[] dh, int dhOffset, float[] dhLast,
                                   RecurrentGradients gradients, float[] dx, int dxOffset, float[] dh0) {
        PackedLayer layer = (PackedLayer) weights;
        SpanWorkspace scratch = (SpanWorkspace) workspace;
        int hiddenSize = layer.hiddenSize();
        boolean padded = hasPadding(lengths, steps);
        SpanSplit split = SpanSplit.choose(scratch.team().threads(), steps, batch, layer.inputSize(), hiddenSize);
        if (split != SpanSplit.NONE) {
            SplitPass pass = scratch.pass;
            pass.backward(split, layer, steps, batch, reverse, x, xOffset, h0, h, hOffset, lengths, padded,
                    dh, dhOffset, dhLast, gradients, dx, dxOffset, dh0);
            try {
                if (scratch.team().tryRun(pass)) {
                    return;
                }
            } finally {
                pass.clear();
            }
        }
        if (padded) {
            paddedTimeLoop(layer, scratch, steps, batch, 0, batch, 0, hiddenSize, reverse, h, hOffset, lengths,
                    dh, dhOffset, dhLast, dh0, Team.SOLO);
        } else {
            timeLoop(layer, steps, batch, 0, batch, 0, hiddenSize, reverse, h, hOffset, dh, dhOffset, dhLast,
                    scratch.dz, dh0, Team.SOLO);
        }
        weightGradients(layer, scratch, steps, batch, 0, 1, reverse, x, xOffset, h0, h, hOffset, gradients, dx,
                dxOffset);
    }

    /**
     * After the time loop, participant {@code p} of {@code n}'s share: fixed shares of the hidden
     * units of {@code db}, {@code dWx} and {@code dWh} (each over the whole span, so the sums are
     * those of one pass) and of the rows of {@code dX = dZ·Wx}.
     */
    static void weightGradients(PackedLayer layer, SpanWorkspace scratch, int steps, int batch, int p, int n,
                                boolean reverse, float[] x, int xOffset, float[] h0, float[] h, int hOffset,
                                RecurrentGradients gradients, float[] dx, int dxOffset) {
        int inputSize = layer.inputSize();
        int hiddenSize = layer.hiddenSize();
        int stateCount = batch * hiddenSize;
        int rows = steps * batch;
        float[] dz = scratch.dz;
        // db by whole column blocks (so each column is summed as in one pass); the weight
        // gradients by any rows of dW, each over the whole span.
        int columnFrom = SpanSplit.columnStart(p, n, hiddenSize);
        int columnTo = SpanSplit.columnStart(p + 1, n, hiddenSize);
        if (layer.hasBias() && columnTo > columnFrom) {
            ColumnSums.addTo(dz, 0, rows, hiddenSize, columnFrom, columnTo, gradients.db());
        }
        // Fixed shares, not claimed chunks: every chunk of units streams the span's activations
        // (X or H, megabytes) once more, and chunks of a quarter share measured 10 % slower
        // training at B = 32, H = 1024; dX keeps fixed shares likewise (each share streams Wx).
        int unitFrom = SpanSplit.shareStart(p, n, hiddenSize);
        int unitTo = SpanSplit.shareStart(p + 1, n, hiddenSize);
        // Each share's products go to its own rows of the scratch, whatever their width: the
        // shares compute dWx and dWh at different moments.
        int scratchFrom = unitFrom * scratch.productWidth;
        float[] panel = scratch.blocks.length > 0 ? scratch.blocks : null;
        int panelOffset = p * scratch.blockFloats;
        if (unitTo > unitFrom) {
            // dWx += dZᵀ·X
            Gemm.addOuterProductsInBlocks(unitFrom, unitTo, hiddenSize, inputSize, rows, dz, 0, x, xOffset,
                    gradients.dWx(), scratch.product, scratchFrom, panel, panelOffset);
            // dWh += dZᵀ·H_prev: the steps whose previous state lies inside h are one product (their
            // rows are h shifted by one step), the first step walked reads h0.
            if (steps > 1) {
                int dzFrom = reverse ? 0 : stateCount;
                int previousFrom = hOffset + (reverse ? stateCount : 0);
                Gemm.addOuterProductsInBlocks(unitFrom, unitTo, hiddenSize, hiddenSize, (steps - 1) * batch, dz,
                        dzFrom, h, previousFrom, gradients.dWh(), scratch.product, scratchFrom, panel, panelOffset);
            }
            if (h0 != null) {
                int firstWalked = reverse ? steps - 1 : 0;
                Gemm.addOuterProductsInBlocks(unitFrom, unitTo, hiddenSize, hiddenSize, batch, dz,
                        firstWalked * stateCount, h0, 0, gradients.dWh(), scratch.product, scratchFrom, panel,
                        panelOffset);
            }
        }
        // dX = dZ·Wx
        int rowFrom = SpanSplit.shareStart(p, n, rows);
        int rowTo = SpanSplit.shareStart(p + 1, n, rows);
        if (dx != null && rowTo > rowFrom) {
            Gemm.propagate(rowTo - rowFrom, inputSize, hiddenSize, dz, rowFrom * hiddenSize, layer.wx, dx,
                    dxOffset + rowFrom * inputSize);
        }
    }

    static boolean hasPadding(int[] lengths, int steps) {
        if (lengths != null) {
            for (int length : lengths) {
                if (length < steps) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Backpropagation through the steps of a span without padding, for the sequences
     * {@code [from, to)} and the hidden units {@code [colFrom, colTo)}: every step after the first
     * walked back is one product {@code dz_t·Wh} followed, while its rows are in cache, by the
     * derivative of the step before ({@link Gemm#stepBackward}). A share of hidden units (a row split) waits at
     * the team's barrier after each step; a share of sequences runs through alone.
     */
    static void timeLoop(PackedLayer layer, int steps, int batch, int from, int to, int colFrom, int colTo,
                         boolean reverse, float[] h, int hOffset, float[] dh, int dhOffset, float[] dhLast,
                         float[] dz, float[] dh0, Team team) {
        int hiddenSize = layer.hiddenSize();
        int stateCount = batch * hiddenSize;
        VectorActivation act = layer.phi;
        int rows = to - from;
        int width = colTo - colFrom;
        int shift = from * hiddenSize;
        boolean active = rows > 0 && width > 0;
        int lastWalked = reverse ? 0 : steps - 1;
        int last = lastWalked * stateCount;
        if (active) {
            for (int n = from; n < to; n++) {
                int at = n * hiddenSize + colFrom;
                VectorActivation.backward(act, dhLast, at, dh, dhOffset + last + at, h, hOffset + last + at, dz,
                        last + at, width == hiddenSize ? rows * hiddenSize : width);
                if (width == hiddenSize) {
                    break;
                }
            }
        }
        team.await();
        for (int s = steps - 2; s >= 0; s--) {
            int t = reverse ? steps - 1 - s : s;
            int next = reverse ? t - 1 : t + 1;
            int at = t * stateCount;
            if (active) {
                Gemm.stepBackward(rows, hiddenSize, colFrom, colTo, dz, next * stateCount + shift, layer.wh, act,
                        dh, dhOffset + at + shift, h, hOffset + at + shift, dz, at + shift);
            }
            team.await();
        }
        if (dh0 != null && active) {
            int firstWalked = reverse ? steps - 1 : 0;
            Gemm.propagate(rows, hiddenSize, hiddenSize, colFrom, colTo, dz, firstWalked * stateCount + shift,
                    layer.wh, dh0, shift);
        }
    }

    /**
     * The same with padding: the carried gradient is kept explicitly, because a padding step hands
     * {@code dL/dh} on unchanged instead of through {@code Wh} and contributes no {@code dz}.
     */
    static void paddedTimeLoop(PackedLayer layer, SpanWorkspace scratch, int steps, int batch, int from, int to,
                               int colFrom, int colTo, boolean reverse, float[] h, int hOffset, int[] lengths,
                               float[] dh, int dhOffset, float[] dhLast, float[] dh0, Team team) {
        int hiddenSize = layer.hiddenSize();
        int stateCount = batch * hiddenSize;
        VectorActivation act = layer.phi;
        float[] dz = scratch.dz;
        float[] carry = scratch.carry;
        float[] carryNext = scratch.carryNext;
        int rows = to - from;
        int width = colTo - colFrom;
        int shift = from * hiddenSize;
        boolean active = rows > 0 && width > 0;
        if (active) {
            for (int n = from; n < to; n++) {
                int row = n * hiddenSize;
                if (dhLast == null) {
                    Arrays.fill(carry, row + colFrom, row + colTo, 0f);
                } else {
                    System.arraycopy(dhLast, row + colFrom, carry, row + colFrom, width);
                }
            }
        }
        for (int s = steps - 1; s >= 0; s--) {
            int t = reverse ? steps - 1 - s : s;
            int at = t * stateCount;
            if (active) {
                for (int n = from; n < to; n++) {
                    int row = n * hiddenSize + colFrom;
                    if (dh != null) {
                        for (int i = row; i < row + width; i++) {
                            carry[i] += dh[dhOffset + at + i];
                        }
                    }
                    VectorActivation.backward(act, carry, row, null, 0, h, hOffset + at + row, dz, at + row, width);
                    if (t >= lengths[n]) {
                        Arrays.fill(dz, at + row, at + row + width, 0f);
                    }
                }
            }
            if (s > 0 || dh0 != null) {
                // Every unit of dz_t is needed for any unit of the next carry.
                team.await();
                if (active) {
                    Gemm.propagate(rows, hiddenSize, hiddenSize, colFrom, colTo, dz, at + shift, layer.wh, carryNext,
                            shift);
                    for (int n = from; n < to; n++) {
                        if (t >= lengths[n]) {
                            int row = n * hiddenSize + colFrom;
                            System.arraycopy(carry, row, carryNext, row, width);
                        }
                    }
                }
                float[] swap = carry;
                carry = carryNext;
                carryNext = swap;
            }
        }
        if (dh0 != null && active) {
            for (int n = from; n < to; n++) {
                int row = n * hiddenSize + colFrom;
                System.arraycopy(carry, row, dh0, row, width);
            }
        }
    }

    @Override
    protected void headForwardChecked(HeadWeights weights, Workspace workspace, int rows, float[] h, int hOffset,
                                      float[] y, int yOffset) {
        PackedHead head = (PackedHead) weights;
        SpanWorkspace scratch = (SpanWorkspace) workspace;
        if (HeadPass.shares(scratch.team().threads(), rows, head.inputSize(), head.outputSize())) {
            HeadPass pass = scratch.headPass;
            pass.forward(head, rows, h, hOffset, y, yOffset);
            try {
                if (scratch.team().tryRun(pass)) {
                    return;
                }
            } finally {
                pass.clear();
            }
            // The team is busy with another caller: this pass runs alone, with the same result.
        }
        headForwardChecked(weights, rows, h, hOffset, y, yOffset);
    }

    @Override
    protected void headBackwardChecked(HeadWeights weights, Workspace workspace, int rows, float[] h, int hOffset,
                                       float[] dy, int dyOffset, HeadGradients gradients, float[] dh, int dhOffset) {
        PackedHead head = (PackedHead) weights;
        SpanWorkspace scratch = (SpanWorkspace) workspace;
        if (HeadPass.shares(scratch.team().threads(), rows, head.inputSize(), head.outputSize())) {
            HeadPass pass = scratch.headPass;
            pass.backward(head, rows, h, hOffset, dy, dyOffset, gradients, dh, dhOffset);
            try {
                if (scratch.team().tryRun(pass)) {
                    return;
                }
            } finally {
                pass.clear();
            }
        }
        headBackwardChecked(weights, rows, h, hOffset, dy, dyOffset, gradients, dh, dhOffset);
    }

    @Override
    protected void headForwardChecked(HeadWeights weights, int rows, float[] h, int hOffset, float[] y, int yOffset) {
        PackedHead head = (PackedHead) weights;
        int inputSize = head.inputSize();
        int outputSize = head.outputSize();
        Gemm.project(rows, outputSize, inputSize, h, hOffset, head.wyTransposed, head.hasBias() ? head.bias : null,
                y, yOffset);
    }

    @Override
    protected void headBackwardChecked(HeadWeights weights, int rows, float[] h, int hOffset, float[] dy,
                                       int dyOffset, HeadGradients gradients, float[] dh, int dhOffset) {
        PackedHead head = (PackedHead) weights;
        int inputSize = head.inputSize();
        int outputSize = head.outputSize();
        // dWy += dYᵀ·H
        Gemm.addOuterProducts(outputSize, inputSize, rows, dy, dyOffset, h, hOffset, gradients.dW());
        if (head.hasBias()) {
            ColumnSums.addTo(dy, dyOffset, rows, outputSize, gradients.db());
        }
        // dH = dY·Wy
        if (dh != null) {
            Gemm.propagate(rows, inputSize, outputSize, dy, dyOffset, head.wy, dh, dhOffset);
        }
    }
}
