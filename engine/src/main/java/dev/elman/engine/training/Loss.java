package dev.elman.engine.training;

import java.util.Locale;

/**
 * The loss a model is trained on, comparing its output rows {@code y} (width W) with targets.
 * Each loss is the mean over the (step, sequence) items that carry a target in an update; see
 * {@link LossScope} for which items those are. The per-item formulas, which the trainer and any
 * evaluation share, are {@link LossFunctions}.
 */
public enum Loss {
    /**
     * Mean squared error over every output value of every item:
     * {@code L = (1 / (N·W)) Σ_items Σ_j (y_j − target_j)²}, as PyTorch's {@code MSELoss}. Targets
     * are float rows of width W.
     */
    MEAN_SQUARED_ERROR,
    /**
     * Softmax cross-entropy over the W output logits of every item:
     * {@code L = (1 / N) Σ_items −log softmax(y)[label]}, as PyTorch's {@code CrossEntropyLoss}.
     * Targets are class labels in {@code 0 … W − 1}, or {@link TrainingBatch#IGNORE} for an item
     * without a target.
     */
    SOFTMAX_CROSS_ENTROPY;

    /** @return the lower-case name used on command lines ({@code mse}, {@code cross-entropy}) */
    public String label() {
        return this == MEAN_SQUARED_ERROR ? "mse" : "cross-entropy";
    }

    /**
     * @param name {@code mse} or {@code cross-entropy}, ignoring case
     * @return the loss
     * @throws IllegalArgumentException naming the accepted values when {@code name} is neither
     */
    public static Loss parse(String name) {
        if (name != null) {
            String n = name.trim().toLowerCase(Locale.ROOT);
            for (Loss loss : values()) {
                if (loss.label().equals(n)) {
                    return loss;
                }
            }
        }
        throw new IllegalArgumentException("unknown loss '" + name + "': expected one of mse, cross-entropy");
    }
}
