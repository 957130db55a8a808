package org.buddycloud.search.domain;

import java.util.ArrayList;
import java.util.List;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;

/**
 * What a user typed, understood as the only syntax we offer: words, all of which must match, and "phrases in double
 * quotes", whose words must stand together in that order. Nothing else is syntax — {@code AND}, {@code *},
 * {@code field:value}, brackets are words like any other — so a query never asks an engine for more (or other) work
 * than the user meant.
 */
public record SearchText(List<Part> parts) {

    public static final int LONGEST = 256;
    public static final int MOST_PARTS = 16;

    /** A word, or a phrase whose words must stand together. */
    public record Part(String text, boolean phrase) {
    }

    public SearchText {
        parts = List.copyOf(parts);
    }

    public static SearchText parse(String text) {
        if (text == null || text.isBlank()) {
            throw new DomainException(Condition.BAD_REQUEST, "say what to search for (q)");
        }
        if (text.codePointCount(0, text.length()) > LONGEST) {
            throw new DomainException(Condition.BAD_REQUEST, "a search is at most " + LONGEST + " characters long");
        }
        List<Part> found = new ArrayList<>();
        String[] parts = text.split("\"", -1);
        // the text between the 1st and 2nd quote, 3rd and 4th… is a phrase; an unclosed quote quotes nothing
        boolean closed = parts.length % 2 == 1;
        for (int i = 0; i < parts.length; i++) {
            boolean quoted = i % 2 == 1 && (closed || i < parts.length - 1);
            String part = parts[i].strip();
            if (part.isEmpty()) {
                continue;
            }
            if (quoted) {
                found.add(new Part(part.replaceAll("\\s+", " "), true));
            } else {
                for (String word : part.split("\\s+")) {
                    found.add(new Part(word, false));
                }
            }
        }
        if (found.size() > MOST_PARTS) {
            throw new DomainException(Condition.BAD_REQUEST, "a search has at most " + MOST_PARTS + " words and phrases");
        }
        // words of punctuation alone match nothing and are left out; a search of nothing else is refused
        List<Part> meaningful = found.stream().filter(p -> p.text().codePoints().anyMatch(Character::isLetterOrDigit)).toList();
        if (meaningful.isEmpty()) {
            throw new DomainException(Condition.BAD_REQUEST, "a search needs at least one letter or digit");
        }
        return new SearchText(meaningful);
    }
}
