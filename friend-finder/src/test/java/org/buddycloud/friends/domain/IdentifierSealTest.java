package org.buddycloud.friends.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class IdentifierSealTest {

    private static final String KEY = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8));
    private static final String OTHER_KEY = Base64.getEncoder().encodeToString("fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.UTF_8));

    private final IdentifierSeal seal = new IdentifierSeal(KEY, new SecureRandom());

    @Test
    void aSealedIdentifierOpensAsItWasAndShowsNothingOfIt() {
        Identifier juliet = Identifier.email("juliet@capulet.lit");
        byte[] sealed = seal.seal(juliet);
        assertEquals(juliet, seal.open(sealed));
        assertFalse(new String(sealed, StandardCharsets.ISO_8859_1).contains("juliet"));
        assertNotEquals(new String(sealed, StandardCharsets.ISO_8859_1), new String(seal.seal(juliet), StandardCharsets.ISO_8859_1),
                "a fresh nonce each time");
    }

    @Test
    void fingerprintsAreStableUnderOneKeyAndUnrelatedUnderAnother() {
        Identifier juliet = Identifier.phone("+44 7400 123456", null);
        assertEquals(seal.fingerprint(juliet), seal.fingerprint(Identifier.phone("07400 123456", "GB")));
        IdentifierSeal other = new IdentifierSeal(OTHER_KEY, new SecureRandom());
        assertNotEquals(seal.fingerprint(juliet), other.fingerprint(juliet));
        assertThrows(IllegalStateException.class, () -> other.open(seal.seal(juliet)), "another key opens nothing");
    }

    @Test
    void aShortOrMalformedKeyIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new IdentifierSeal("c2hvcnQ=", new SecureRandom()));
        assertThrows(IllegalArgumentException.class, () -> new IdentifierSeal("not base64 !", new SecureRandom()));
    }
}
