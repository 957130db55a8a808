package org.buddycloud.gateway;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The gateway's settings ({@code buddycloud.gateway.*}); where the services are is the only thing an operator must set. */
@ConfigMapping(prefix = "buddycloud.gateway")
public interface GatewayConfig {

    /** The services behind the gateway; a service not yet deployed simply answers 503 through it. */
    Upstreams upstream();

    /** How long connecting to a service may take before the caller gets 503. */
    @WithDefault("3s")
    Duration connectTimeout();

    /**
     * How long a service may stay silent — no response yet, or no bytes of it — before the caller gets 504. An idle
     * time, not a total: a 100 MB upload or download takes as long as it takes while bytes flow.
     */
    @WithDefault("30s")
    Duration idleTimeout();

    /** Connections kept open to each service. */
    @WithDefault("200")
    int maxConnectionsPerService();

    /**
     * Addresses and CIDR ranges of the proxies in front of the gateway (a load balancer, an ingress controller)
     * whose {@code Forwarded}/{@code X-Forwarded-For} are believed. Empty: the peer is the client.
     */
    Optional<List<String>> trustedProxies();

    /**
     * The header those proxies write the client's address into: {@code X_FORWARDED_FOR} (ingress-nginx, most load
     * balancers) or {@code FORWARDED} (RFC 7239). Only that one is read.
     */
    @WithDefault("X_FORWARDED_FOR")
    org.buddycloud.gateway.edge.ClientAddresses.Header forwardedHeader();

    /** Origins allowed by CORS (read by {@code quarkus.http.cors.origins}); every origin when unset. */
    Optional<String> corsOrigins();

    /** Bodies larger than this (by their Content-Length) are refused with 413; the services set their own limits too. */
    @WithDefault("101M")
    io.quarkus.runtime.configuration.MemorySize maxBodySize();

    /**
     * The same for an account archive uploaded to {@code POST /account/imports} (README "Portable data"), which the
     * channel server streams to disk with a limit of its own ({@code buddycloud.portability.max-archive-bytes}).
     */
    @WithDefault("4G")
    io.quarkus.runtime.configuration.MemorySize maxArchiveSize();

    Limits limits();

    Live live();

    interface Upstreams {
        @WithDefault("http://localhost:8081")
        URI channelServer();

        @WithDefault("http://localhost:8082")
        URI mediaServer();

        @WithDefault("http://localhost:8083")
        URI pushServer();

        @WithDefault("http://localhost:8084")
        URI searchService();

        @WithDefault("http://localhost:8085")
        URI tasteEngine();

        @WithDefault("http://localhost:8086")
        URI friendFinder();
    }

    /** Requests per client address and per account; over them, 429 with {@code Retry-After}. */
    interface Limits {
        /** Every request from one client address (anonymous or not). 0 turns it off. */
        @WithDefault("50")
        double perAddressPerSecond();

        @WithDefault("200")
        int perAddressBurst();

        /** Every request of one account, whichever of its tokens or addresses it comes with. 0 turns it off. */
        @WithDefault("20")
        double perAccountPerSecond();

        @WithDefault("100")
        int perAccountBurst();

        /** Live streams one account may hold open at once (tabs, devices). */
        @WithDefault("20")
        int streamsPerAccount();

        /** Live streams one client address may hold open at once. */
        @WithDefault("200")
        int streamsPerAddress();
    }

    /** Live updates (SSE, WebSocket, long polls). */
    interface Live {
        /**
         * How far back a stream can resume: events of the last such period are held in memory (and read back from
         * Kafka on start), so a client that reconnects within it misses nothing.
         */
        @WithDefault("10m")
        Duration resumeWindow();

        /** At most this many events are held for resuming, whatever the window. */
        @WithDefault("50000")
        int maxHeldEvents();

        /** A comment line on idle streams, so that proxies and clients know the connection is alive. */
        @WithDefault("25s")
        Duration heartbeat();

        /** How long {@code /notifications/posts} and {@code /{channel}/next/{node}} wait for something new. */
        @WithDefault("60s")
        Duration longPollTimeout();

        /** How often open streams' tokens are checked again: a revoked or expired token ends its stream within this. */
        @WithDefault("1s")
        Duration tokenCheckInterval();

        /** Events waiting to be written to one slow client; past this it is dropped, to resume when it can keep up. */
        @WithDefault("1000")
        int maxQueuedPerStream();
    }
}
