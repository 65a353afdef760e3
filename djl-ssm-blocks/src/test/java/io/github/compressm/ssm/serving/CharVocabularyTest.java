package io.github.compressm.ssm.serving;

import org.testng.Assert;
import org.testng.annotations.Test;

public class CharVocabularyTest {

    @Test
    public void idsFollowCodePointOrderAndDecodeBack() {
        CharVocabulary vocabulary = CharVocabulary.of("ba€ab");
        Assert.assertEquals(vocabulary.size(), 3);
        Assert.assertEquals(vocabulary.encode("ab€"), new int[] {0, 1, 2});
        Assert.assertEquals(vocabulary.decode(vocabulary.encode("€ba")), "€ba");
    }

    @Test
    public void anUnknownCharacterIsNamed() {
        IllegalArgumentException e =
                Assert.expectThrows(
                        IllegalArgumentException.class, () -> CharVocabulary.of("ab").encode("c"));
        Assert.assertTrue(e.getMessage().contains("U+63"), e.getMessage());
    }
}
