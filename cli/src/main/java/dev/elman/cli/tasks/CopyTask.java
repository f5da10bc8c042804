package dev.elman.cli.tasks;

import dev.elman.engine.model.SequenceBatch;
import dev.elman.engine.training.Loss;
import dev.elman.engine.training.LossScope;
import dev.elman.engine.training.TrainingBatch;

import java.util.Map;
import java.util.SplittableRandom;

/**
 * Memorise and recall (the copy task of Hochreiter and Schmidhuber 1997 and Arjovsky et al. 2016):
 * the network reads {@code S} random symbols from an alphabet of {@code K}, then {@code D} blank
 * steps the last of which is a "go" marker, then must write the {@code S} symbols back in order
 * while reading blanks. A sequence has {@code T = S + D + S} steps.
 *
 * <p>Inputs are one-hot over {@code K + 2} channels (the symbols, {@link #blank() blank} and
 * {@link #go() go}). The output is {@code K} logits per step scored by softmax cross-entropy at the
 * {@code S} recall steps only (every other step's label is {@link TrainingBatch#IGNORE}), so the
 * loss of guessing is {@code ln K} and a perfect recall scores 0. A batch has one-hot inputs
 * {@code [T][B][K + 2]} and labels {@code [T][B]}.
 */
public final class CopyTask extends SyntheticTask {
    /** The default number of symbols to remember. */
    public static final int DEFAULT_SYMBOLS = 10;
    /** The default alphabet size. */
    public static final int DEFAULT_ALPHABET = 8;

    private final int symbols;
    private final int alphabet;
    private final int delay;

    /**
     * @param symbols S, the symbols to remember, at least 1
     * @param alphabet K, the distinct symbols, at least 2
     * @param delay D, the steps between the last symbol and the first recall, at least 1 (the go
     *     marker is the last of them)
     * @throws IllegalArgumentException naming the value out of range
     */
    public CopyTask(int symbols, int alphabet, int delay) {
        if (symbols < 1) {
            throw new IllegalArgumentException("copy task: symbols must be at least 1, got " + symbols);
        }
        if (alphabet < 2) {
            throw new IllegalArgumentException("copy task: the alphabet needs at least 2 symbols, got " + alphabet);
        }
        if (delay < 1) {
            throw new IllegalArgumentException("copy task: the delay must be at least 1 (the go marker), got " + delay);
        }
        if (2L * symbols + delay > Integer.MAX_VALUE / 64) {
            throw new IllegalArgumentException("copy task: 2·symbols + delay = " + (2L * symbols + delay) + " steps is too long");
        }
        super("copy", alphabet + 2, alphabet, Loss.SOFTMAX_CROSS_ENTROPY, LossScope.EVERY_STEP, 2 * symbols + delay);
        this.symbols = symbols;
        this.alphabet = alphabet;
        this.delay = delay;
    }

    /** @return S */
    public int symbols() {
        return symbols;
    }

    /** @return K */
    public int alphabet() {
        return alphabet;
    }

    /** @return D */
    public int delay() {
        return delay;
    }

    /** @return the input channel of a blank step */
    public int blank() {
        return alphabet;
    }

    /** @return the input channel of the go marker */
    public int go() {
        return alphabet + 1;
    }

    @Override
    TrainingBatch generate(int batchSize, SplittableRandom random) {
        int steps = steps();
        int width = inputSize();
        float[] x = new float[steps * batchSize * width];
        int[] labels = new int[steps * batchSize];
        java.util.Arrays.fill(labels, TrainingBatch.IGNORE);
        int recall = symbols + delay;
        for (int b = 0; b < batchSize; b++) {
            for (int s = 0; s < symbols; s++) {
                int symbol = random.nextInt(alphabet);
                x[(s * batchSize + b) * width + symbol] = 1f;
                labels[(recall + s) * batchSize + b] = symbol;
            }
            for (int t = symbols; t < steps; t++) {
                x[(t * batchSize + b) * width + (t == recall - 1 ? go() : blank())] = 1f;
            }
        }
        return TrainingBatch.withLabels(new SequenceBatch(x, steps, batchSize, width), labels);
    }

    @Override
    public double baselineLoss() {
        return Math.log(alphabet);
    }

    @Override
    public String baselineDescription() {
        return "uniform guess over the " + alphabet + " symbols, ln " + alphabet;
    }

    /** The length is the delay D: S and K go under their own keys. */
    @Override
    Map<String, String> parameters() {
        return Map.of(Tasks.LENGTH_KEY, Integer.toString(delay),
                Tasks.SYMBOLS_KEY, Integer.toString(symbols), Tasks.ALPHABET_KEY, Integer.toString(alphabet));
    }

    @Override
    public String toString() {
        return "copy task, " + symbols + " symbols of " + alphabet + ", delay " + delay;
    }
}
