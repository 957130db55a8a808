package org.buddycloud.contracts.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.net.URI;

/**
 * An HTTP error body in the RFC 9457 {@code application/problem+json} shape, extended with the
 * XMPP-style {@code condition} (PROTOCOL.md decisions 9 and 10) so that REST and XMPP clients see
 * the same reason.
 *
 * @param type      {@code urn:buddycloud:problem:<condition>}
 * @param title     a short summary of the condition
 * @param status    the HTTP status
 * @param detail    what went wrong with this request, for a human
 * @param condition    the machine-readable reason, e.g. {@code conflict}, {@code not-authorized}
 * @param appCondition the buddycloud reason where there is one, e.g. {@code closed-node}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(URI type, String title, int status, String detail, String instance, String condition,
                      String appCondition) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem of(int status, String condition, String title, String detail) {
        return new Problem(URI.create("urn:buddycloud:problem:" + condition), title, status, detail, null, condition, null);
    }

    public Problem withInstance(String path) {
        return new Problem(type, title, status, detail, path, condition, appCondition);
    }

    public Problem withStatus(int newStatus) {
        return new Problem(type, title, newStatus, detail, instance, condition, appCondition);
    }

    public Problem withAppCondition(AppCondition reason) {
        return new Problem(type, title, status, detail, instance, condition, reason == null ? null : reason.wireName());
    }
}
