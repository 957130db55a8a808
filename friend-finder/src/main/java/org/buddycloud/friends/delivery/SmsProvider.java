package org.buddycloud.friends.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import org.buddycloud.friends.FriendsConfig;
import org.jboss.logging.Logger;

/**
 * An SMS provider behind an HTTP interface: {@code POST <url>} with {@code {"to": "+E.164", "from": …, "text": …}} as
 * JSON and {@code Authorization: Bearer <token>}; any 2xx is sent. Gateways with another shape sit behind a small
 * adapter of the operator's. Without a URL, phone numbers cannot be claimed.
 */
@ApplicationScoped
public class SmsProvider {

    private static final Logger LOG = Logger.getLogger(SmsProvider.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final FriendsConfig.Sms config;
    private final ObjectMapper json;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    SmsProvider(FriendsConfig config, ObjectMapper json) {
        this.config = config.sms();
        this.json = json;
    }

    public boolean configured() {
        return config.url().isPresent();
    }

    public void send(String to, String text) {
        URI url = config.url().orElseThrow(CodeDelivery::noSms);
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(TIMEOUT).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(Map.of("to", to, "from", config.from(), "text", text))));
            config.token().ifPresent(token -> request.header("Authorization", "Bearer " + token));
            HttpResponse<Void> response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() / 100 == 2) {
                return;
            }
            LOG.warnf("the SMS provider refused a code with %d", response.statusCode());
        } catch (IOException e) {
            LOG.warnf("the SMS provider did not answer: %s", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new DomainException(Condition.SERVICE_UNAVAILABLE, "the code could not be sent now; try again later");
    }
}
