/**
 * Gradient diagnostics: {@link dev.elman.engine.diagnostics.JacobianNorms} measures
 * {@code ‖∂h_t/∂h_{t−k}‖} along a sequence. The spectral radius of each {@code Wh} is
 * {@link dev.elman.engine.model.Model#spectralRadius}; per-lag gradient norms seen during training
 * come with {@link dev.elman.engine.training.TrainingProgress#lagGradientNorm}.
 */
package dev.elman.engine.diagnostics;
