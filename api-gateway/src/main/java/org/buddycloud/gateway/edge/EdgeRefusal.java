package org.buddycloud.gateway.edge;

import java.time.Duration;
import java.util.Optional;

/**
 * The gateway answers for itself: a refusal at the edge (401, 429) or a service that failed behind it (502, 503,
 * 504, naming the service). Written as problem+json by {@code Problems}.
 */
public final class EdgeRefusal extends RuntimeException {

    private final int status;
    private final String condition;
    private final Optional<String> service;
    private final Optional<Duration> retryAfter;

    public EdgeRefusal(int status, String condition, String detail, Optional<String> service, Optional<Duration> retryAfter) {
        super(detail, null, false, false);
        this.status = status;
        this.condition = condition;
        this.service = service;
        this.retryAfter = retryAfter;
    }

    public static EdgeRefusal notAuthorized(String detail) {
        return new EdgeRefusal(401, "not-authorized", detail, Optional.empty(), Optional.empty());
    }

    public static EdgeRefusal tooManyRequests(String detail, Duration retryAfter) {
        return new EdgeRefusal(429, "policy-violation", detail, Optional.empty(), Optional.of(retryAfter));
    }

    public static EdgeRefusal serviceFailed(int status, String service, String detail) {
        String condition = status == 504 ? "remote-server-timeout" : "service-unavailable";
        return new EdgeRefusal(status, condition, detail, Optional.of(service), Optional.empty());
    }

    public int status() {
        return status;
    }

    public String condition() {
        return condition;
    }

    public Optional<String> service() {
        return service;
    }

    public Optional<Duration> retryAfter() {
        return retryAfter;
    }
}
