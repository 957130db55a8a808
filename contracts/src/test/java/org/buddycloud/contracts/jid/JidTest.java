package org.buddycloud.contracts.jid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JidTest {

    @Test
    void aRequestFieldTakesOnlyABareJidAndNamesItselfWhenRefused() {
        assertEquals(Jid.parse("juliet@capulet.lit"), Jid.parseEntityBare("user", " Juliet@Capulet.lit "));
        org.buddycloud.contracts.problem.DomainException notBare = assertThrows(org.buddycloud.contracts.problem.DomainException.class,
                () -> Jid.parseEntityBare("channel", "juliet@capulet.lit/balcony"));
        assertEquals(org.buddycloud.contracts.problem.Condition.BAD_REQUEST, notBare.condition());
        assertTrue(notBare.getMessage().startsWith("channel must be a bare JID"));
        assertTrue(assertThrows(org.buddycloud.contracts.problem.DomainException.class, () -> Jid.parseEntityBare("user", "a@b@c"))
                .getMessage().startsWith("user is not a JID"));
        assertThrows(org.buddycloud.contracts.problem.DomainException.class, () -> Jid.parseEntityBare("user", "capulet.lit"));
        assertThrows(org.buddycloud.contracts.problem.DomainException.class, () -> Jid.parseEntityBare("user", null));
    }

    @Test
    void splitsAFullJidIntoItsParts() {
        Jid jid = Jid.parse("juliet@example.com/balcony");
        assertEquals(Optional.of("juliet"), jid.localpart());
        assertEquals("example.com", jid.domain());
        assertEquals(Optional.of("balcony"), jid.resource());
        assertFalse(jid.isBare());
        assertEquals(Jid.parse("juliet@example.com"), jid.toBare());
    }

    @Test
    void normalisesCaseOfLocalpartAndDomainButNotResource() {
        Jid jid = Jid.parse("Juliet@Example.COM/Balcony");
        assertEquals("juliet@example.com/Balcony", jid.toString());
        assertEquals(Jid.parse("juliet@example.com/Balcony"), jid);
    }

    @Test
    void aDomainIsAJidButNotAnEntity() {
        Jid domain = Jid.parse("channels.example.com");
        assertTrue(domain.isBare());
        assertFalse(domain.isEntityBare());
        assertTrue(Jid.parse("juliet@example.com").isEntityBare());
        assertFalse(Jid.parse("juliet@example.com/phone").isEntityBare());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "@example.com", "juliet@", "a b@example.com", "juliet@example.com/", "not a jid", "juliet@exa mple.com", "juliet@example\\com"})
    void refusesWhatIsNotAJid(String text) {
        assertThrows(InvalidJidException.class, () -> Jid.parse(text));
    }

    @Test
    void refusesNull() {
        assertThrows(InvalidJidException.class, () -> Jid.parse(null));
    }
}
