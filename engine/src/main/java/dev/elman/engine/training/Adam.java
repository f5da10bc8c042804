package dev.elman.engine.training;

import dev.elman.engine.model.Parameters;

/**
 * Adam (Kingma and Ba), with bias correction, as PyTorch's: {@code m ← β1·m + (1 − β1)·g},
 * {@code v ← β2·v + (1 − β2)·g²}, {@code θ ← θ − lr·m̂ / (√v̂ + ε)} where
 * {@code m̂ = m / (1 − β1^t)}, {@code v̂ = v / (1 − β2^t)}.
 *
 * @param learningRate lr, positive and finite
 * @param beta1 β1, in {@code [0, 1)}
 * @param beta2 β2, in {@code [0, 1)}
 * @param epsilon ε, positive and finite
 */
public record Adam(double learningRate, double beta1, double beta2, double epsilon) implements Optimizer {
    /**
     * Checks the hyper-parameters.
     *
     * @param learningRate lr, positive and finite
     * @param beta1 β1, in {@code [0, 1)}
     * @param beta2 β2, in {@code [0, 1)}
     * @param epsilon ε, positive and finite
     * @throws IllegalArgumentException naming the value out of range
     */
    public Adam {
        Hyperparameters.learningRate(learningRate);
        Hyperparameters.fraction("beta1", beta1);
        Hyperparameters.fraction("beta2", beta2);
        Hyperparameters.positive("epsilon", epsilon);
    }

    /**
     * Adam with PyTorch's defaults β1 = 0.9, β2 = 0.999, ε = 1e-8.
     *
     * @param learningRate lr, positive and finite
     */
    public Adam(double learningRate) {
        this(learningRate, 0.9, 0.999, 1e-8);
    }

    @Override
    public Optimizer.State newState(Parameters parameters) {
        return new BoundOptimizer(parameters) {
            private final float[][] mean = newSlots();
            private final float[][] square = newSlots();
            private double correction1;
            private double correction2;

            @Override
            void beginStep(long step) {
                correction1 = 1 - Math.pow(beta1, step);
                correction2 = 1 - Math.pow(beta2, step);
            }

            @Override
            void update(int tensor, float[] value, float[] gradient) {
                float[] m = mean[tensor];
                float[] v = square[tensor];
                for (int i = 0; i < value.length; i++) {
                    double g = gradient[i];
                    double mi = beta1 * m[i] + (1 - beta1) * g;
                    double vi = beta2 * v[i] + (1 - beta2) * g * g;
                    m[i] = (float) mi;
                    v[i] = (float) vi;
                    value[i] = (float) (value[i] - learningRate * (mi / correction1) / (Math.sqrt(vi / correction2) + epsilon));
                }
            }
        };
    }
}
