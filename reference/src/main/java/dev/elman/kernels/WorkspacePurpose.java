package dev.elman.kernels;

/**
 * What a {@link Workspace} is made for. A backward pass needs room that a forward pass never
 * touches (the span's {@code dL/dz}, a weight gradient's product, copy panels: for the SIMD
 * kernels about {@code T·B·H + H·max(I, H)} floats), so a workspace that will only serve forward
 * passes, a streaming session's or a stream group's, is made without it.
 */
public enum WorkspacePurpose {
    /**
     * Forward passes of layers and heads only; {@link RecurrentKernels#backward} and
     * {@link RecurrentKernels#headBackward} refuse the workspace.
     */
    INFERENCE,
    /** Every pass: forward and backward, of layers and of heads. */
    TRAINING
}
