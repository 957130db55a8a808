package org.buddycloud.search.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.buddycloud.contracts.problem.DomainException;
import org.junit.jupiter.api.Test;

class SearchTextTest {

    private static List<String> parts(String text) {
        return SearchText.parse(text).parts().stream().map(p -> p.phrase() ? "\"" + p.text() + "\"" : p.text()).toList();
    }

    @Test
    void wordsAndQuotedPhrases() {
        assertEquals(List.of("wherefore", "\"art thou\"", "romeo"), parts("wherefore \"art   thou\" romeo"));
        assertEquals(List.of("unclosed", "quote"), parts("\"unclosed quote"), "an unclosed quote quotes nothing");
    }

    @Test
    void engineSyntaxIsJustText() {
        assertEquals(List.of("title:secret", "AND", "(x"), parts("title:secret AND * (x"),
                "a word of punctuation alone is dropped, the rest stays a word");
    }

    @Test
    void emptyPunctuationOnlyAndOverlongSearchesAreRefused() {
        assertThrows(DomainException.class, () -> SearchText.parse(null));
        assertThrows(DomainException.class, () -> SearchText.parse("   "));
        assertThrows(DomainException.class, () -> SearchText.parse("* ? \"\""));
        assertThrows(DomainException.class, () -> SearchText.parse("x".repeat(SearchText.LONGEST + 1)));
        assertThrows(DomainException.class, () -> SearchText.parse("a ".repeat(SearchText.MOST_PARTS + 1)));
    }
}
