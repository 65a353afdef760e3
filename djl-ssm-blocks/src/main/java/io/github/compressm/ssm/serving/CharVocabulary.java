package io.github.compressm.ssm.serving;

import java.util.TreeSet;

/** The characters (Unicode code points) of a text, numbered in code point order. */
public final class CharVocabulary {

    private final int[] codePoints;

    private CharVocabulary(int[] codePoints) {
        this.codePoints = codePoints;
    }

    /**
     * Collects the distinct code points of a text.
     *
     * @param text the text
     * @return the vocabulary
     */
    public static CharVocabulary of(String text) {
        TreeSet<Integer> set = new TreeSet<>();
        text.codePoints().forEach(set::add);
        return new CharVocabulary(set.stream().mapToInt(Integer::intValue).toArray());
    }

    /**
     * Returns the number of distinct characters.
     *
     * @return the vocabulary size
     */
    public int size() {
        return codePoints.length;
    }

    /**
     * Encodes a text as ids.
     *
     * @param text a text whose characters are all in the vocabulary
     * @return one id per code point
     * @throws IllegalArgumentException if a character is unknown
     */
    public int[] encode(String text) {
        return text.codePoints().map(this::id).toArray();
    }

    /**
     * Returns the id of a code point.
     *
     * @param codePoint the character
     * @return its id
     * @throws IllegalArgumentException if the character is unknown
     */
    public int id(int codePoint) {
        int i = java.util.Arrays.binarySearch(codePoints, codePoint);
        if (i < 0) {
            throw new IllegalArgumentException(
                    "character not in vocabulary: U+" + Integer.toHexString(codePoint));
        }
        return i;
    }

    /**
     * Decodes ids back into text.
     *
     * @param ids character ids
     * @return the text
     */
    public String decode(int[] ids) {
        StringBuilder sb = new StringBuilder();
        for (int id : ids) {
            sb.appendCodePoint(codePoints[id]);
        }
        return sb.toString();
    }
}
