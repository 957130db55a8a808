package org.buddycloud.contracts.jid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LocalpartsTest {

    @Test
    void caseMapsUserNames() {
        assertEquals("juliet", Localparts.normalise("Juliet"));
        assertEquals("jürgen.o-neil_2", Localparts.normalise("JÜRGEN.o-neil_2"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"romeo@montague", "a/b", "a:b", "a<b", "a>b", "a&b", "a'b", "a\"b", "two words", "tab\there"})
    void refusesCharactersXmppExcludes(String name) {
        assertThrows(InvalidJidException.class, () -> Localparts.normalise(name));
    }

    @Test
    void refusesEmptyAndOverlongNames() {
        assertThrows(InvalidJidException.class, () -> Localparts.normalise(""));
        assertThrows(InvalidJidException.class, () -> Localparts.normalise(null));
        assertThrows(InvalidJidException.class, () -> Localparts.normalise("x".repeat(1024)));
        assertEquals(1023, Localparts.normalise("x".repeat(1023)).length());
    }

    @Test
    void refusesControlCharacters() {
        assertThrows(InvalidJidException.class, () -> Localparts.normalise("bell\u0007"));
    }
}
