package dev.elman.simd;

import dev.elman.kernels.Team;
import dev.elman.kernels.Workspace;

/**
 * Scratch memory of {@link VectorKernels}: the span's {@code dL/dz} (kept whole so the weight
 * gradients are matrix products after the time loop), two carried-gradient rows for spans
 * with padding, and room for one weight gradient's product.
 */
final class SpanWorkspace extends Workspace {
    /** {@code dL/dz_t} for every step of a backward span, {@code [T][B][H]}. */
    final float[] dz;
    /** {@code dL/dh} carried between steps when the span has padding, {@code [B][H]}. */
    final float[] carry;
    /** The next step's carry, swapped with {@link #carry}. */
    final float[] carryNext;
    /**
     * A weight gradient's product before it is added to the accumulator,
     * {@code maxHiddenSize × max(maxInputSize, maxHiddenSize)}.
     */
    final float[] product;
    /** The width of a row of {@link #product}: {@code max(maxInputSize, maxHiddenSize)}. */
    final int productWidth;
    /**
     * One block of {@link Gemm#PANEL_FLOATS} floats per participant of the team (participant
     * {@code p} from {@code p·PANEL_FLOATS}): the widened weights of a forward pass over a reduced
     * precision ({@link NarrowGemm}), and a weight gradient's block of activations copied into
     * panels ({@link Gemm#addOuterProductsInBlocks}); empty when the spans are too small to need it
     * (a streaming step).
     */
    final float[] blocks;
    /** The arguments of a pass shared with the team, reused by every such pass. */
    final SplitPass pass = new SplitPass(this);
    /** The arguments of a head pass shared with the team, reused likewise. */
    final HeadPass headPass = new HeadPass();

    SpanWorkspace(VectorKernels kernels, int maxInputSize, int maxHiddenSize, int maxSteps, int maxBatch, Team team) {
        super(kernels, maxInputSize, maxHiddenSize, maxSteps, maxBatch, team);
        dz = new float[size("maxSteps × maxBatch × maxHiddenSize", (long) maxSteps * maxBatch * maxHiddenSize)];
        int stateCount = size("maxBatch × maxHiddenSize", (long) maxBatch * maxHiddenSize);
        carry = new float[stateCount];
        carryNext = new float[stateCount];
        productWidth = Math.max(maxInputSize, maxHiddenSize);
        blocks = new float[NarrowGemm.needsScratch((long) maxSteps * maxBatch)
                ? size("team threads × narrow block", (long) team.threads() * Gemm.PANEL_FLOATS) : 0];
        product = new float[size("maxHiddenSize × max(maxInputSize, maxHiddenSize)",
                (long) maxHiddenSize * Math.max(maxInputSize, maxHiddenSize))];
    }

    private static int size(String formula, long count) {
        if (count > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("workspace: " + formula + " = " + count
                    + " floats is more than a Java array holds");
        }
        return (int) count;
    }
}
