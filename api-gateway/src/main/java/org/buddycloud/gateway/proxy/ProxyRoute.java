package org.buddycloud.gateway.proxy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.ConnectException;
import java.net.URI;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.buddycloud.gateway.GatewayConfig;
import org.buddycloud.gateway.edge.Caller;
import org.buddycloud.gateway.edge.EdgeGate;
import org.buddycloud.gateway.edge.EdgeRefusal;
import org.buddycloud.gateway.edge.RequestIds;
import org.buddycloud.gateway.routing.Route;
import org.buddycloud.gateway.routing.RouteTable;
import org.buddycloud.gateway.routing.Upstream;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * The reverse proxy: every request the gateway does not answer itself goes to the service the {@link RouteTable}
 * names, streamed both ways (bodies flow with back-pressure, never held whole), with the edge's checks first,
 * the request id and the real client address passed on, and a failed service answered as problem+json naming it.
 */
@ApplicationScoped
public class ProxyRoute {

    /** Runs after Quarkus's CORS and security filters (orders -300, -200, …) and before every application route. */
    static final int ORDER = -50;

    private static final Logger LOG = Logger.getLogger(ProxyRoute.class);
    /** RFC 9110 §7.6.1 connection-specific headers, and the ones the gateway itself sets. */
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "host",
            "authorization", "forwarded", "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "x-forwarded-port",
            "x-request-id");
    private static final Set<String> NOT_RETURNED = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade");

    private final RouteTable routes = new RouteTable();
    private final Upstreams upstreams;
    private final EdgeGate gate;
    private final ObjectMapper json;
    private final long idleTimeoutMillis;
    private final long connectTimeoutMillis;
    private final long maxBodyBytes;
    private final long maxArchiveBytes;

    ProxyRoute(Upstreams upstreams, EdgeGate gate, ObjectMapper json, GatewayConfig config) {
        this.upstreams = upstreams;
        this.gate = gate;
        this.json = json;
        this.idleTimeoutMillis = config.idleTimeout().toMillis();
        this.connectTimeoutMillis = config.connectTimeout().toMillis();
        this.maxBodyBytes = config.maxBodySize().asLongValue();
        this.maxArchiveBytes = config.maxArchiveSize().asLongValue();
    }

    void register(@Observes Router router) {
        router.route().order(ORDER).handler(this::handle);
    }

    private void handle(RoutingContext context) {
        HttpServerRequest request = context.request();
        String requestId = RequestIds.accept(request.getHeader("X-Request-Id"));
        context.put(RequestIds.class.getName(), requestId);
        context.response().putHeader("X-Request-Id", requestId);
        Route route = routes.route(request.method().name(), request.path());
        if (route.local()) {
            context.next();
            return;
        }
        if (route.malformed().isPresent()) {
            refuse(context, 400, "bad-request", route.malformed().get());
            return;
        }
        if (!route.proxied()) {
            refuse(context, 404, "item-not-found", "no such API: " + request.path());
            return;
        }
        if ("websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            refuse(context, 501, "feature-not-implemented", "WebSocket is not passed on to the services: live updates are at "
                    + "/notifications/websocket, XMPP over WebSocket (RFC 7395) at /xmpp-websocket");
            return;
        }
        String length = request.getHeader("Content-Length");
        long maxBytes = RouteTable.isArchiveUpload(request.method().name(), request.path()) ? maxArchiveBytes : maxBodyBytes;
        if (length != null && (!length.matches("\\d{1,18}") || Long.parseLong(length) > maxBytes)) {
            refuse(context, 413, "policy-violation", "the body is larger than the gateway passes on (" + maxBytes + " bytes)");
            return;
        }
        request.pause();
        String client = gate.client(request);
        // the channel server checks Basic itself (and counts failures per client); the others only take tokens
        boolean basicHere = route.upstream().get() != Upstream.CHANNEL_SERVER;
        String authorization = request.getHeader("Authorization");
        // an XEP-0363 slot token is the media server's to judge: it goes on untouched, the caller counted by address
        boolean ownCredentials = authorization != null && RouteTable.carriesOwnCredentials(request.path());
        gate.admit(ownCredentials ? null : authorization, client, requestId, basicHere)
                .map(caller -> ownCredentials ? Caller.passedOn(authorization) : caller)
                .onSuccess(caller -> forward(context, route, caller, client, requestId))
                .onFailure(failure -> fail(context, route, failure, requestId));
    }

    private void forward(RoutingContext context, Route route, Caller caller, String client, String requestId) {
        HttpServerRequest request = context.request();
        Upstream upstream = route.upstream().orElseThrow();
        URI base = upstreams.address(upstream);
        String uri = request.query() == null ? route.path() : route.path() + "?" + request.query();
        // the connect timeout also bounds the wait for a pooled connection when all are busy
        RequestOptions options = new RequestOptions().setMethod(request.method()).setHost(base.getHost())
                .setPort(Upstreams.port(base)).setSsl("https".equals(base.getScheme())).setURI(uri)
                .setConnectTimeout(connectTimeoutMillis);
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        copyRequestHeaders(request, headers, caller, client, requestId);
        // the service's own authority
        headers.set("Host", base.getPort() > 0 ? base.getHost() + ":" + base.getPort() : base.getHost());
        options.setHeaders(headers);
        upstreams.client().request(options).onComplete(opened -> {
            if (opened.failed()) {
                fail(context, route, opened.cause(), requestId);
                return;
            }
            HttpClientRequest outgoing = opened.result();
            context.response().closeHandler(gone -> outgoing.reset());
            outgoing.response()
                    .onSuccess(response -> answer(context, upstream, base, response, requestId))
                    .onFailure(failure -> fail(context, route, failure, requestId));
            if (request.getHeader("Content-Length") == null && request.getHeader("Transfer-Encoding") == null) {
                request.resume();
                outgoing.idleTimeout(idleTimeoutMillis);
                outgoing.end();
                return;
            }
            if (request.getHeader("Content-Length") == null) {
                outgoing.setChunked(true);
            }
            // a body flows on as it comes; the service has idleTimeout to answer once it has all of it (while it
            // flows, the connection's own idle timeout watches it). A body the client broke off is reset, never
            // ended: the service must not take a truncated upload for a whole one.
            request.pipe().endOnFailure(false).to(outgoing).onComplete(piped -> {
                if (piped.succeeded()) {
                    outgoing.idleTimeout(idleTimeoutMillis);
                } else {
                    outgoing.reset();
                }
            });
        });
    }

    private void copyRequestHeaders(HttpServerRequest request, MultiMap to, Caller caller, String client, String requestId) {
        Set<String> named = connectionNamed(request.getHeader("Connection"));
        request.headers().forEach(header -> {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (!NOT_FORWARDED.contains(name) && !named.contains(name)) {
                to.add(header.getKey(), header.getValue());
            }
        });
        caller.forwardedAuthorization().ifPresent(authorization -> to.set("Authorization", authorization));
        Forwarding.put(to, request, gate, client, requestId);
    }

    private void answer(RoutingContext context, Upstream upstream, URI base, HttpClientResponse response, String requestId) {
        HttpServerResponse out = context.response();
        out.setStatusCode(response.statusCode());
        if (response.statusMessage() != null) {
            out.setStatusMessage(response.statusMessage());
        }
        Set<String> named = connectionNamed(response.getHeader("Connection"));
        response.headers().forEach(header -> {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (NOT_RETURNED.contains(name) || named.contains(name) || name.startsWith("access-control-")) {
                return; // CORS is the gateway's business; the services behind know nothing of the caller's origin
            }
            String value = name.equals("location") ? Locations.rewrite(upstream, base, header.getValue()) : header.getValue();
            out.headers().add(header.getKey(), value);
        });
        out.putHeader("X-Request-Id", requestId);
        if (response.getHeader("Content-Length") == null && !"HEAD".equals(context.request().method().name())
                && response.statusCode() != 204 && response.statusCode() != 304) {
            out.setChunked(true);
        }
        // an answer that breaks off resets the caller's connection instead of ending it: a truncated download must
        // not look complete
        response.pipe().endOnFailure(false).to(out).onFailure(failure -> {
            out.reset();
            MDC.put("requestId", requestId);
            LOG.debugf("the answer of the %s broke off: %s", upstream.serviceName(), failure.toString());
            MDC.remove("requestId");
        });
    }

    private void fail(RoutingContext context, Route route, Throwable failure, String requestId) {
        EdgeRefusal refusal = failure instanceof EdgeRefusal known ? known : route.upstream()
                .map(upstream -> serviceFailure(upstream, failure))
                .orElseGet(() -> EdgeRefusal.serviceFailed(502, "api-gateway", failure.toString()));
        if (refusal.service().isPresent()) {
            MDC.put("requestId", requestId);
            LOG.warnf("%s %s: %s (%d)", context.request().method(), context.request().path(), refusal.getMessage(), refusal.status());
            MDC.remove("requestId");
        }
        context.request().resume();
        Problems.write(context.response(), refusal, context.request().path(), Problems.CHALLENGE, json);
    }

    /** Refused connection: the service is down (503); no answer in time: 504; anything else broke (502). */
    public static EdgeRefusal serviceFailure(Upstream upstream, Throwable failure) {
        String name = upstream.serviceName();
        if (failure instanceof ConnectException || failure instanceof ConnectTimeoutException
                || failure.getCause() instanceof ConnectException || failure instanceof java.net.UnknownHostException
                || failure.getCause() instanceof java.net.UnknownHostException) {
            return EdgeRefusal.serviceFailed(503, name, "the " + name + " is not reachable");
        }
        if (failure instanceof TimeoutException || failure.getClass().getSimpleName().contains("Timeout")) {
            return EdgeRefusal.serviceFailed(504, name, "the " + name + " did not answer in time");
        }
        return EdgeRefusal.serviceFailed(502, name, "the " + name + " failed to answer: " + failure.getMessage());
    }

    private void refuse(RoutingContext context, int status, String condition, String detail) {
        Problems.write(context.response(), new EdgeRefusal(status, condition, detail, java.util.Optional.empty(),
                java.util.Optional.empty()), context.request().path(), Problems.CHALLENGE, json);
    }

    private static Set<String> connectionNamed(String connection) {
        if (connection == null) {
            return Set.of();
        }
        return java.util.Arrays.stream(connection.split(",")).map(s -> s.trim().toLowerCase(Locale.ROOT))
                .collect(java.util.stream.Collectors.toSet());
    }
}
