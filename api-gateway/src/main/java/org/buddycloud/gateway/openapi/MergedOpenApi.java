package org.buddycloud.gateway.openapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.buddycloud.gateway.GatewayConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * {@code GET /q/openapi}: the whole Buddycloud API as apps see it through the gateway, the gateway's own document
 * (which SmallRye serves at {@code /q/openapi-gateway}) merged with each service's by {@link OpenApiMerger}. The
 * documents are fetched again at most once a minute, on demand; a service that does not answer is left out of that
 * round's document and named in its {@code info.x-buddycloud-missing}.
 */
@ApplicationScoped
public class MergedOpenApi {

    static final String PATH = "/q/openapi";
    /** Before the proxy (-50) and the application's routes; after Quarkus's CORS and security filters. */
    static final int ORDER = -100;
    /** Where SmallRye serves the gateway's own document ({@code quarkus.smallrye-openapi.path}). */
    static final String GATEWAY_DOCUMENT = "/q/openapi-gateway?format=json";
    private static final String SERVICE_DOCUMENT = "/q/openapi?format=json";
    private static final long FRESH_FOR_NANOS = Duration.ofSeconds(60).toNanos();
    private static final long FETCH_TIMEOUT_MILLIS = 3_000;
    private static final String JSON = "application/json";
    private static final String YAML = "application/yaml";

    private static final Logger LOG = Logger.getLogger(MergedOpenApi.class);

    private final HttpClient client;
    private final ObjectMapper json;
    private final YAMLMapper yaml = YAMLMapper.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).build();
    private final OpenApiMerger merger = new OpenApiMerger();
    private final List<Service> services;
    private final int configuredPort;

    // guarded by this
    private ObjectNode merged;
    private long mergedAt;
    private Future<ObjectNode> merging;

    MergedOpenApi(Vertx vertx, GatewayConfig config, ObjectMapper json,
            @ConfigProperty(name = "quarkus.http.port") int configuredPort) {
        // one fetch per service a minute needs no pool; without keep-alive no fetch meets a connection the service just closed
        this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
        this.json = json;
        this.configuredPort = configuredPort;
        GatewayConfig.Upstreams upstream = config.upstream();
        this.services = List.of(
                Service.of("channel-server", upstream.channelServer(), OpenApiMerger.servicePaths()),
                Service.of("media-server", upstream.mediaServer(), OpenApiMerger.mediaServerPaths()),
                Service.of("push-server", upstream.pushServer(), OpenApiMerger.servicePaths("status")),
                Service.of("search-service", upstream.searchService(), OpenApiMerger.servicePaths()),
                Service.of("taste-engine", upstream.tasteEngine(), OpenApiMerger.servicePaths()),
                Service.of("friend-finder", upstream.friendFinder(), OpenApiMerger.servicePaths()));
    }

    void register(@Observes Router router) {
        router.get(PATH).order(ORDER).handler(this::answer);
    }

    private void answer(RoutingContext routing) {
        HttpServerRequest request = routing.request();
        boolean asYaml = wantsYaml(request.getParam("format"), request.getHeader(HttpHeaders.ACCEPT));
        // the merge may be under way for another request, on another event loop: answer from this request's own
        Context here = routing.vertx().getOrCreateContext();
        document(selfPort(request)).onComplete(done -> here.runOnContext(ignored -> write(routing, done, asYaml)));
    }

    private void write(RoutingContext routing, AsyncResult<ObjectNode> done, boolean asYaml) {
        if (done.failed()) {
            routing.fail(done.cause());
            return;
        }
        try {
            byte[] body = asYaml ? yaml.writeValueAsBytes(done.result()) : json.writeValueAsBytes(done.result());
            routing.response().putHeader(HttpHeaders.CONTENT_TYPE, asYaml ? YAML : JSON).end(Buffer.buffer(body));
        } catch (JsonProcessingException e) {
            routing.fail(e);
        }
    }

    /** JSON unless YAML is asked for, by {@code ?format=yaml} or, without a format, by the Accept header. */
    static boolean wantsYaml(String format, String accept) {
        if (format != null) {
            return format.equalsIgnoreCase("yaml");
        }
        return accept != null && accept.toLowerCase(Locale.ROOT).contains(YAML);
    }

    /**
     * The port this request came in on, for the gateway to ask itself for its own document: the configured one is
     * not the real one in tests (a random port). Over TLS, the configured plain port, as the certificate is not for
     * 127.0.0.1.
     */
    private int selfPort(HttpServerRequest request) {
        SocketAddress local = request.localAddress();
        return request.isSSL() || local == null || local.port() <= 0 ? configuredPort : local.port();
    }

    private synchronized Future<ObjectNode> document(int selfPort) {
        if (merged != null && System.nanoTime() - mergedAt < FRESH_FOR_NANOS) {
            return Future.succeededFuture(merged);
        }
        if (merging == null) {
            // set before the handler is added, which runs at once should the merge be complete already
            Future<ObjectNode> started = merge(selfPort);
            merging = started;
            started.onComplete(this::merged);
        }
        return merging;
    }

    private synchronized void merged(AsyncResult<ObjectNode> done) {
        merging = null;
        if (done.succeeded()) {
            merged = done.result();
            mergedAt = System.nanoTime();
        }
    }

    private Future<ObjectNode> merge(int selfPort) {
        Future<JsonNode> gateway = fetch(OpenApiMerger.GATEWAY, "http://127.0.0.1:" + selfPort + GATEWAY_DOCUMENT);
        List<Future<JsonNode>> documents = services.stream().map(service -> fetch(service.name(), service.documentUrl())).toList();
        List<Future<JsonNode>> all = new ArrayList<>(documents);
        all.add(gateway);
        return Future.all(all).map(fetched -> {
            List<OpenApiMerger.Part> parts = new ArrayList<>();
            for (int i = 0; i < services.size(); i++) {
                Service service = services.get(i);
                parts.add(new OpenApiMerger.Part(service.name(), documents.get(i).result(), service.paths()));
            }
            return merger.merge(gateway.result(), parts);
        });
    }

    /** A service's document, or {@code null} if it cannot be had within the time: that service is down or not deployed. */
    private Future<JsonNode> fetch(String service, String url) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url)
                .setConnectTimeout(FETCH_TIMEOUT_MILLIS).setIdleTimeout(FETCH_TIMEOUT_MILLIS)
                .putHeader(HttpHeaders.ACCEPT, JSON);
        return client.request(options)
                .compose(request -> request.send())
                .compose(response -> response.body().compose(body -> response.statusCode() == 200
                        ? Future.succeededFuture(body)
                        : Future.failedFuture("answered " + response.statusCode())))
                .map(this::parse)
                .timeout(FETCH_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                .recover(failure -> {
                    LOG.infof("the %s's OpenAPI document is left out of %s this round: %s", service, PATH, failure);
                    return Future.succeededFuture();
                });
    }

    private JsonNode parse(Buffer body) {
        try {
            return json.readTree(body.getBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Service(String name, String documentUrl, UnaryOperator<String> paths) {
        static Service of(String name, URI base, UnaryOperator<String> paths) {
            String root = base.toString().replaceAll("/+$", "");
            return new Service(name, root + SERVICE_DOCUMENT, paths);
        }
    }
}
