package org.buddycloud.xmppkit.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HandshakeTest {

    @Test
    void theDigestIsLowerCaseHexSha1OfStreamIdThenSecret() {
        // computed independently: python3 -c "import hashlib; print(hashlib.sha1(b'3BF96D32sharedsecret').hexdigest())"
        assertEquals("3b6c216d9b55a7b4f3e82ab3e10cb81569f115d4", Handshake.digest("3BF96D32", "sharedsecret"));
    }

    @Test
    void textIsHashedAsUtf8() {
        assertEquals("b701f89f1939b64652587e3f5b13b45f24a3e763", Handshake.digest("id-ä", "sécret"));
    }

    @Test
    void theRightDigestMatchesInEitherCaseAndAroundWhitespace() {
        assertTrue(Handshake.matches("3BF96D32", "sharedsecret", "3b6c216d9b55a7b4f3e82ab3e10cb81569f115d4"));
        assertTrue(Handshake.matches("3BF96D32", "sharedsecret", " 3B6C216D9B55A7B4F3E82AB3E10CB81569F115D4\n"));
    }

    @Test
    void anotherSecretAnotherIdOrNoDigestDoNotMatch() {
        String digest = Handshake.digest("3BF96D32", "sharedsecret");
        assertFalse(Handshake.matches("3BF96D32", "othersecret", digest));
        assertFalse(Handshake.matches("3BF96D33", "sharedsecret", digest));
        assertFalse(Handshake.matches("3BF96D32", "sharedsecret", digest.substring(1)));
        assertFalse(Handshake.matches("3BF96D32", "sharedsecret", ""));
        assertFalse(Handshake.matches("3BF96D32", "sharedsecret", null));
    }
}
