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
 * @param condition the machine-readable reason, e.g. {@code conflict}, {@code not-authorized}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(URI type, String title, int status, String detail, String instance, String condition) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem of(int status, String condition, String title, String detail) {
        return new Problem(URI.create("urn:buddycloud:problem:" + condition), title, status, detail, null, condition);
    }

    public Problem withInstance(String path) {
        return new Problem(type, title, status, detail, path, condition);
    }
}
