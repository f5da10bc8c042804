package dev.elman.cli.tasks;

import dev.elman.engine.model.Initialization;
import dev.elman.engine.model.Model;
import dev.elman.engine.model.ModelConfig;
import dev.elman.engine.model.ParameterNames;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CharSamplerTest {
    private final CharVocabulary vocabulary = CharVocabulary.of("abcd");

    private Model model(long seed) {
        return Model.create(ModelConfig.builder().inputSize(4).hiddenSize(8).outputSize(4).build(),
                Initialization.uniform(), seed);
    }

    @Test
    void theSameSeedGivesTheSameTextAndThePrimeComesFirst() {
        Model model = model(1);
        CharSampler sampler = new CharSampler(model, vocabulary);
        String text = sampler.sample("abc", 50, 1.0, new SplittableRandom(9));
        assertEquals(53, text.length());
        assertTrue(text.startsWith("abc"));
        assertTrue(text.chars().allMatch(c -> c >= 'a' && c <= 'd'), text);
        assertEquals(text, sampler.sample("abc", 50, 1.0, new SplittableRandom(9)));
        assertNotEquals(text, sampler.sample("abc", 50, 1.0, new SplittableRandom(10)));
        assertEquals(11, sampler.sample("", 10, 1.0, new SplittableRandom(9)).length(), "one drawn character, then 10");
    }

    /**
     * The streaming form hands each character over as it is drawn (so {@code rnn sample} prints as it
     * goes, in constant memory) and gives the same text as the string form.
     */
    @Test
    void charactersAreStreamedAsTheyAreDrawn() {
        Model model = model(1);
        CharSampler sampler = new CharSampler(model, vocabulary);
        String whole = sampler.sample("ab", 50, 0.9, new SplittableRandom(7));
        StringBuilder streamed = new StringBuilder();
        sampler.sample("ab", 50, 0.9, new SplittableRandom(7), streamed::appendCodePoint);
        assertEquals(whole, streamed.toString());
        int[] seen = {0};
        RuntimeException stop = new RuntimeException("enough");
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> sampler.sample("ab", 1_000_000_000, 0.9,
                new SplittableRandom(7), c -> {
                    if (++seen[0] == 5) {
                        throw stop;
                    }
                }));
        assertSame(stop, thrown);
        assertEquals(5, seen[0], "the fifth character arrived before the billionth was drawn");
    }

    @Test
    void aColdSamplerFollowsTheLargestLogit() {
        // Head weights zero and head bias favouring 'c': every step's most likely character is 'c'.
        Model model = model(2);
        java.util.Arrays.fill(model.parameters().get(ParameterNames.HEAD_WEIGHTS).data(), 0f);
        float[] bias = model.parameters().get(ParameterNames.HEAD_BIAS).data();
        java.util.Arrays.fill(bias, 0f);
        bias[2] = 1f;
        model.loadParameters();
        // At τ = 0.01 the other classes have weight e^(−100) each: 3e−44 together, never drawn.
        String text = new CharSampler(model, vocabulary).sample("a", 40, 0.01, new SplittableRandom(3));
        assertEquals("a" + "c".repeat(40), text);
    }

    @Test
    void drawFollowsTheSoftmax() {
        // logits ln 1, ln 2, ln 3, ln 4 at τ = 1: probabilities 0.1 … 0.4. With 100 000 draws the
        // standard error of a frequency is at most √(0.25/100 000) ≈ 0.0016; 0.01 is 6σ.
        float[] y = {0f, (float) Math.log(2), (float) Math.log(3), (float) Math.log(4)};
        int[] counts = new int[4];
        SplittableRandom random = new SplittableRandom(5);
        double[] weights = new double[4];
        for (int i = 0; i < 100_000; i++) {
            counts[CharSampler.draw(y, 1.0, weights, random)]++;
        }
        for (int k = 0; k < 4; k++) {
            assertEquals((k + 1) / 10.0, counts[k] / 100_000.0, 0.01, "class " + k);
        }
    }

    @Test
    void rejectsModelsAndArgumentsThatDoNotFit() {
        Model wide = Model.create(ModelConfig.builder().inputSize(5).hiddenSize(4).outputSize(5).build(),
                Initialization.uniform(), 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CharSampler(wide, vocabulary));
        assertEquals("the model reads 5 and writes 5 features per step, but the vocabulary has 4 characters", e.getMessage());
        CharSampler sampler = new CharSampler(model(1), vocabulary);
        assertThrows(IllegalArgumentException.class, () -> sampler.sample("x", 5, 1, new SplittableRandom(1)));
        assertThrows(IllegalArgumentException.class, () -> sampler.sample("a", 5, 0, new SplittableRandom(1)));
        assertThrows(IllegalArgumentException.class, () -> sampler.sample("a", -1, 1, new SplittableRandom(1)));
    }
}
