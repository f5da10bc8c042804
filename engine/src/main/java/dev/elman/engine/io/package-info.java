/**
 * File formats and interop: tensors in and out of safetensors ({@link dev.elman.engine.io.Safetensors}),
 * NumPy {@code .npy} ({@link dev.elman.engine.io.Npy}) and Elman's own checksummed archive
 * ({@link dev.elman.engine.io.ElmanArchive}), all built on {@link dev.elman.engine.io.Tensor}, the
 * library's one tensor type (model parameters and gradients are tensors too).
 *
 * <p>Every reader treats its file as untrusted: it checks lengths against the file before reading,
 * never allocates in proportion to what a header merely claims, and reports every problem as a
 * {@link dev.elman.engine.io.MalformedFileException} naming the file, tensor and field at fault.
 * Large files are memory-mapped read-only; tensors read from them are views, converted to float32
 * when their values are asked for. A view follows in-place edits of its file by other processes
 * (see {@link dev.elman.engine.io.Tensor}); models copy their parameters at load and never do.
 * Every writer goes through {@link dev.elman.engine.io.AtomicFileWriter}: a regular file is replaced
 * atomically (temporary file in the target's folder, forced to the device, renamed over the target,
 * the old permissions kept), so a crash never leaves a half-written file in place of a good one;
 * devices, pipes and {@code -} (standard output) are written as streams, and what cannot be written
 * safely is refused by name.
 */
package dev.elman.engine.io;
