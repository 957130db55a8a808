package org.buddycloud.servicekit.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;

/**
 * Asks the channel server (its internal {@code /internal/confirm}) whether the user's XMPP client
 * confirms an HTTP request, without holding a thread while the user decides.
 */
public final class XmppConfirmations {

    /** The header carrying the shared secret of the internal API. */
    public static final String SECRET_HEADER = "X-Buddycloud-Internal-Secret";

    /** What the channel server reported: {@code accepted}, {@code denied}, {@code timeout} or {@code not_connected}. */
    public record Outcome(String outcome) {
        public boolean accepted() {
            return "accepted".equals(outcome);
        }
    }

    private final URI endpoint;
    private final String secret;
    private final Duration timeout;
    private final ObjectMapper json;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    public XmppConfirmations(URI endpoint, String secret, Duration timeout, ObjectMapper json) {
        this.endpoint = endpoint;
        this.secret = secret;
        this.timeout = timeout;
        this.json = json;
    }

    public CompletableFuture<Outcome> confirm(XmppConfirmationRequest request) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("jid", request.fullJid().toString());
        body.put("method", request.method());
        body.put("url", request.url());
        body.put("transaction", request.transaction());
        body.put("timeoutSeconds", timeout.toSeconds());
        HttpRequest call;
        try {
            call = HttpRequest.newBuilder(endpoint).timeout(timeout.plusSeconds(5)).header("Content-Type", "application/json")
                    .header(SECRET_HEADER, secret).POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))).build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings is always JSON", e);
        }
        return http.sendAsync(call, HttpResponse.BodyHandlers.ofString()).handle((response, failure) -> {
            if (failure != null) {
                throw new DomainException(Condition.SERVICE_UNAVAILABLE, "the channel server cannot confirm requests now");
            }
            return outcome(response);
        });
    }

    private Outcome outcome(HttpResponse<String> response) {
        if (response.statusCode() == 400) {
            throw new DomainException(Condition.NOT_AUTHORIZED, "the confirmation request is malformed");
        }
        if (response.statusCode() == 409) {
            throw new DomainException(Condition.CONFLICT, "that transaction id is already waiting for a confirmation; use a new one");
        }
        if (response.statusCode() != 200) {
            // 403 here means our secret is wrong: an operator's problem, not the caller's
            throw new DomainException(Condition.SERVICE_UNAVAILABLE, "the channel server refused to confirm requests (HTTP "
                    + response.statusCode() + ")");
        }
        try {
            JsonNode answer = json.readTree(response.body());
            return new Outcome(answer.path("outcome").asText(""));
        } catch (JsonProcessingException e) {
            throw new DomainException(Condition.SERVICE_UNAVAILABLE, "the channel server's confirmation answer is unreadable");
        }
    }
}
