package dev.elman.engine.training;

import dev.elman.engine.model.Parameters;

/**
 * Stochastic gradient descent with (heavy-ball) momentum, as PyTorch's {@code SGD}:
 * {@code v ← μ·v + g}, {@code θ ← θ − lr·v} (plain SGD when {@code μ = 0}).
 *
 * @param learningRate lr, positive and finite
 * @param momentum μ, in {@code [0, 1)}
 */
public record Sgd(double learningRate, double momentum) implements Optimizer {
    /**
     * Checks the hyper-parameters.
     *
     * @param learningRate lr, positive and finite
     * @param momentum μ, in {@code [0, 1)}
     * @throws IllegalArgumentException naming the value out of range
     */
    public Sgd {
        Hyperparameters.learningRate(learningRate);
        Hyperparameters.fraction("momentum", momentum);
    }

    /**
     * Plain SGD.
     *
     * @param learningRate lr, positive and finite
     */
    public Sgd(double learningRate) {
        this(learningRate, 0);
    }

    @Override
    public Optimizer.State newState(Parameters parameters) {
        return new BoundOptimizer(parameters) {
            private final float[][] velocity = momentum == 0 ? null : newSlots();

            @Override
            void update(int tensor, float[] value, float[] gradient) {
                if (velocity == null) {
                    for (int i = 0; i < value.length; i++) {
                        value[i] = (float) (value[i] - learningRate * gradient[i]);
                    }
                    return;
                }
                float[] v = velocity[tensor];
                for (int i = 0; i < value.length; i++) {
                    double vi = momentum * v[i] + gradient[i];
                    v[i] = (float) vi;
                    value[i] = (float) (value[i] - learningRate * vi);
                }
            }
        };
    }
}
