package org.buddycloud.channels.token;

import org.buddycloud.contracts.auth.AccessTokenClaims;

/** Turns claims into a signed access token with the current signing key. */
public interface AccessTokenSigner {
    String sign(AccessTokenClaims claims);
}
