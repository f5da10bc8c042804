package dev.elman.cli.tasks;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CharVocabularyTest {
    @Test
    void symbolsRoundTripInCodePointOrder() {
        CharVocabulary vocabulary = CharVocabulary.of("hello, wörld\n");
        assertEquals("\n ,dehlorwö", vocabulary.symbols());
        assertEquals(vocabulary, CharVocabulary.parse(vocabulary.symbols()));
        assertArrayEquals(new int[] {5, 4, 6, 6, 7}, vocabulary.encode("hello", "x"));
        assertEquals('ö', vocabulary.codePoint(vocabulary.indexOf('ö')));
        assertEquals(-1, vocabulary.indexOf('z'));
    }

    @Test
    void namesTheCharacterThatIsNotInTheVocabulary() {
        CharVocabulary vocabulary = CharVocabulary.of("abc");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> vocabulary.encode("abz", "--prime"));
        assertEquals("--prime: character 'z' (U+007A) at position 2 is not in the model's vocabulary of 3 characters",
                e.getMessage());
    }

    @Test
    void rejectsVocabulariesThatCannotHaveComeFromOf() {
        assertThrows(IllegalArgumentException.class, () -> CharVocabulary.parse("a"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CharVocabulary.parse("ba"));
        assertEquals("character vocabulary: characters must be distinct and in code-point order, but U+0061 follows"
                + " U+0062", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CharVocabulary.parse("abb"));
    }
}
