package org.buddycloud.channels.rest;

import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.servicekit.auth.BearerIdentityProvider;
import org.buddycloud.servicekit.auth.JidPrincipal;
import org.buddycloud.servicekit.web.PeerAddress;

/** Who is calling, as the REST resources need to know it. */
final class Callers {

    private Callers() {
    }

    static Jid jid(SecurityIdentity identity) {
        return JidPrincipal.of(identity).orElseThrow(() -> new IllegalStateException("an authenticated endpoint was called anonymously"));
    }

    /** True when the caller proved its password in this request (HTTP Basic), not just a token. */
    static boolean usedPassword(SecurityIdentity identity) {
        return "password".equals(identity.getAttribute(BearerIdentityProvider.METHOD));
    }

    static String address(HttpServerRequest request) {
        return PeerAddress.of(request.remoteAddress());
    }
}
