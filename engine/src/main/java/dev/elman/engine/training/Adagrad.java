package dev.elman.engine.training;

import dev.elman.engine.model.Parameters;

/**
 * Adagrad, as PyTorch's: {@code G ← G + g²}, {@code θ ← θ − lr·g / (√G + ε)}.
 *
 * @param learningRate lr, positive and finite
 * @param epsilon ε, positive and finite
 */
public record Adagrad(double learningRate, double epsilon) implements Optimizer {
    /** PyTorch's default ε. */
    public static final double DEFAULT_EPSILON = 1e-10;

    /**
     * Checks the hyper-parameters.
     *
     * @param learningRate lr, positive and finite
     * @param epsilon ε, positive and finite
     * @throws IllegalArgumentException naming the value out of range
     */
    public Adagrad {
        Hyperparameters.learningRate(learningRate);
        Hyperparameters.positive("epsilon", epsilon);
    }

    /**
     * Adagrad with ε = {@value #DEFAULT_EPSILON}.
     *
     * @param learningRate lr, positive and finite
     */
    public Adagrad(double learningRate) {
        this(learningRate, DEFAULT_EPSILON);
    }

    @Override
    public Optimizer.State newState(Parameters parameters) {
        return new BoundOptimizer(parameters) {
            private final float[][] sumOfSquares = newSlots();

            @Override
            void update(int tensor, float[] value, float[] gradient) {
                float[] g2 = sumOfSquares[tensor];
                for (int i = 0; i < value.length; i++) {
                    double g = gradient[i];
                    double sum = g2[i] + g * g;
                    g2[i] = (float) sum;
                    value[i] = (float) (value[i] - learningRate * g / (Math.sqrt(sum) + epsilon));
                }
            }
        };
    }
}
