package org.buddycloud.gateway.proxy;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import org.buddycloud.gateway.edge.EdgeGate;

/**
 * What a service learns of the caller from the gateway, for requests and relayed WebSockets alike: the client's
 * address (which its login throttles count), the scheme the client used and the request id. The caller's host is
 * not passed on: the services' absolute links are rewritten here ({@link Locations}), and a forwarded host would
 * make them build links to an authority they cannot check.
 */
public final class Forwarding {

    private Forwarding() {
    }

    /** Sets the forwarding headers on {@code to}, replacing whatever the caller sent under those names. */
    public static void put(MultiMap to, HttpServerRequest request, EdgeGate gate, String client, String requestId) {
        String proto = gate.fromTrustedProxy(request) && request.getHeader("X-Forwarded-Proto") != null
                ? request.getHeader("X-Forwarded-Proto") : request.scheme();
        to.set("X-Forwarded-For", client);
        to.set("X-Forwarded-Proto", proto);
        to.set("Forwarded", "for=" + forwardedNode(client) + ";proto=" + proto);
        to.set("X-Request-Id", requestId);
    }

    /** RFC 7239 §6: an IPv6 node in quotes and brackets. */
    private static String forwardedNode(String address) {
        return address.indexOf(':') >= 0 ? "\"[" + address + "]\"" : address;
    }
}
