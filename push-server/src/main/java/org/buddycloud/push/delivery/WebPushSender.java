package org.buddycloud.push.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.interaso.webpush.VapidKeys;
import com.interaso.webpush.WebPush;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.buddycloud.push.domain.DeliveryOutcome;
import org.buddycloud.push.domain.PushEndpoints;
import org.buddycloud.push.domain.PushMessage;
import org.buddycloud.push.service.PushClock;
import org.buddycloud.push.service.PushConfig;
import org.buddycloud.push.store.VapidKeyStore;

/**
 * Web Push (RFC 8030) with the payload encrypted for the subscription (RFC 8291, {@code aes128gcm}) and the
 * server identified by its VAPID key (RFC 8292), created at first start and kept in the database. The endpoint is
 * checked again before each request (its host may resolve elsewhere by now) and redirects are not followed, so a
 * subscription cannot make this server call into its own network.
 */
@ApplicationScoped
public class WebPushSender {

    private final PushConfig config;
    private final VapidKeyStore keys;
    private final PushEndpoints endpoints;
    private final PushClock clock;
    private final ObjectMapper json;
    private final HttpClient http;
    private volatile WebPush webPush;

    WebPushSender(PushConfig config, VapidKeyStore keys, PushClock clock, ObjectMapper json) {
        this.config = config;
        this.keys = keys;
        this.clock = clock;
        this.json = json;
        this.endpoints = new PushEndpoints(host -> Arrays.asList(InetAddress.getAllByName(host)), config.webPush().allowLoopback());
        this.http = HttpClient.newBuilder().connectTimeout(config.delivery().timeout()).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    void start(@Observes StartupEvent event) {
        VapidKeys generated = VapidKeys.generate();
        VapidKeyStore.StoredKeys kept = keys.keep(new VapidKeyStore.StoredKeys(generated.getX509PublicKey(), generated.getPkcs8PrivateKey()),
                clock.now());
        webPush = new WebPush(config.webPush().subject(), VapidKeys.create(kept.publicKey(), kept.privateKey()));
    }

    /** The VAPID public key as browsers take it ({@code applicationServerKey}): the uncompressed point, base64url. */
    public String publicKey() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(webPush.getVapidKeys().getApplicationServerKey());
    }

    /** Refuses an endpoint that is not https to a public address (the check {@link PushEndpoints} makes). */
    public void checkEndpoint(String endpoint) {
        endpoints.check(endpoint);
    }

    public DeliveryOutcome send(String endpoint, String p256dh, String auth, PushMessage message, int count) {
        try {
            endpoints.check(endpoint);
        } catch (PushEndpoints.RefusedEndpoint refused) {
            return DeliveryOutcome.targetGone(refused.getMessage());
        }
        byte[] body;
        try {
            body = webPush.getBody(payload(message, count), decode(p256dh), decode(auth));
        } catch (RuntimeException e) {
            return DeliveryOutcome.targetGone("the subscription's keys cannot encrypt: " + e.getMessage());
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(java.net.URI.create(endpoint))
                .timeout(config.delivery().timeout())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        int ttl = (int) Math.min(Integer.MAX_VALUE, config.webPush().ttl().toSeconds());
        webPush.getHeaders(endpoint, ttl, message.collapseKey(), WebPush.Urgency.Normal).forEach(request::header);
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return outcome(response.statusCode(), response.body(), response.headers().firstValue("Retry-After"));
        } catch (IOException e) {
            return DeliveryOutcome.retry("the push service did not answer: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DeliveryOutcome.retry("interrupted");
        }
    }

    /** What the push service's answer means (RFC 8030 §5, §8.3): 404 and 410 say the subscription is gone. */
    static DeliveryOutcome outcome(int status, String body, Optional<String> retryAfter) {
        String error = "push service answered " + status + (body == null || body.isBlank() ? "" : ": " + body.strip());
        if (status >= 200 && status < 300) {
            return DeliveryOutcome.delivered();
        }
        if (status == 404 || status == 410) {
            return DeliveryOutcome.targetGone(error);
        }
        if (status == 429 || status >= 500) {
            return DeliveryOutcome.retryAfter(error, retryAfter.flatMap(WebPushSender::seconds).orElse(null));
        }
        return DeliveryOutcome.refused(error);
    }

    private static Optional<Duration> seconds(String retryAfter) {
        try {
            return Optional.of(Duration.ofSeconds(Long.parseLong(retryAfter.trim())));
        } catch (NumberFormatException e) {
            return Optional.empty(); // an HTTP date: the back-off decides
        }
    }

    private byte[] payload(PushMessage message, int count) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("event", message.kind().name().toLowerCase(java.util.Locale.ROOT));
        payload.put("title", message.title());
        payload.put("body", message.body());
        payload.put("channel", message.channel().toString());
        payload.put("item", message.itemId());
        payload.put("count", count);
        try {
            return json.writeValueAsBytes(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings is JSON", e);
        }
    }

    private static byte[] decode(String base64url) {
        return Base64.getUrlDecoder().decode(base64url.replace('+', '-').replace('/', '_').replace("=", ""));
    }
}
