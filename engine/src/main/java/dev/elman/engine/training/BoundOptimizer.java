package dev.elman.engine.training;

import dev.elman.engine.model.Parameters;

/**
 * What the three built-in optimizers share: the bound parameters as flat arrays, a shape check of
 * the gradients on every step, and the update loop over tensors.
 */
abstract class BoundOptimizer implements Optimizer.State {
    private final Parameters parameters;
    private final float[][] values;
    private Parameters lastChecked;
    private long steps;

    BoundOptimizer(Parameters parameters) {
        if (parameters == null) {
            throw new IllegalArgumentException("parameters must not be null");
        }
        this.parameters = parameters;
        this.values = new float[parameters.count()][];
        for (int i = 0; i < values.length; i++) {
            values[i] = parameters.get(i).data();
        }
    }

    /** Zeroed state arrays, one per parameter tensor. */
    final float[][] newSlots() {
        float[][] slots = new float[values.length][];
        for (int i = 0; i < values.length; i++) {
            slots[i] = new float[values[i].length];
        }
        return slots;
    }

    @Override
    public final void step(Parameters gradients) {
        if (gradients != lastChecked) {
            // Checked once per gradient set; the trainer passes the same set every step.
            parameters.requireSameShapes(gradients, "gradients");
            lastChecked = gradients;
        }
        steps++;
        beginStep(steps);
        for (int i = 0; i < values.length; i++) {
            update(i, values[i], gradients.get(i).data());
        }
    }

    @Override
    public final long steps() {
        return steps;
    }

    /** Called once per step before the tensors, with the 1-based step number. */
    void beginStep(long step) {
    }

    /** Updates one tensor's values in place from its gradient. */
    abstract void update(int tensor, float[] value, float[] gradient);
}
