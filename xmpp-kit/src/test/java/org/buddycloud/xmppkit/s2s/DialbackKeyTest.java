package org.buddycloud.xmppkit.s2s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DialbackKeyTest {

    private static final DialbackKey KEYS = new DialbackKey("s3cr3tf0rd14lb4ck");

    /**
     * Computed apart from this code, with the same recipe in OpenSSL:
     * {@code printf %s 'example.net example.com D60000229F' | openssl dgst -sha256 -hmac "$(printf %s s3cr3tf0rd14lb4ck | sha256sum | cut -d' ' -f1)"}.
     */
    @Test
    void theKeyIsXep0185sRecipe() {
        assertEquals("008c689ff366b50c63d69a3e2d2c0e0e1f8404b0118eb688a0102c87cb691bdc",
                KEYS.generate("example.net", "example.com", "D60000229F"));
    }

    @Test
    void aKeyVerifiesOnlyForItsOwnPairStreamAndSecret() {
        String key = KEYS.generate("capulet.lit", "montague.lit", "stream-1");
        assertTrue(KEYS.verify("capulet.lit", "montague.lit", "stream-1", key));
        assertTrue(KEYS.verify("capulet.lit", "montague.lit", "stream-1", key.toUpperCase()), "hex in either case");
        assertFalse(KEYS.verify("capulet.lit", "montague.lit", "stream-2", key), "another stream");
        assertFalse(KEYS.verify("montague.lit", "capulet.lit", "stream-1", key), "the pair the other way round");
        assertFalse(KEYS.verify("capulet.lit", "evil.lit", "stream-1", key), "another originating domain");
        assertFalse(new DialbackKey("another secret").verify("capulet.lit", "montague.lit", "stream-1", key), "another secret");
        assertNotEquals(key, new DialbackKey("another secret").generate("capulet.lit", "montague.lit", "stream-1"));
    }

    @Test
    void missingPartsAreRefusedNotGuessed() {
        assertFalse(KEYS.verify("capulet.lit", "montague.lit", "stream-1", null));
        assertFalse(KEYS.verify("capulet.lit", "montague.lit", "", KEYS.generate("capulet.lit", "montague.lit", "x")));
        assertFalse(KEYS.verify("capulet.lit", "montague.lit", "stream-1", ""));
        assertThrows(IllegalArgumentException.class, () -> KEYS.generate("capulet.lit", "", "stream-1"));
        assertThrows(IllegalArgumentException.class, () -> new DialbackKey(""));
    }
}
