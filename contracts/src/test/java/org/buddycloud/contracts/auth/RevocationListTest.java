package org.buddycloud.contracts.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.buddycloud.contracts.jid.Jid;
import org.junit.jupiter.api.Test;

class RevocationListTest {

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private static final Jid JULIET = Jid.parse("juliet@example.com");

    private static AccessTokenClaims token(long generation, String session) {
        return new AccessTokenClaims(JULIET, "iss", "aud", "jti", session, generation, T0, T0.plusSeconds(900));
    }

    @Test
    void aLowerFloorArrivingLateDoesNotUndoAHigherOne() {
        RevocationList list = new RevocationList(Duration.ofHours(1));
        list.revokeBelow(JULIET, 10, T0);
        list.revokeBelow(JULIET, 5, T0.plusSeconds(1));
        assertTrue(list.isRevoked(token(9, "s")));
        assertFalse(list.isRevoked(token(10, "s")));
    }

    @Test
    void forgetsRevocationsOnceTheTokensTheyRevokeHaveExpired() {
        RevocationList list = new RevocationList(Duration.ofHours(1));
        list.revokeBelow(JULIET, 10, T0);
        list.revokeSession("s", T0.plusSeconds(900));
        list.purge(T0.plusSeconds(901));
        assertEquals(1, list.size());
        assertFalse(list.isRevoked(token(10, "s")));
        list.purge(T0.plus(Duration.ofHours(2)));
        assertEquals(0, list.size());
    }
}
