package dev.elman.engine.training;

/**
 * The per-item formulas of each {@link Loss}, on one output row {@code y[offset … offset + W)}, in
 * double: the trainer's loss and gradient and any evaluation of a model use these, so the numbers
 * agree to the last bit wherever the same rows are summed in the same order.
 *
 * <p>Each function comes in two forms: the loss alone, and the loss together with its gradient
 * {@code scale · dL/dy} written into a float row laid out like {@code y} (the trainer passes
 * {@code scale = 1/N} to make the mean over N items). The arithmetic of the loss is the same in
 * both forms.
 */
public final class LossFunctions {
    private LossFunctions() {
    }

    /**
     * The squared error of one item, averaged over its W values:
     * {@code Σ_j (y_j − target_j)² / W}, each difference taken in double.
     *
     * @param y output rows
     * @param offset where the item's row starts in {@code y}
     * @param targets target rows
     * @param targetOffset where the item's target row starts in {@code targets}
     * @param width W, at least 1
     * @return the item's loss
     * @throws IllegalArgumentException when width is below 1 or a row does not fit its array
     */
    public static double squaredError(float[] y, int offset, float[] targets, int targetOffset, int width) {
        checkRow("targets", targets, targetOffset, checkRow("y", y, offset, width));
        return computeSquaredError(y, offset, targets, targetOffset, width, 0, null);
    }

    /**
     * {@link #squaredError(float[], int, float[], int, int) The squared error of one item}, writing
     * {@code gradient[offset + j] = scale · 2 (y_j − target_j) / W}.
     *
     * @param y output rows
     * @param offset where the item's row starts in {@code y} and in {@code gradient}
     * @param targets target rows
     * @param targetOffset where the item's target row starts in {@code targets}
     * @param width W, at least 1
     * @param scale the factor of the gradient, e.g. 1/N for a mean over N items
     * @param gradient where the gradient row goes, laid out like {@code y}
     * @return the item's loss
     * @throws IllegalArgumentException when width is below 1 or a row does not fit its array
     */
    public static double squaredError(float[] y, int offset, float[] targets, int targetOffset, int width,
            double scale, float[] gradient) {
        checkRow("gradient", gradient, offset, checkRow("targets", targets, targetOffset, checkRow("y", y, offset, width)));
        return computeSquaredError(y, offset, targets, targetOffset, width, scale, gradient);
    }

    /**
     * The softmax cross-entropy of one item, {@code −log softmax(y)[label]}, computed as
     * {@code log Σ_j exp(y_j − m) − (y_label − m)} with {@code m} the largest logit.
     *
     * <p>Subtracting {@code m} keeps every exponential at most 1 (no overflow, whatever the
     * logits' scale), and leaves the sum at least 1 (no underflow to {@code log 0}). The grouping
     * matters too: {@code y_label − m} is a difference of two floats, exact in double, so the only
     * roundings are those of the log-sum; the textbook {@code m + log Σ − y_label} adds {@code m}
     * first and loses the small loss of a confident, correct item to the rounding of a large
     * {@code m} (at {@code m = 10⁴} every loss below about 10⁻¹² would read 0).
     *
     * @param y output rows (logits)
     * @param offset where the item's row starts in {@code y}
     * @param width W, the number of classes, at least 1
     * @param label the item's class, in {@code 0 … W − 1}
     * @return the item's loss, in nats
     * @throws IllegalArgumentException when width is below 1, the row does not fit {@code y} or the
     *     label is not a class
     */
    public static double crossEntropy(float[] y, int offset, int width, int label) {
        checkLabel(label, checkRow("y", y, offset, width));
        return computeCrossEntropy(y, offset, width, label, 0, null);
    }

    /**
     * {@link #crossEntropy(float[], int, int, int) The softmax cross-entropy of one item}, writing
     * {@code gradient[offset + j] = scale · (softmax(y)_j − [j = label])}.
     *
     * @param y output rows (logits)
     * @param offset where the item's row starts in {@code y} and in {@code gradient}
     * @param width W, the number of classes, at least 1
     * @param label the item's class, in {@code 0 … W − 1}
     * @param scale the factor of the gradient, e.g. 1/N for a mean over N items
     * @param gradient where the gradient row goes, laid out like {@code y}
     * @return the item's loss, in nats
     * @throws IllegalArgumentException when width is below 1, a row does not fit its array or the
     *     label is not a class
     */
    public static double crossEntropy(float[] y, int offset, int width, int label, double scale, float[] gradient) {
        checkLabel(label, checkRow("gradient", gradient, offset, checkRow("y", y, offset, width)));
        return computeCrossEntropy(y, offset, width, label, scale, gradient);
    }

    /** The one squared-error formula; {@code gradient} null: the loss only. */
    private static double computeSquaredError(float[] y, int offset, float[] targets, int targetOffset, int width,
            double scale, float[] gradient) {
        double sum = 0;
        for (int j = 0; j < width; j++) {
            double diff = (double) y[offset + j] - targets[targetOffset + j];
            sum += diff * diff;
            if (gradient != null) {
                gradient[offset + j] = (float) (scale * 2 * diff / width);
            }
        }
        return sum / width;
    }

    /** The one cross-entropy formula; {@code gradient} null: the loss only. */
    private static double computeCrossEntropy(float[] y, int offset, int width, int label, double scale, float[] gradient) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < width; j++) {
            max = Math.max(max, y[offset + j]);
        }
        double sum = 0;
        for (int j = 0; j < width; j++) {
            sum += Math.exp(y[offset + j] - max);
        }
        double logSum = Math.log(sum);
        if (gradient != null) {
            for (int j = 0; j < width; j++) {
                double p = Math.exp(y[offset + j] - max - logSum);
                gradient[offset + j] = (float) (scale * (p - (j == label ? 1 : 0)));
            }
        }
        return logSum - (y[offset + label] - max);
    }

    /** @return width, once the row {@code [offset, offset + width)} is known to fit {@code array} */
    private static int checkRow(String name, float[] array, int offset, int width) {
        if (width < 1) {
            throw new IllegalArgumentException("the width must be at least 1, got " + width);
        }
        if (array == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        if (offset < 0 || offset > array.length - width) {
            throw new IllegalArgumentException("a row of " + width + " at offset " + offset + " does not fit " + name
                    + " (length " + array.length + ")");
        }
        return width;
    }

    private static void checkLabel(int label, int width) {
        if (label < 0 || label >= width) {
            throw new IllegalArgumentException("label " + label + " is not a class of " + width + " (expected 0 … "
                    + (width - 1) + ")");
        }
    }
}
