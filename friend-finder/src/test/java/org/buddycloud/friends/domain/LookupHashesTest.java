package org.buddycloud.friends.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LookupHashesTest {

    private static final String MATRIX_EXAMPLE = "4kenr7N9drpCJ4AfalmlGQVsOn3o2RHjkADUpXJWZUc";

    @Test
    void pepperedHashesAreUnpaddedBase64UrlOfTheMatrixString() {
        String hash = LookupHashes.peppered(Identifier.email("alice@example.com"), "matrixrocks");
        // the example of Matrix's identity service spec (v2 lookup); also what
        // echo -n 'alice@example.com email matrixrocks' | openssl dgst -sha256 -binary | basenc --base64url | tr -d = prints
        assertEquals(MATRIX_EXAMPLE, hash);
        assertTrue(LookupHashes.wellFormed(hash));
        assertNotEquals(hash, LookupHashes.peppered(Identifier.email("alice@example.com"), "another pepper"));
    }

    @Test
    void legacyHashesAreHexOfTheKindAndAddress() {
        // echo -n 'email:alice@example.com' | sha256sum
        assertEquals("889e87fc03d0477823a739f269555750a3fd94dacfd1694589bf2bc4eef07b55",
                LookupHashes.legacy(Identifier.email("Alice@Example.com")));
        assertTrue(LookupHashes.wellFormed(LookupHashes.legacy(Identifier.phone("+44 7400 123456", null))));
    }

    @Test
    void onlyDigestShapedHashesAreTaken() {
        assertFalse(LookupHashes.wellFormed("short"));
        assertFalse(LookupHashes.wellFormed("x".repeat(65)));
        assertFalse(LookupHashes.wellFormed("a".repeat(42) + "!"));
        assertFalse(LookupHashes.wellFormed(null));
    }
}
