package dev.elman.cli.tasks;

import dev.elman.engine.model.SequenceBatch;
import dev.elman.engine.training.Loss;
import dev.elman.engine.training.LossScope;
import dev.elman.engine.training.SequenceSource;
import dev.elman.engine.training.TrainingBatch;

import java.util.Map;
import java.util.SplittableRandom;

/**
 * A character-level language model on a text: at each step the network reads one character
 * (one-hot over the {@link CharVocabulary}) and is scored by softmax cross-entropy on the next.
 *
 * <p>A source reads B streams through the text, each from its own random position, T characters
 * per batch; consecutive batches {@linkplain TrainingBatch#continuing() continue} the streams, so
 * the state runs on across batches while gradients stop at batch boundaries (truncated BPTT over
 * a long text). When a stream would run past the end, all B restart at new random positions.
 *
 * <p>The baseline is the text's unigram model (every character predicted with its frequency):
 * its cross-entropy is the entropy of the character distribution, in nats.
 */
public final class CharTask extends AbstractTask {
    private final CharVocabulary vocabulary;
    private final int[] text;
    private final double unigramEntropy;

    /**
     * @param text the training text
     * @param steps T, the characters per batch and stream, at least 1
     * @throws IllegalArgumentException when the text has fewer than {@code T + 1} characters or
     *     fewer than 2 distinct ones
     */
    public CharTask(String text, int steps) {
        this(text, CharVocabulary.of(text), steps);
    }

    /**
     * @param text the training text
     * @param vocabulary a vocabulary holding every character of the text (e.g. to continue training
     *     a saved model)
     * @param steps T, the characters per batch and stream, at least 1
     * @throws IllegalArgumentException when the text is too short or has a character outside the vocabulary
     */
    public CharTask(String text, CharVocabulary vocabulary, int steps) {
        super("chars", vocabulary.size(), vocabulary.size(), Loss.SOFTMAX_CROSS_ENTROPY, LossScope.EVERY_STEP, steps);
        this.vocabulary = vocabulary;
        this.text = vocabulary.encode(text, "text");
        if (this.text.length < steps + 1) {
            throw new IllegalArgumentException("chars task: the text has " + this.text.length
                    + " characters, fewer than length + 1 = " + (steps + 1));
        }
        long[] counts = new long[vocabulary.size()];
        for (int c : this.text) {
            counts[c]++;
        }
        double entropy = 0;
        for (long count : counts) {
            if (count > 0) {
                double p = (double) count / this.text.length;
                entropy -= p * Math.log(p);
            }
        }
        this.unigramEntropy = entropy;
    }

    /** @return the characters and their indices */
    public CharVocabulary vocabulary() {
        return vocabulary;
    }

    /** @return the number of characters of the text */
    public int textLength() {
        return text.length;
    }

    @Override
    SequenceSource source(int batchSize, SplittableRandom random) {
        return new Streams(batchSize, random);
    }

    @Override
    public double baselineLoss() {
        return unigramEntropy;
    }

    @Override
    public String baselineDescription() {
        return "each character's frequency in the text (unigram entropy)";
    }

    /** The length and the vocabulary; the text itself is not kept. */
    @Override
    Map<String, String> parameters() {
        return Map.of(Tasks.LENGTH_KEY, Integer.toString(steps()), Tasks.VOCABULARY_KEY, vocabulary.symbols());
    }

    @Override
    public String toString() {
        return "character model, " + vocabulary.size() + " characters, " + text.length + " in the text, T = " + steps();
    }

    /** B streams through the text. */
    private final class Streams implements SequenceSource {
        private final int batch;
        private final SplittableRandom random;
        private final int[] positions;
        private boolean started;

        Streams(int batch, SplittableRandom random) {
            this.batch = batch;
            this.random = random;
            this.positions = new int[batch];
        }

        @Override
        public TrainingBatch next() {
            int steps = steps();
            boolean continuing = started;
            for (int position : positions) {
                continuing &= position + steps + 1 <= text.length;
            }
            if (!continuing) {
                for (int b = 0; b < batch; b++) {
                    positions[b] = random.nextInt(text.length - steps);
                }
            }
            started = true;
            int width = vocabulary.size();
            float[] x = new float[steps * batch * width];
            int[] labels = new int[steps * batch];
            for (int b = 0; b < batch; b++) {
                int p = positions[b];
                for (int t = 0; t < steps; t++) {
                    x[(t * batch + b) * width + text[p + t]] = 1f;
                    labels[t * batch + b] = text[p + t + 1];
                }
                positions[b] = p + steps;
            }
            TrainingBatch next = TrainingBatch.withLabels(new SequenceBatch(x, steps, batch, width), labels);
            return continuing ? next.continuing() : next;
        }
    }
}
