package org.buddycloud.gateway.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import org.buddycloud.gateway.edge.EdgeRefusal;
import org.buddycloud.gateway.proxy.Problems;
import org.buddycloud.gateway.routing.RouteTable;

/**
 * The web client at the gateway's root, served by Quarkus's static handler with what an app's files need around it.
 * A strict Content-Security-Policy: scripts, styles and connections only from this origin, which is where every API
 * is ({@code 'self'} covers the same origin's {@code ws:}/{@code wss:} too: CSP3's URL-to-source-expression
 * matching, Chromium since version 71, Safari since 16). Caching that always asks ({@code no-cache}) and is answered
 * 304 while the file is the same: a new release reaches every tab at its next load, never a mix of old and new
 * modules. Text goes out gzipped to clients that take it, from here: the server's own compression
 * ({@code quarkus.http.enable-compression}) would gzip the services' answers and the live streams too unless every
 * other answer carried {@code Content-Encoding: identity}, which Vert.x drops over HTTP/1.1 but sends over HTTP/2.
 * A file the client does not have is a 404 here, never a question to the channel server.
 */
@ApplicationScoped
public class WebClientRoute {

    /** After ProxyRoute (-50: request id, route) and before the static handler (a default route). */
    static final int ORDER = -40;
    /** After every handler that could have answered. */
    static final int NOT_FOUND_ORDER = RouteConstants.ROUTE_ORDER_AFTER_DEFAULT + 1;

    static final String CONTENT_SECURITY_POLICY = String.join("; ", "default-src 'self'", "script-src 'self'",
            "style-src 'self'", "img-src 'self' blob: data:", "connect-src 'self'", "worker-src 'self'",
            "manifest-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'");

    private final WebClientFiles files = new WebClientFiles(WebClientRoute.class.getClassLoader());
    private final ObjectMapper json;

    WebClientRoute(ObjectMapper json) {
        this.json = json;
    }

    void register(@Observes Router router) {
        router.route().order(ORDER).handler(this::serve);
        router.route().order(NOT_FOUND_ORDER).handler(this::notFound);
    }

    private void serve(RoutingContext context) {
        HttpServerRequest request = context.request();
        if (!RouteTable.webClient(request.path())) {
            context.next();
            return;
        }
        MultiMap headers = context.response().headers();
        headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY).set("X-Content-Type-Options", "nosniff")
                .set("Referrer-Policy", "no-referrer").set("Vary", "Accept-Encoding")
                // the static handler keeps a Cache-Control that is set already, and answers 304 to an If-None-Match
                // naming the ETag that is set already
                .set("Cache-Control", "no-cache");
        // the first ask for each file reads it from the jar, once, as the static handler itself does
        Optional<WebClientFile> file = files.find(RouteTable.decoded(context.normalizedPath()));
        file.ifPresent(found -> headers.set("ETag", found.tag()));
        boolean read = request.method() == HttpMethod.GET || request.method() == HttpMethod.HEAD;
        if (read && file.isPresent() && file.get().gzipped().isPresent() && request.getHeader("Range") == null
                && Negotiation.acceptsGzip(request.getHeader("Accept-Encoding"))) {
            gzipped(request, context.response(), file.get());
            return;
        }
        context.next();
    }

    private static void gzipped(HttpServerRequest request, HttpServerResponse response, WebClientFile file) {
        if (Negotiation.stillHas(request.getHeader("If-None-Match"), file.tag())) {
            response.setStatusCode(304).end();
            return;
        }
        byte[] body = file.gzipped().orElseThrow();
        response.putHeader("Content-Type", file.contentType()).putHeader("Content-Encoding", "gzip");
        if (request.method() == HttpMethod.HEAD) {
            response.putHeader("Content-Length", Integer.toString(body.length)).end();
        } else {
            response.end(Buffer.buffer(body));
        }
    }

    private void notFound(RoutingContext context) {
        if (!RouteTable.webClient(context.request().path()) || context.response().headWritten()) {
            context.next();
            return;
        }
        context.response().headers().remove("ETag").remove("Cache-Control").remove("Vary");
        Problems.write(context.response(), new EdgeRefusal(404, "item-not-found", "the web client has no file "
                + context.request().path(), Optional.empty(), Optional.empty()), context.request().path(), Problems.CHALLENGE, json);
    }
}
