package org.buddycloud.channels.rest;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import org.buddycloud.channels.xmpp.pubsub.HttpConfirmations;
import org.buddycloud.contracts.jid.InvalidJidException;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import org.buddycloud.servicekit.auth.XmppConfirmations;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * XEP-0070 for our other services: "did this XMPP user really make this HTTP request?" The channel
 * server sends a {@code <confirm/>} to the user's connected client(s) and answers with what came of
 * it. Services authenticate with the shared internal secret ({@code buddycloud.internal.secret}),
 * never with a user's token.
 */
@Path("/internal/confirm")
@Tag(name = "internal")
@Produces(MediaType.APPLICATION_JSON)
public class ConfirmationResource {

    /** The header the services put the internal secret in (the same constant their client uses). */
    public static final String SECRET_HEADER = XmppConfirmations.SECRET_HEADER;

    /** What a service asks: whose client confirms which request; {@code transaction} is shown to the user. */
    public record ConfirmationRequest(String jid, String method, String url, String transaction, Integer timeoutSeconds) {
    }

    /** {@code accepted}, {@code denied}, {@code timeout} or {@code not_connected}. */
    public record ConfirmationOutcome(String outcome, String transaction) {
    }

    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
    private static final Pattern TRANSACTION = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final int DEFAULT_TIMEOUT_SECONDS = 60;
    private static final int MAX_TIMEOUT_SECONDS = 300;

    private final HttpConfirmations confirmations;
    private final Optional<String> secret;

    ConfirmationResource(HttpConfirmations confirmations, @ConfigProperty(name = "buddycloud.internal.secret") Optional<String> secret) {
        this.confirmations = confirmations;
        this.secret = secret.filter(s -> !s.isBlank());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Ask the user's XMPP client to confirm an HTTP request (XEP-0070); answers when the client does or the time is up")
    public CompletionStage<ConfirmationOutcome> confirm(@HeaderParam(SECRET_HEADER) String presented, ConfirmationRequest request) {
        requireSecret(presented);
        if (request == null) {
            throw new DomainException(Condition.BAD_REQUEST, "send {jid, method, url[, transaction, timeoutSeconds]}");
        }
        Jid jid = jid(request.jid());
        String method = method(request.method());
        String url = url(request.url());
        String transaction = request.transaction();
        if (transaction != null && !TRANSACTION.matcher(transaction).matches()) {
            throw new DomainException(Condition.BAD_REQUEST, "transaction: 1-128 letters, digits or . _ : -");
        }
        int timeout = request.timeoutSeconds() == null ? DEFAULT_TIMEOUT_SECONDS : request.timeoutSeconds();
        if (timeout < 1 || timeout > MAX_TIMEOUT_SECONDS) {
            throw new DomainException(Condition.BAD_REQUEST, "timeoutSeconds: 1 to " + MAX_TIMEOUT_SECONDS);
        }
        return confirmations.request(jid, method, url, transaction, Duration.ofSeconds(timeout))
                .thenApply(result -> new ConfirmationOutcome(result.result().name().toLowerCase(Locale.ROOT), result.transaction()));
    }

    private void requireSecret(String presented) {
        if (secret.isEmpty()) {
            throw new DomainException(Condition.FORBIDDEN, "the internal API is off: set buddycloud.internal.secret");
        }
        if (presented == null || !MessageDigest.isEqual(secret.get().getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8))) {
            throw new DomainException(Condition.FORBIDDEN, "a service calls this with the internal secret in " + SECRET_HEADER);
        }
    }

    private static Jid jid(String text) {
        try {
            Jid jid = Jid.parse(text);
            if (jid.localpart().isEmpty()) {
                throw new DomainException(Condition.BAD_REQUEST, "jid: a user's bare or full JID");
            }
            return jid;
        } catch (InvalidJidException e) {
            throw new DomainException(Condition.BAD_REQUEST, "jid: " + e.getMessage());
        }
    }

    private static String method(String method) {
        String upper = method == null ? "" : method.toUpperCase(Locale.ROOT);
        if (!METHODS.contains(upper)) {
            throw new DomainException(Condition.BAD_REQUEST, "method: one of " + METHODS);
        }
        return upper;
    }

    private static String url(String url) {
        try {
            URI uri = URI.create(url == null ? "" : url);
            if (url.length() > 2048 || uri.getHost() == null || !Set.of("http", "https").contains(uri.getScheme())) {
                throw new IllegalArgumentException("not an absolute http(s) URL");
            }
            return url;
        } catch (IllegalArgumentException e) {
            throw new DomainException(Condition.BAD_REQUEST, "url: an absolute http(s) URL of at most 2048 characters");
        }
    }
}
