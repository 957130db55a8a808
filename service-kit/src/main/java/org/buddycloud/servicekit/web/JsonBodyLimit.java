package org.buddycloud.servicekit.web;

import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.HttpHeaders;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses JSON, XML and form bodies that declare more than {@code buddycloud.http.max-json-body} bytes
 * with a 413 problem, before anything reads them. (Bodies without a length are capped by
 * {@code quarkus.http.limits.max-body-size}.) Uploads use other media types and their own limits.
 */
public class JsonBodyLimit {

    private final long maxBytes;

    JsonBodyLimit(@ConfigProperty(name = "buddycloud.http.max-json-body", defaultValue = "65536") long maxBytes) {
        this.maxBytes = maxBytes;
    }

    @ServerRequestFilter(preMatching = true)
    public void refuseOversizedBodies(HttpServerRequest request) {
        String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (type == null || length == null || !(type.contains("json") || type.contains("xml") || type.contains("x-www-form-urlencoded"))) {
            return;
        }
        long declared;
        try {
            declared = Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            throw new DomainException(Condition.BAD_REQUEST, "invalid Content-Length");
        }
        if (declared > maxBytes) {
            throw new DomainException(Condition.PAYLOAD_TOO_BIG, "the body has " + declared + " bytes; at most " + maxBytes + " are accepted");
        }
    }
}
