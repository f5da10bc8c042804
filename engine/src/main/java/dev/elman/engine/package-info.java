/**
 * Elman's engine: everything a user of the library touches, on top of the one kernel interface
 * {@link dev.elman.kernels.RecurrentKernels}.
 *
 * <ul>
 *   <li>{@link dev.elman.engine.KernelSelection} picks the SIMD or the reference kernels
 *       ({@code -Delman.kernels=auto|simd|reference}) and says once why.</li>
 *   <li>{@link dev.elman.engine.model} — configurations, parameters, initialisers, batched
 *       inference with variable lengths, gradients, streaming sessions.</li>
 *   <li>{@link dev.elman.engine.training} — losses, optimizers, clipping, the truncated-BPTT
 *       scheduler and the trainer.</li>
 *   <li>{@link dev.elman.engine.diagnostics} — Jacobian norms along a sequence: the vanishing and
 *       exploding gradient as numbers.</li>
 *   <li>{@link dev.elman.engine.parallel} — the team of threads a model's passes share their work
 *       with ({@code Model.setThreads}, {@code -Delman.threads=N}; one thread by default), with
 *       results independent of the number of threads, bit for bit.</li>
 *   <li>{@link dev.elman.engine.io} and {@link dev.elman.engine.interop} — tensors, safetensors,
 *       {@code .npy}, Elman's checksummed model file, PyTorch {@code nn.RNN} state dicts.</li>
 * </ul>
 *
 * <h2>In a few lines</h2>
 * <pre>{@code
 * ModelConfig config = ModelConfig.builder().inputSize(2).hiddenSize(64).outputSize(1).build();
 * Model model = Model.create(config, Initialization.orthogonal(), 42);
 *
 * TrainingConfig training = TrainingConfig.builder()
 *         .loss(Loss.MEAN_SQUARED_ERROR).scope(LossScope.LAST_STEP)
 *         .optimizer(new Adam(1e-3)).clipping(GradientClipping.globalNorm(1))
 *         .truncation(50, 100)                       // k1 = 50, k2 = 100
 *         .build();
 * new Trainer(model, training).train(source, 10_000,
 *         p -> System.out.printf("%d %.4f%n", p.update(), p.loss()));
 *
 * model.setThreads(2);                              // passes on two cores, same results
 * StreamingSession session = model.newSession();   // one per stream, any thread
 * float[] y = session.step(x);                      // no allocation per step
 * }</pre>
 */
package dev.elman.engine;
