/**
 * Training tasks with generated or file-backed data, each a {@link dev.elman.cli.tasks.Task}
 * that hands out reproducible {@link dev.elman.engine.training.TrainingBatch batches}:
 * {@link dev.elman.cli.tasks.AddingProblem the adding problem} (long-range memory, the IRNN
 * paper's benchmark), {@link dev.elman.cli.tasks.CopyTask memorise and recall},
 * {@link dev.elman.cli.tasks.SineTask next-value prediction of sine waves} and
 * {@link dev.elman.cli.tasks.CharTask a character-level language model} with
 * {@link dev.elman.cli.tasks.CharSampler sampling}. {@link dev.elman.cli.tasks.Evaluation}
 * scores a model on held-out batches.
 *
 * <pre>{@code
 * Task task = new AddingProblem(150);
 * Model model = Model.create(ModelConfig.builder().inputSize(task.inputSize()).hiddenSize(100)
 *         .activation(Activation.RELU).outputSize(task.outputSize()).build(), Initialization.identity(), 1);
 * Trainer trainer = new Trainer(model, TrainingConfig.builder().loss(task.loss()).scope(task.scope())
 *         .optimizer(new Adam(1e-4)).clipping(GradientClipping.globalNorm(1)).build());
 * trainer.train(task.source(16, 1), 10_000, null);
 * double mse = Evaluation.loss(model, task, 100, 10, 2);   // vs task.baselineLoss() = 1/6
 * }</pre>
 */
package dev.elman.cli.tasks;
