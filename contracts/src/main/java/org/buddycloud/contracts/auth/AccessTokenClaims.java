package org.buddycloud.contracts.auth;

import java.time.Instant;
import org.buddycloud.contracts.jid.Jid;

/**
 * What a verified access token says. The token is a JWT signed by the channel server (RS256).
 *
 * @param subject    the bare JID of the account ({@code sub})
 * @param tokenId    unique per token ({@code jti})
 * @param sessionId  the login session the token belongs to ({@code sid}); revoking it revokes its tokens
 * @param generation the account's token generation at issue ({@code gen}); a password change raises the
 *                   floor and so revokes every earlier token
 */
public record AccessTokenClaims(Jid subject, String issuer, String audience, String tokenId, String sessionId,
                                long generation, Instant issuedAt, Instant expiresAt) {

    /** Claim names beyond the registered JWT ones. */
    public static final String SESSION_CLAIM = "sid";
    public static final String GENERATION_CLAIM = "gen";
    /** The signature algorithm of every access token. */
    public static final String ALGORITHM = "RS256";
}
