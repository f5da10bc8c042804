/**
 * Training: a {@link dev.elman.engine.training.Trainer} takes
 * {@link dev.elman.engine.training.TrainingBatch batches} from a
 * {@link dev.elman.engine.training.SequenceSource}, runs them through the
 * {@link dev.elman.engine.training.TruncatedBptt truncated-BPTT schedule} (k1 steps between
 * updates, a k2-step backward window), computes the {@link dev.elman.engine.training.Loss loss} on
 * every step or the last, {@link dev.elman.engine.training.GradientClipping clips} the gradients,
 * applies an {@link dev.elman.engine.training.Optimizer} ({@link dev.elman.engine.training.Sgd},
 * {@link dev.elman.engine.training.Adagrad}, {@link dev.elman.engine.training.Adam}) and reports
 * each update to a {@link dev.elman.engine.training.TrainingListener}. Once the first batch has
 * sized the buffers, an update allocates nothing.
 */
package dev.elman.engine.training;
