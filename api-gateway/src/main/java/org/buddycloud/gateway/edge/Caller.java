package org.buddycloud.gateway.edge;

import java.util.Optional;
import org.buddycloud.contracts.auth.AccessTokenClaims;
import org.buddycloud.contracts.jid.Jid;

/**
 * Who is calling, as far as the edge could tell, and the {@code Authorization} the services behind receive: the
 * caller's bearer token (an HTTP Basic login becomes one here), the header untouched where the service itself
 * checks it (XEP-0070 confirmation), or none.
 */
public record Caller(Optional<AccessTokenClaims> token, Optional<String> forwardedAuthorization) {

    public static final Caller ANONYMOUS = new Caller(Optional.empty(), Optional.empty());

    public static Caller bearer(AccessTokenClaims claims, String accessToken) {
        return new Caller(Optional.of(claims), Optional.of("Bearer " + accessToken));
    }

    /** Credentials the gateway cannot judge and the service behind does (a XEP-0070 confirmation). */
    public static Caller passedOn(String authorization) {
        return new Caller(Optional.empty(), Optional.of(authorization));
    }

    /** The access token the caller is known by at the services (theirs, or the one a Basic login got). */
    public Optional<String> accessToken() {
        return forwardedAuthorization.filter(a -> a.startsWith("Bearer ")).map(a -> a.substring(7));
    }

    public Optional<Jid> jid() {
        return token.map(AccessTokenClaims::subject);
    }
}
