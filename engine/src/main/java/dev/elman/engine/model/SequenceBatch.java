package dev.elman.engine.model;

import java.util.Arrays;

/**
 * A batch of B input sequences of up to T steps, time-major: element {@code (t, b, j)} is
 * {@code inputs()[(t·B + b)·I + j]}. Sequences may be shorter than T ({@link #lengths()}); their
 * steps from {@code lengths[b]} on are padding, which a model never reads.
 *
 * <p>The constructor checks the shape and that every value is finite. The inputs array is kept, not
 * copied: do not change it while the batch is in use. The lengths are copied.
 *
 * <p>Inputs laid out batch-major, {@code [B][T][I]} (PyTorch's {@code batch_first}, ONNX's
 * {@code layout = 1}), come in through {@link #batchMajor}, which copies them into this layout:
 * the kernels read a step of every sequence as one block of rows.
 */
public final class SequenceBatch {
    private final float[] inputs;
    private final int steps;
    private final int batch;
    private final int inputSize;
    private final int[] lengths;

    /**
     * A batch whose sequences all have T steps.
     *
     * @param inputs {@code [T][B][I]}
     * @param steps T, at least 1
     * @param batch B, at least 1
     * @param inputSize I, at least 1
     * @throws IllegalArgumentException naming the argument that does not fit, or the first non-finite value
     */
    public SequenceBatch(float[] inputs, int steps, int batch, int inputSize) {
        this(inputs, steps, batch, inputSize, null);
    }

    /**
     * A batch of sequences of the given lengths.
     *
     * @param inputs {@code [T][B][I]}; values at padding steps are ignored but must still be finite
     * @param steps T, at least 1
     * @param batch B, at least 1
     * @param inputSize I, at least 1
     * @param lengths {@code [B]}, each in {@code 0 … T}; or null when every sequence has T steps
     * @throws IllegalArgumentException naming the argument that does not fit, or the first non-finite value
     */
    public SequenceBatch(float[] inputs, int steps, int batch, int inputSize, int[] lengths) {
        positive("steps", steps);
        positive("batch", batch);
        positive("inputSize", inputSize);
        long expected = (long) steps * batch * inputSize;
        if (inputs == null) {
            throw new IllegalArgumentException("inputs must not be null (expected " + expected
                    + " = steps × batch × inputSize = " + steps + " × " + batch + " × " + inputSize + ")");
        }
        if (inputs.length != expected) {
            throw new IllegalArgumentException("inputs: expected length " + expected + " (steps × batch × inputSize = "
                    + steps + " × " + batch + " × " + inputSize + "), got " + inputs.length);
        }
        for (int i = 0; i < inputs.length; i++) {
            if (!Float.isFinite(inputs[i])) {
                int t = i / (batch * inputSize);
                int b = i / inputSize % batch;
                throw new IllegalArgumentException("inputs[t=" + t + ", b=" + b + ", j=" + i % inputSize + "] is "
                        + inputs[i] + ": inputs must be finite");
            }
        }
        if (lengths != null) {
            if (lengths.length != batch) {
                throw new IllegalArgumentException("lengths: expected length " + batch + " (batch), got " + lengths.length);
            }
            for (int b = 0; b < batch; b++) {
                if (lengths[b] < 0 || lengths[b] > steps) {
                    throw new IllegalArgumentException("lengths[" + b + "] = " + lengths[b] + " is outside 0 … "
                            + steps + " (steps)");
                }
            }
        }
        this.inputs = inputs;
        this.steps = steps;
        this.batch = batch;
        this.inputSize = inputSize;
        this.lengths = lengths == null || allEqual(lengths, steps) ? null : lengths.clone();
    }

    /**
     * A batch from batch-major inputs: element {@code (b, t, j)} at {@code inputs[(b·T + t)·I + j]}.
     * The values are copied into the time-major layout of {@link #inputs()} (one pass over them);
     * {@code inputs} itself is not kept.
     *
     * @param inputs {@code [B][T][I]}; values at padding steps are ignored but must still be finite
     * @param batch B, at least 1
     * @param steps T, at least 1
     * @param inputSize I, at least 1
     * @param lengths {@code [B]}, each in {@code 0 … T}; or null when every sequence has T steps
     * @return the batch
     * @throws IllegalArgumentException naming the argument that does not fit, or the first
     *     non-finite value with its position in the batch-major layout
     */
    public static SequenceBatch batchMajor(float[] inputs, int batch, int steps, int inputSize, int[] lengths) {
        positive("batch", batch);
        positive("steps", steps);
        positive("inputSize", inputSize);
        long expected = (long) batch * steps * inputSize;
        if (inputs == null || inputs.length != expected) {
            throw new IllegalArgumentException("inputs: expected length " + expected
                    + " (batch × steps × inputSize = " + batch + " × " + steps + " × " + inputSize + "), got "
                    + (inputs == null ? "null" : String.valueOf(inputs.length)));
        }
        for (int i = 0; i < inputs.length; i++) {
            if (!Float.isFinite(inputs[i])) {
                int b = i / (steps * inputSize);
                int t = i / inputSize % steps;
                throw new IllegalArgumentException("inputs[b=" + b + ", t=" + t + ", j=" + i % inputSize + "] is "
                        + inputs[i] + ": inputs must be finite");
            }
        }
        return new SequenceBatch(transpose(inputs, batch, steps, inputSize), steps, batch, inputSize, lengths);
    }

    /**
     * The inputs in batch-major layout, {@code [B][T][I]}: a copy.
     *
     * @return a new array
     */
    public float[] inputsBatchMajor() {
        return transpose(inputs, steps, batch, inputSize);
    }

    /**
     * Swaps the two outer axes of {@code [outer][inner][width]}: element {@code (o, i, j)} goes to
     * {@code (i, o, j)} of a new array. Time-major to batch-major and back are the same operation.
     */
    static float[] transpose(float[] source, int outer, int inner, int width) {
        float[] target = new float[source.length];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                System.arraycopy(source, (o * inner + i) * width, target, (i * outer + o) * width, width);
            }
        }
        return target;
    }

    /** @return the inputs, {@code [T][B][I]}, live */
    public float[] inputs() {
        return inputs;
    }

    /** @return T */
    public int steps() {
        return steps;
    }

    /** @return B */
    public int batch() {
        return batch;
    }

    /** @return I */
    public int inputSize() {
        return inputSize;
    }

    /** @return a copy of the lengths, or null when every sequence has T steps */
    public int[] lengths() {
        return lengths == null ? null : lengths.clone();
    }

    /**
     * @param b 0 … B − 1
     * @return the length of sequence {@code b}
     */
    public int length(int b) {
        if (b < 0 || b >= batch) {
            throw new IllegalArgumentException("b must be in 0 … " + (batch - 1) + ", got " + b);
        }
        return lengths == null ? steps : lengths[b];
    }

    /** @return whether some sequence is shorter than T */
    public boolean hasPadding() {
        return lengths != null;
    }

    /** The lengths without copying, or null when all are T; for the engine's own loops. */
    int[] lengthsView() {
        return lengths;
    }

    private static boolean allEqual(int[] values, int value) {
        for (int v : values) {
            if (v != value) {
                return false;
            }
        }
        return true;
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + value);
        }
    }

    @Override
    public String toString() {
        return "SequenceBatch[steps=" + steps + ", batch=" + batch + ", inputSize=" + inputSize
                + (lengths == null ? "" : ", lengths=" + Arrays.toString(lengths)) + "]";
    }
}
