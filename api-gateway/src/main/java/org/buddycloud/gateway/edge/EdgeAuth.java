package org.buddycloud.gateway.edge;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Future;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.buddycloud.contracts.auth.InvalidTokenException;
import org.buddycloud.contracts.auth.TokenVerifier;
import org.buddycloud.gateway.GatewayConfig;
import org.buddycloud.gateway.proxy.Upstreams;
import org.buddycloud.gateway.routing.Upstream;

/**
 * Checks the caller's credentials at the edge, so that a bad token never costs a service anything: a bearer token
 * against the channel server's keys and the revocations on Kafka (no call per request), HTTP Basic by logging in
 * at the channel server once ({@link BasicLogins}) for the services that only take tokens — the channel server
 * itself checks Basic (and throttles guessing) and gets it untouched. A XEP-0070 confirmation (Basic with a full
 * JID and a transaction id) is the media server's to judge and passes untouched.
 */
@ApplicationScoped
public class EdgeAuth {

    private final TokenVerifier verifier;
    private final io.vertx.core.Vertx vertx;
    private final BasicLogins basic;

    EdgeAuth(TokenVerifier verifier, Upstreams upstreams, ObjectMapper json, GatewayConfig config, io.vertx.core.Vertx vertx) {
        this.verifier = verifier;
        this.vertx = vertx;
        this.basic = new BasicLogins(upstreams.client(), upstreams.address(Upstream.CHANNEL_SERVER), json, config.idleTimeout());
    }

    /**
     * @param basicHere whether HTTP Basic is turned into a token here (false: it goes on to the channel server,
     *                  which checks it itself)
     */
    public Future<Caller> identify(String authorization, String clientAddress, String requestId, boolean basicHere) {
        if (authorization == null || authorization.isBlank()) {
            return Future.succeededFuture(Caller.ANONYMOUS);
        }
        if (hasScheme(authorization, "Bearer")) {
            return bearer(authorization.substring(7).trim());
        }
        if (hasScheme(authorization, "Basic")) {
            return basicHere ? basic(authorization, clientAddress, requestId) : Future.succeededFuture(Caller.passedOn(authorization));
        }
        return Future.failedFuture(EdgeRefusal.notAuthorized("unsupported Authorization scheme: use Bearer or Basic"));
    }

    /**
     * A bearer token, from the header or (for streams a browser opens) the {@code access_token} parameter. A token
     * seen before is checked at once; a new one on a worker thread, because its key may have to be fetched from the
     * channel server, which an event loop must not wait for.
     */
    public Future<Caller> bearer(String token) {
        try {
            var known = verifier.verifyIfKnown(token);
            if (known.isPresent()) {
                return Future.succeededFuture(Caller.bearer(known.get(), token));
            }
        } catch (InvalidTokenException e) {
            return Future.failedFuture(EdgeRefusal.notAuthorized("invalid token: " + e.getMessage()));
        }
        return vertx.executeBlocking(() -> {
            try {
                return Caller.bearer(verifier.verify(token), token);
            } catch (InvalidTokenException e) {
                throw EdgeRefusal.notAuthorized("invalid token: " + e.getMessage());
            }
        }, false);
    }

    /** Whether {@code token}, verified before, is still good now: not expired, not revoked. */
    public boolean stillValid(String token) {
        try {
            return verifier.verifyIfKnown(token).isPresent() || verifier.verify(token) != null;
        } catch (InvalidTokenException e) {
            return false;
        }
    }

    private Future<Caller> basic(String authorization, String clientAddress, String requestId) {
        String user = basicUser(authorization);
        if (user == null) {
            return Future.failedFuture(EdgeRefusal.notAuthorized("malformed Basic credentials"));
        }
        if (user.indexOf('/') > 0) {
            return Future.succeededFuture(Caller.passedOn(authorization));
        }
        var remembered = basic.remembered(authorization);
        if (remembered.isPresent()) {
            try {
                var claims = verifier.verifyIfKnown(remembered.get());
                if (claims.isPresent()) {
                    return Future.succeededFuture(Caller.bearer(claims.get(), remembered.get()));
                }
            } catch (InvalidTokenException e) {
                // expired or revoked (a password change): log in again
            }
            basic.forget(authorization);
        }
        return basic.login(authorization, clientAddress, requestId).compose(this::bearer);
    }

    private static String basicUser(String authorization) {
        try {
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon > 0 ? decoded.substring(0, colon) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean hasScheme(String header, String scheme) {
        return header.regionMatches(true, 0, scheme + " ", 0, scheme.length() + 1);
    }
}
