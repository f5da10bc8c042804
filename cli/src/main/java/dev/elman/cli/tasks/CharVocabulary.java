package dev.elman.cli.tasks;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * The characters (Unicode code points) of a text, each given a class index in code-point order.
 * Its {@link #symbols()} string is how a checkpoint stores it, and {@link #parse} reads it back.
 */
public final class CharVocabulary {
    private final int[] codePoints;
    private final Map<Integer, Integer> indices = new TreeMap<>();

    private CharVocabulary(int[] codePoints) {
        this.codePoints = codePoints;
        for (int i = 0; i < codePoints.length; i++) {
            indices.put(codePoints[i], i);
        }
    }

    /**
     * The vocabulary of a text: its distinct code points, sorted.
     *
     * @param text the text
     * @return the vocabulary
     * @throws IllegalArgumentException when the text has fewer than 2 distinct characters (there
     *     would be nothing to predict)
     */
    public static CharVocabulary of(String text) {
        int[] distinct = text.codePoints().distinct().sorted().toArray();
        if (distinct.length < 2) {
            throw new IllegalArgumentException("the text has " + distinct.length
                    + " distinct character(s); a character model needs at least 2");
        }
        return new CharVocabulary(distinct);
    }

    /**
     * Reads a vocabulary written by {@link #symbols()}.
     *
     * @param symbols the distinct characters in code-point order
     * @return the vocabulary
     * @throws IllegalArgumentException when the characters are fewer than 2, repeated or out of order
     */
    public static CharVocabulary parse(String symbols) {
        int[] points = symbols.codePoints().toArray();
        if (points.length < 2) {
            throw new IllegalArgumentException("a character vocabulary needs at least 2 characters, got " + points.length);
        }
        for (int i = 1; i < points.length; i++) {
            if (points[i] <= points[i - 1]) {
                throw new IllegalArgumentException("character vocabulary: characters must be distinct and in code-point"
                        + " order, but U+" + hex(points[i]) + " follows U+" + hex(points[i - 1]));
            }
        }
        return new CharVocabulary(points);
    }

    /** @return the number of characters, the model's input and output width */
    public int size() {
        return codePoints.length;
    }

    /**
     * @param codePoint a character
     * @return its index, or −1 when it is not in the vocabulary
     */
    public int indexOf(int codePoint) {
        Integer index = indices.get(codePoint);
        return index == null ? -1 : index;
    }

    /**
     * @param index 0 … size − 1
     * @return the character's code point
     */
    public int codePoint(int index) {
        if (index < 0 || index >= codePoints.length) {
            throw new IllegalArgumentException("index must be in 0 … " + (codePoints.length - 1) + ", got " + index);
        }
        return codePoints[index];
    }

    /**
     * The indices of a text's characters.
     *
     * @param text the text
     * @param what names the text in the error message ({@code "--prime"}, a file name)
     * @return one index per code point
     * @throws IllegalArgumentException naming the first character that is not in the vocabulary
     */
    public int[] encode(String text, String what) {
        int[] points = text.codePoints().toArray();
        int[] encoded = new int[points.length];
        for (int i = 0; i < points.length; i++) {
            encoded[i] = indexOf(points[i]);
            if (encoded[i] < 0) {
                throw new IllegalArgumentException(what + ": character " + describe(points[i]) + " at position " + i
                        + " is not in the model's vocabulary of " + size() + " characters");
            }
        }
        return encoded;
    }

    /** @return the characters in index order, as one string */
    public String symbols() {
        return new String(codePoints, 0, codePoints.length);
    }

    /**
     * @param codePoint a character
     * @return it quoted, with its code point, e.g. {@code 'é' (U+00E9)}
     */
    static String describe(int codePoint) {
        String shown = Character.isISOControl(codePoint) || Character.isWhitespace(codePoint) ? "" : "'"
                + new String(Character.toChars(codePoint)) + "' ";
        return shown + "(U+" + hex(codePoint) + ")";
    }

    private static String hex(int codePoint) {
        return String.format("%04X", codePoint);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CharVocabulary v && Arrays.equals(codePoints, v.codePoints);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(codePoints);
    }

    @Override
    public String toString() {
        return "CharVocabulary[" + size() + " characters]";
    }
}
