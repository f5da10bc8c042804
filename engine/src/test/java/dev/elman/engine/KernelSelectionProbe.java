package dev.elman.engine;

import dev.elman.engine.model.ForwardResult;
import dev.elman.engine.model.Initialization;
import dev.elman.engine.model.Model;
import dev.elman.engine.model.ModelConfig;
import dev.elman.engine.model.SequenceBatch;

/**
 * Run by {@link KernelSelectionTest} in a JVM of its own: asks for the kernels twice (the choice
 * must be logged once), runs a small model on them, and prints what it got.
 */
public final class KernelSelectionProbe {
    private KernelSelectionProbe() {
    }

    public static void main(String[] args) {
        KernelSelection.Choice choice = KernelSelection.choice();
        KernelSelection.kernels();
        Model model = Model.create(ModelConfig.builder().inputSize(2).hiddenSize(3).outputSize(1).build(),
                Initialization.uniform(), 1);
        ForwardResult result = model.forward(new SequenceBatch(new float[] {1, 2, 3, 4}, 2, 1, 2));
        System.out.println("CHOICE " + choice.kernels().name() + " | " + choice.reason());
        System.out.println("MODEL RAN " + result.output().length + " outputs on " + model.kernels().name());
    }
}
