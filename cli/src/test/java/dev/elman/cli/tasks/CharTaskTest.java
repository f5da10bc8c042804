package dev.elman.cli.tasks;

import dev.elman.engine.training.SequenceSource;
import dev.elman.engine.training.TrainingBatch;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CharTaskTest {
    private static final String TEXT = "the quick brown fox jumps over the lazy dog. ".repeat(20);

    @Test
    void eachLabelIsTheNextCharacterAndStreamsContinueAcrossBatches() {
        CharTask task = new CharTask(TEXT, 7);
        CharVocabulary vocabulary = task.vocabulary();
        int b = 3;
        SequenceSource source = task.source(b, 42);
        int[] lastLabel = new int[b];
        int continued = 0;
        int restarted = 0;
        for (int k = 0; k < 200; k++) {
            TrainingBatch batch = source.next();
            float[] x = batch.inputs().inputs();
            int[] labels = batch.labels();
            int width = vocabulary.size();
            for (int n = 0; n < b; n++) {
                for (int t = 0; t < 7; t++) {
                    int input = hot(x, (t * b + n) * width, width);
                    if (t > 0) {
                        assertEquals(labels[(t - 1) * b + n], input, "the input at t is the label at t − 1");
                    } else if (batch.continuesPrevious()) {
                        assertEquals(lastLabel[n], input, "a continued stream picks up where it stopped");
                    }
                }
                lastLabel[n] = labels[6 * b + n];
            }
            if (k > 0) {
                if (batch.continuesPrevious()) {
                    continued++;
                } else {
                    restarted++;
                }
            }
            assertEquals(k == 0 ? false : batch.continuesPrevious(), k > 0 && batch.continuesPrevious());
        }
        assertTrue(continued > 0 && restarted > 0, "200 batches of 7 through 900 characters both continue and restart: "
                + continued + " continued, " + restarted + " restarted");
    }

    @Test
    void theFirstBatchStartsFreshAndTheTextMustBeLongEnough() {
        CharTask task = new CharTask("abcab", 4);
        assertFalse(task.source(2, 1).next().continuesPrevious());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CharTask("abcab", 5));
        assertEquals("chars task: the text has 5 characters, fewer than length + 1 = 6", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new CharTask("aaaaaaa", 2), "one distinct character");
    }

    @Test
    void theBaselineIsTheUnigramEntropy() {
        assertEquals(Math.log(2), new CharTask("abababab", 3).baselineLoss(), 1e-12);
        // a: 1/2, b and c: 1/4 each → H = ½ ln 2 + ½ ln 4 = 1.5 ln 2
        assertEquals(1.5 * Math.log(2), new CharTask("aabcaabc", 3).baselineLoss(), 1e-12);
    }

    @Test
    void charactersOutsideTheBasicPlaneAreOneSymbolEach() {
        CharTask task = new CharTask("a😀b😀a😀b", 2);
        assertEquals(3, task.vocabulary().size());
        assertEquals(7, task.textLength());
    }

    private static int hot(float[] x, int offset, int width) {
        int hot = -1;
        for (int j = 0; j < width; j++) {
            if (x[offset + j] == 1f) {
                assertEquals(-1, hot, "one-hot");
                hot = j;
            } else {
                assertEquals(0f, x[offset + j]);
            }
        }
        assertTrue(hot >= 0, "one-hot");
        return hot;
    }
}
