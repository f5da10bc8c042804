package dev.elman.engine.testing;

import dev.elman.engine.model.Merge;
import dev.elman.engine.model.ModelConfig;
import dev.elman.testing.Activations;
import dev.elman.testing.Uniform;

import java.util.Random;

/** Random shapes and values for property tests. */
public final class RandomData {
    private RandomData() {
    }

    /** Values uniform in {@code (−scale, scale)}, drawn as every module's tests draw them ({@link Uniform}). */
    public static float[] uniform(Random random, int count, double scale) {
        return Uniform.floats(random, count, scale);
    }

    /** Lengths in 1 … steps with at least one sequence of full length, so the batch really has T steps. */
    public static int[] lengths(Random random, int steps, int batch) {
        int[] lengths = new int[batch];
        for (int b = 0; b < batch; b++) {
            lengths[b] = 1 + random.nextInt(steps);
        }
        lengths[random.nextInt(batch)] = steps;
        return lengths;
    }

    /** A random configuration: every field drawn, small sizes including 1. */
    public static ModelConfig config(Random random, int maxLayers) {
        boolean bidirectional = random.nextBoolean();
        ModelConfig.Builder b = ModelConfig.builder()
                .inputSize(1 + random.nextInt(5))
                .hiddenSize(1 + random.nextInt(6))
                .layers(1 + random.nextInt(maxLayers))
                .bidirectional(bidirectional)
                .activation(Activations.CLASSIC.get(random.nextInt(3)))
                .bias(random.nextBoolean());
        if (bidirectional) {
            b.merge(random.nextBoolean() ? Merge.CONCAT : Merge.SUM);
        }
        if (random.nextBoolean()) {
            b.outputSize(1 + random.nextInt(4)).headBias(random.nextBoolean());
        }
        return b.build();
    }
}
