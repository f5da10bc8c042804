package dev.elman.flink;

import dev.elman.engine.KernelSelection;
import dev.elman.engine.interop.ModelFile;
import dev.elman.engine.model.Initialization;
import dev.elman.engine.model.Model;
import dev.elman.engine.model.ModelConfig;
import dev.elman.engine.model.ParameterNames;
import dev.elman.kernels.Activation;
import dev.elman.kernels.RecurrentKernels;
import dev.elman.reference.ReferenceKernels;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/** The tests' model: written once to a file, loaded by the tasks and by the oracle on chosen kernels. */
final class TestModels {
    /** I, prime; a relu stack of two layers and a head, so that a huge input overflows. */
    static final int INPUT_SIZE = 5;
    static final int HIDDEN_SIZE = 17;
    static final int LAYERS = 2;
    static final int OUTPUTS = 3;

    private TestModels() {
    }

    /** Which kernels a task's model computes with. */
    enum Kernels {
        /** The double-precision reference: a batched step equals a lone one bit for bit. */
        REFERENCE,
        /** The JVM's choice (SIMD with the Vector API): a batched step equals a lone one to float32 rounding. */
        SELECTED;

        RecurrentKernels create() {
            return this == REFERENCE ? new ReferenceKernels() : KernelSelection.kernels();
        }
    }

    static Path write(Path directory, long seed) throws IOException {
        return write(directory, seed, HIDDEN_SIZE);
    }

    static Path write(Path directory, long seed, int hiddenSize) throws IOException {
        ModelConfig config = ModelConfig.builder()
                .inputSize(INPUT_SIZE)
                .hiddenSize(hiddenSize)
                .layers(LAYERS)
                .activation(Activation.RELU)
                .outputSize(OUTPUTS)
                .build();
        Path file = directory.resolve("model-" + seed + "-h" + hiddenSize + ".elman");
        try (Model model = Model.create(config, Initialization.xavier().withSpectralRadius(0.9), seed)) {
            // Unit 0 adds up its inputs, so that a reading of huge finite features overflows its
            // state whatever the seed (TestReadings' non-finite case); ordinary readings keep it small.
            float[] wx = model.parameters().get(ParameterNames.inputWeights(0, false)).data();
            Arrays.fill(wx, 0, INPUT_SIZE, 1f);
            model.loadParameters();
            ModelFile.save(file, model);
        }
        return file;
    }

    /** A source that loads the file on the given kernels (a serializable lambda: a path and an enum). */
    static ModelSource source(Path file, Kernels kernels) {
        String path = file.toString();
        return () -> ModelFile.load(Path.of(path), kernels.create()).model();
    }

    static Model load(Path file, Kernels kernels) throws IOException {
        return ModelFile.load(file, kernels.create()).model();
    }
}
