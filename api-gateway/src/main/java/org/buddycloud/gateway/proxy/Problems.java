package org.buddycloud.gateway.proxy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.http.HttpServerResponse;
import org.buddycloud.contracts.problem.Problem;
import org.buddycloud.gateway.edge.EdgeRefusal;

/** Writes the gateway's own answers as problem+json, the shape every service uses, plus the failed service's name. */
public final class Problems {

    /** What a 401 from the gateway offers: a bearer token, or Basic as the old API took it. */
    public static final String CHALLENGE = "Bearer realm=\"buddycloud\", Basic realm=\"buddycloud\", charset=\"UTF-8\"";

    private Problems() {
    }

    public static void write(HttpServerResponse response, EdgeRefusal refusal, String path, String challenge, ObjectMapper json) {
        if (response.headWritten()) {
            // the service failed half-way through its answer: all the caller can learn is that the answer broke off
            response.reset();
            return;
        }
        ObjectNode body = json.valueToTree(Problem.of(refusal.status(), refusal.condition(), title(refusal.status()),
                refusal.getMessage()).withInstance(path));
        refusal.service().ifPresent(service -> body.put("service", service));
        response.setStatusCode(refusal.status()).putHeader("Content-Type", Problem.MEDIA_TYPE);
        refusal.retryAfter().ifPresent(wait -> response.putHeader("Retry-After",
                Long.toString(Math.max(1, (wait.toMillis() + 999) / 1000))));
        if (refusal.status() == 401) {
            response.putHeader("WWW-Authenticate", challenge);
        }
        response.end(body.toString());
    }

    private static String title(int status) {
        return switch (status) {
            case 401 -> "Not authorized";
            case 404 -> "Not found";
            case 429 -> "Too many requests";
            case 502 -> "Bad gateway";
            case 503 -> "Service unavailable";
            case 504 -> "Gateway timeout";
            default -> "Refused";
        };
    }
}
