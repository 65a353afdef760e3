package io.github.compressm.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Small texts for the character language model's tests. */
public final class TestTexts {

    private TestTexts() {}

    /**
     * Writes about 6,000 characters of random sentences from eight words, the same every time.
     *
     * @param file the file to write
     * @return the file
     * @throws IOException if it cannot be written
     */
    public static Path writeWords(Path file) throws IOException {
        StringBuilder sb = new StringBuilder();
        Random random = new Random(1);
        String[] words = {"the", "state", "space", "model", "shrinks", "while", "it", "learns"};
        while (sb.length() < 6000) {
            sb.append(words[random.nextInt(words.length)])
                    .append(random.nextInt(8) == 0 ? ".\n" : " ");
        }
        Files.writeString(file, sb, StandardCharsets.UTF_8);
        return file;
    }
}
