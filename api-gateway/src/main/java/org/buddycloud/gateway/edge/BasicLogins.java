package org.buddycloud.gateway.edge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * HTTP Basic, as the old API took it: the gateway logs in at the channel server's token endpoint with the
 * caller's credentials (the channel server checks the password and throttles guessing, seeing the real client
 * address), and passes the token on to whichever service answers. The token is reused for the same credentials
 * until it nears expiry or is revoked, keyed by a hash of the header so the password is not kept.
 */
public final class BasicLogins {

    private static final Duration KEPT = Duration.ofMinutes(10);

    private final HttpClient http;
    private final URI channelServer;
    private final ObjectMapper json;
    private final Duration timeout;
    private final Cache<String, String> tokens = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(KEPT.toMillis(), TimeUnit.MILLISECONDS).build();

    public BasicLogins(HttpClient http, URI channelServer, ObjectMapper json, Duration timeout) {
        this.http = http;
        this.channelServer = channelServer;
        this.json = json;
        this.timeout = timeout;
    }

    /** The token this header logged in for lately, if any (the caller checks it is still good). */
    public Optional<String> remembered(String authorization) {
        return Optional.ofNullable(tokens.getIfPresent(key(authorization)));
    }

    public void forget(String authorization) {
        tokens.invalidate(key(authorization));
    }

    /** Logs in at the channel server; fails with the {@link EdgeRefusal} the caller gets. */
    public Future<String> login(String authorization, String clientAddress, String requestId) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(channelServer.getHost())
                .setPort(org.buddycloud.gateway.proxy.Upstreams.port(channelServer)).setURI("/auth/token").setIdleTimeout(timeout.toMillis())
                .putHeader("Authorization", authorization).putHeader("X-Forwarded-For", clientAddress)
                .putHeader("X-Request-Id", requestId).putHeader("Accept", "application/json");
        return http.request(options)
                .compose(request -> request.send())
                .compose(response -> response.body().map(body -> {
                    if (response.statusCode() == 200) {
                        String token = accessToken(body.toString(StandardCharsets.UTF_8));
                        tokens.put(key(authorization), token);
                        return token;
                    }
                    if (response.statusCode() == 429) {
                        String retry = response.getHeader("Retry-After");
                        throw EdgeRefusal.tooManyRequests("too many failed logins from here; try again later",
                                Duration.ofSeconds(retry == null || !retry.matches("\\d{1,6}") ? 60 : Long.parseLong(retry)));
                    }
                    if (response.statusCode() == 400 || response.statusCode() == 401 || response.statusCode() == 403) {
                        throw EdgeRefusal.notAuthorized("wrong user name or password");
                    }
                    throw EdgeRefusal.serviceFailed(502, "channel-server",
                            "the channel-server answered a login with " + response.statusCode());
                }), failure -> Future.failedFuture(failure instanceof EdgeRefusal ? failure
                        : EdgeRefusal.serviceFailed(503, "channel-server", "the channel-server could not check the login: "
                        + failure.getMessage())));
    }

    private String accessToken(String body) {
        try {
            JsonNode token = json.readTree(body).get("access_token");
            if (token == null || !token.isTextual()) {
                throw EdgeRefusal.serviceFailed(502, "channel-server", "the channel-server's token response had no access_token");
            }
            return token.asText();
        } catch (IOException e) {
            throw EdgeRefusal.serviceFailed(502, "channel-server", "the channel-server's token response was not JSON");
        }
    }

    private static String key(String authorization) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(authorization.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
