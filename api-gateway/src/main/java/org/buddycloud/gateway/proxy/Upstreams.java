package org.buddycloud.gateway.proxy;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.EnumMap;
import java.util.Map;
import org.buddycloud.gateway.GatewayConfig;
import org.buddycloud.gateway.routing.Upstream;

/** Where each service is, and the one pooled HTTP client the gateway reaches them with. */
@ApplicationScoped
public class Upstreams {

    private final HttpClient client;
    private final Map<Upstream, URI> addresses = new EnumMap<>(Upstream.class);

    Upstreams(Vertx vertx, GatewayConfig config) {
        GatewayConfig.Upstreams urls = config.upstream();
        addresses.put(Upstream.CHANNEL_SERVER, urls.channelServer());
        addresses.put(Upstream.MEDIA_SERVER, urls.mediaServer());
        addresses.put(Upstream.PUSH_SERVER, urls.pushServer());
        addresses.put(Upstream.SEARCH_SERVICE, urls.searchService());
        addresses.put(Upstream.TASTE_ENGINE, urls.tasteEngine());
        addresses.put(Upstream.FRIEND_FINDER, urls.friendFinder());
        addresses.forEach((upstream, uri) -> {
            if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                throw new IllegalArgumentException("buddycloud.gateway.upstream." + upstream.serviceName()
                        + " must be an http(s) URL, not " + uri);
            }
        });
        HttpClientOptions options = new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                // the services keep connections 30 s by default; the pool lets go a little earlier
                .setKeepAliveTimeout(20).setDecompressionSupported(false)
                // a connection on which nothing moves either way (an upload that stalled) is given up
                .setIdleTimeout((int) config.idleTimeout().toMillis()).setIdleTimeoutUnit(java.util.concurrent.TimeUnit.MILLISECONDS);
        this.client = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(config.maxConnectionsPerService()));
    }

    public HttpClient client() {
        return client;
    }

    public URI address(Upstream upstream) {
        return addresses.get(upstream);
    }

    public static int port(URI uri) {
        return uri.getPort() > 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
    }
}
