package dev.elman.cli.tasks;

import dev.elman.engine.model.Model;
import dev.elman.engine.model.StreamingSession;

import java.util.SplittableRandom;

/**
 * Generates text from a character model: the model reads a priming text, then each next character
 * is drawn from {@code softmax(y / temperature)} and fed back in. Low temperatures approach the
 * most likely character at every step, high ones approach uniform noise.
 */
public final class CharSampler {
    private final Model model;
    private final CharVocabulary vocabulary;

    /**
     * @param model a unidirectional model reading and writing one-hot characters
     * @param vocabulary its characters
     * @throws IllegalArgumentException when the model's input or output width is not the
     *     vocabulary's size, or the model is bidirectional
     */
    public CharSampler(Model model, CharVocabulary vocabulary) {
        if (model.config().inputSize() != vocabulary.size() || model.config().outputWidth() != vocabulary.size()) {
            throw new IllegalArgumentException("the model reads " + model.config().inputSize() + " and writes "
                    + model.config().outputWidth() + " features per step, but the vocabulary has " + vocabulary.size()
                    + " characters");
        }
        if (model.config().bidirectional()) {
            throw new IllegalArgumentException("cannot sample from a bidirectional model: it reads the text from its end");
        }
        this.model = model;
        this.vocabulary = vocabulary;
    }

    /**
     * Samples text.
     *
     * @param prime the text the model reads first (every character in the vocabulary); empty to
     *     start from one character drawn uniformly from the vocabulary
     * @param count the characters to generate after the prime, at least 0
     * @param temperature positive and finite
     * @param random the random source
     * @return the prime (or the drawn first character) followed by the generated characters
     * @throws IllegalArgumentException when the prime has a character outside the vocabulary, or
     *     count or temperature is out of range
     */
    public String sample(String prime, int count, double temperature, SplittableRandom random) {
        StringBuilder text = new StringBuilder();
        sample(prime, count, temperature, random, text::appendCodePoint);
        return text.toString();
    }

    /**
     * Samples text, handing each character (as a code point) to {@code sink} as soon as it is
     * drawn: in constant memory however long the text, and printed as it goes. Everything is
     * checked before the first character reaches the sink.
     *
     * @param prime as {@link #sample(String, int, double, SplittableRandom)}
     * @param count as {@link #sample(String, int, double, SplittableRandom)}
     * @param temperature as {@link #sample(String, int, double, SplittableRandom)}
     * @param random the random source
     * @param sink receives the prime (or the drawn first character), then each generated character
     * @throws IllegalArgumentException as {@link #sample(String, int, double, SplittableRandom)}
     */
    public void sample(String prime, int count, double temperature, SplittableRandom random,
                       java.util.function.IntConsumer sink) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be at least 0, got " + count);
        }
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be positive and finite, got " + temperature);
        }
        int[] primed = prime.isEmpty() ? new int[] {random.nextInt(vocabulary.size())} : vocabulary.encode(prime, "prime");
        StreamingSession session = model.newSession();
        float[] x = new float[vocabulary.size()];
        float[] y = null;
        for (int symbol : primed) {
            sink.accept(vocabulary.codePoint(symbol));
            y = feed(session, x, symbol);
        }
        double[] weights = new double[vocabulary.size()];
        for (int i = 0; i < count; i++) {
            int symbol = draw(y, temperature, weights, random);
            sink.accept(vocabulary.codePoint(symbol));
            y = feed(session, x, symbol);
        }
    }

    private static float[] feed(StreamingSession session, float[] x, int symbol) {
        java.util.Arrays.fill(x, 0f);
        x[symbol] = 1f;
        return session.step(x);
    }

    /** Draws from softmax(y / temperature), shifted by the largest logit so no exponential overflows. */
    static int draw(float[] y, double temperature, double[] weights, SplittableRandom random) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : y) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (int i = 0; i < y.length; i++) {
            weights[i] = Math.exp((y[i] - max) / temperature);
            sum += weights[i];
        }
        double u = random.nextDouble() * sum;
        for (int i = 0; i < y.length; i++) {
            u -= weights[i];
            if (u < 0) {
                return i;
            }
        }
        // Rounding can leave u a hair above zero after the last subtraction: the last class with weight.
        for (int i = y.length - 1; i >= 0; i--) {
            if (weights[i] > 0) {
                return i;
            }
        }
        return y.length - 1;
    }
}
