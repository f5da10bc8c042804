/**
 * Elman networks: {@link dev.elman.engine.model.ModelConfig} (the immutable shape),
 * {@link dev.elman.engine.model.Parameters} (named tensors, names in
 * {@link dev.elman.engine.model.ParameterNames}), {@link dev.elman.engine.model.Initialization},
 * and {@link dev.elman.engine.model.Model}, which runs them: batched
 * {@link dev.elman.engine.model.Model#forward forward} passes over sequences of different lengths,
 * {@link dev.elman.engine.model.Model#gradient gradients} for a given output gradient, and
 * {@link dev.elman.engine.model.StreamingSession streaming sessions} (one stream, one step at a
 * time) and {@link dev.elman.engine.model.StreamGroup stream groups} (many streams of one model,
 * any subset of them stepped together as one batched step, so that each weight read serves every
 * stream of the step: what a server of many independent streams uses).
 * {@link dev.elman.engine.model.StackRunner} is the span-level machinery beneath all of them, for
 * code that drives passes itself; {@link dev.elman.engine.model.SequenceChunks} feeds it a batch in
 * chunks, as gradients and truncated-BPTT training do.
 *
 * <p>Layouts follow the kernels and PyTorch: time-major {@code [T][B][features]} float32 arrays,
 * states {@code [L·D][B][H]} (PyTorch's {@code h_0}/{@code h_n}).
 */
package dev.elman.engine.model;
