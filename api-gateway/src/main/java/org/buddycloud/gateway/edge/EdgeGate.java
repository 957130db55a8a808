package org.buddycloud.gateway.edge;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import org.buddycloud.gateway.GatewayConfig;

/**
 * What every request meets first, proxied or answered here: who the client is (through trusted proxies only), the
 * per-address limit, the credentials, the per-account limit.
 */
@ApplicationScoped
public class EdgeGate {

    private final ClientAddresses addresses;
    private final EdgeAuth auth;
    private final RateLimiter perAddress;
    private final RateLimiter perAccount;

    EdgeGate(GatewayConfig config, EdgeAuth auth) {
        this.addresses = new ClientAddresses(config.trustedProxies().orElse(List.of()).stream()
                .filter(s -> !s.isBlank()).map(AddressRange::parse).toList(), config.forwardedHeader());
        this.auth = auth;
        GatewayConfig.Limits limits = config.limits();
        this.perAddress = new RateLimiter(new RateLimiter.Rate(limits.perAddressPerSecond(), limits.perAddressBurst()),
                100_000, System::nanoTime);
        this.perAccount = new RateLimiter(new RateLimiter.Rate(limits.perAccountPerSecond(), limits.perAccountBurst()),
                100_000, System::nanoTime);
    }

    /** The client's address, believing forwarding headers only from trusted proxies. */
    public String client(HttpServerRequest request) {
        String peer = request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
        String header = addresses.header() == ClientAddresses.Header.FORWARDED ? "Forwarded" : "X-Forwarded-For";
        return addresses.client(peer, request.headers().getAll(header));
    }

    /** Whether the connection came through a trusted proxy (whose {@code X-Forwarded-Proto}/{@code -Host} count). */
    public boolean fromTrustedProxy(HttpServerRequest request) {
        return request.remoteAddress() != null && addresses.trusted(request.remoteAddress().hostAddress());
    }

    /**
     * The caller behind {@code authorization}, once both limits let it pass; {@code basicHere} as
     * {@link EdgeAuth#identify}. A caller whose credentials the edge did not check counts by address only.
     */
    public Future<Caller> admit(String authorization, String client, String requestId, boolean basicHere) {
        Duration wait = perAddress.take(ClientAddresses.limitKey(client));
        if (!wait.isZero()) {
            return Future.failedFuture(EdgeRefusal.tooManyRequests("too many requests from " + client, wait));
        }
        return auth.identify(authorization, client, requestId, basicHere).compose(caller -> {
            if (caller.jid().isPresent()) {
                Duration accountWait = perAccount.take(caller.jid().get().toString());
                if (!accountWait.isZero()) {
                    return Future.failedFuture(EdgeRefusal.tooManyRequests("too many requests for "
                            + caller.jid().get(), accountWait));
                }
            }
            return Future.succeededFuture(caller);
        });
    }

    public EdgeAuth auth() {
        return auth;
    }
}
