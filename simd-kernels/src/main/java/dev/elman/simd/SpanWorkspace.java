package dev.elman.simd;

import dev.elman.kernels.Team;
import dev.elman.kernels.Workspace;
import dev.elman.kernels.WorkspacePurpose;

/**
 * Scratch memory of {@link VectorKernels}: the span's {@code dL/dz} (kept whole so the weight
 * gradients are matrix products after the time loop), two carried-gradient rows for spans
 * with padding, room for one weight gradient's product, and each participant's region of blocks.
 * An {@linkplain WorkspacePurpose#INFERENCE inference} workspace holds the blocks alone, and
 * only the widened weights of a reduced-precision forward pass in them: everything else serves
 * backward passes.
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
     * One region of {@link #blockFloats} floats per participant of the team (participant
     * {@code p} from {@code p·blockFloats}): the widened weights of a forward pass over a reduced
     * precision ({@link NarrowGemm}), and a weight gradient's block of activations copied into
     * panels ({@link Gemm#addOuterProductsInBlocks}); empty when the spans are too small to need it
     * (a streaming step).
     */
    final float[] blocks;
    /**
     * Floats of a participant's region of {@link #blocks}: {@link Gemm#PANEL_FLOATS} for training,
     * {@link NarrowGemm#BLOCK_FLOATS} (a widened block) for inference.
     */
    final int blockFloats;
    /** The arguments of a pass shared with the team, reused by every such pass. */
    final SplitPass pass = new SplitPass(this);
    /** The arguments of a head pass shared with the team, reused likewise. */
    final HeadPass headPass = new HeadPass();

    SpanWorkspace(VectorKernels kernels, int maxInputSize, int maxHiddenSize, int maxSteps, int maxBatch, Team team,
                  WorkspacePurpose purpose) {
        super(kernels, maxInputSize, maxHiddenSize, maxSteps, maxBatch, team, purpose);
        boolean training = purpose == WorkspacePurpose.TRAINING;
        dz = new float[training
                ? size("maxSteps × maxBatch × maxHiddenSize", (long) maxSteps * maxBatch * maxHiddenSize) : 0];
        int stateCount = training ? size("maxBatch × maxHiddenSize", (long) maxBatch * maxHiddenSize) : 0;
        carry = new float[stateCount];
        carryNext = new float[stateCount];
        productWidth = Math.max(maxInputSize, maxHiddenSize);
        product = new float[training ? size("maxHiddenSize × max(maxInputSize, maxHiddenSize)",
                (long) maxHiddenSize * Math.max(maxInputSize, maxHiddenSize)) : 0];
        blockFloats = training ? Gemm.PANEL_FLOATS : NarrowGemm.BLOCK_FLOATS;
        blocks = new float[NarrowGemm.needsScratch((long) maxSteps * maxBatch)
                ? size("team threads × block region", (long) team.threads() * blockFloats) : 0];
    }

    private static int size(String formula, long count) {
        if (count > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("workspace: " + formula + " = " + count
                    + " floats is more than a Java array holds");
        }
        return (int) count;
    }
}
