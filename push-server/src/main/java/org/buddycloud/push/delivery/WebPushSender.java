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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.nio.charset.StandardCharsets;
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
    /** How much of a push service's answer is read (for the device's last error). */
    private static final int MAX_ANSWER = 2048;
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
        webPush();
    }

    /**
     * The kept VAPID key pair, loaded (created at the first start) on first use, whichever of this bean and the
     * senders starts first.
     */
    private WebPush webPush() {
        WebPush loaded = webPush;
        if (loaded == null) {
            synchronized (this) {
                if (webPush == null) {
                    VapidKeys generated = VapidKeys.generate();
                    VapidKeyStore.StoredKeys kept = keys.keep(new VapidKeyStore.StoredKeys(generated.getX509PublicKey(),
                            generated.getPkcs8PrivateKey()), clock.now());
                    webPush = new WebPush(config.webPush().subject(), VapidKeys.create(kept.publicKey(), kept.privateKey()));
                }
                loaded = webPush;
            }
        }
        return loaded;
    }

    /** The VAPID public key as browsers take it ({@code applicationServerKey}): the uncompressed point, base64url. */
    public String publicKey() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(webPush().getVapidKeys().getApplicationServerKey());
    }

    /** Refuses an endpoint that is not https to a public address (the check {@link PushEndpoints} makes). */
    public void checkEndpoint(String endpoint) {
        endpoints.check(endpoint);
    }

    public DeliveryOutcome send(String endpoint, String p256dh, String auth, PushMessage message, int count) {
        try {
            endpoints.check(endpoint);
        } catch (PushEndpoints.Unresolved unresolved) {
            // DNS may be away for a moment: that says nothing about the subscription
            return DeliveryOutcome.retry(unresolved.getMessage());
        } catch (PushEndpoints.RefusedEndpoint refused) {
            return DeliveryOutcome.targetGone(refused.getMessage());
        }
        WebPush push = webPush();
        byte[] body;
        try {
            body = push.getBody(payload(message, count), decode(p256dh), decode(auth));
        } catch (Exception e) {
            // bad keys (undecodable, not a P-256 point) make the subscription useless; anything else may pass
            if (e instanceof IllegalArgumentException || e instanceof java.security.GeneralSecurityException) {
                return DeliveryOutcome.targetGone("the subscription's keys cannot encrypt: " + e.getMessage());
            }
            return DeliveryOutcome.retry("could not encrypt: " + e);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(java.net.URI.create(endpoint))
                .timeout(config.delivery().timeout())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        int ttl = (int) Math.min(Integer.MAX_VALUE, config.webPush().ttl().toSeconds());
        push.getHeaders(endpoint, ttl, message.collapseKey(), WebPush.Urgency.Normal).forEach(request::header);
        // the whole exchange within the timeout, and at most MAX_ANSWER bytes of the answer: a push service that
        // trickles or floods its answer cannot hold a sender
        var exchange = http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        try {
            HttpResponse<java.io.InputStream> response = exchange.get(config.delivery().timeout().toMillis(), TimeUnit.MILLISECONDS);
            String answer;
            try (java.io.InputStream in = response.body()) {
                answer = new String(in.readNBytes(MAX_ANSWER), StandardCharsets.UTF_8);
            }
            return outcome(response.statusCode(), answer, response.headers().firstValue("Retry-After"));
        } catch (TimeoutException e) {
            exchange.cancel(true);
            return DeliveryOutcome.retry("the push service did not answer within " + config.delivery().timeout().toSeconds() + " s");
        } catch (ExecutionException | IOException e) {
            return DeliveryOutcome.retry("the push service could not be reached");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DeliveryOutcome.retry("interrupted");
        }
    }

    /** What the push service's answer means (RFC 8030 §5, §8.3): 404 and 410 say the subscription is gone. */
    static DeliveryOutcome outcome(int status, String body, Optional<String> retryAfter) {
        String error = "push service answered " + status + (body == null || body.isBlank() ? "" : ": " + abbreviate(body.strip()));
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

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 199) + "…";
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
