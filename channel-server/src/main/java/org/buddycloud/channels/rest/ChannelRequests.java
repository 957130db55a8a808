package org.buddycloud.channels.rest;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.buddycloud.channels.domain.NodeName;
import org.buddycloud.channels.domain.Page;
import org.buddycloud.contracts.access.Actor;
import org.buddycloud.contracts.problem.AppCondition;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import org.buddycloud.servicekit.auth.JidPrincipal;

/** What the channel resources read from a request: the actor, the node, the page, the wanted representation. */
final class ChannelRequests {

    static final String ATOM = "application/atom+xml";
    /** Node path segments: the two-segment location nodes or one segment. */
    static final String NODE = "{node: geo/(?:previous|current|next)|[^/]+}";

    /** The representations a feed can be had in. */
    enum Representation { JSON, ATOM }

    private ChannelRequests() {
    }

    static Actor actor(SecurityIdentity identity) {
        return JidPrincipal.of(identity).map(Actor::of).orElse(Actor.ANONYMOUS);
    }

    static NodeName node(String channel, String node) {
        return NodeName.of(NodeName.channel(channel), node);
    }

    static Page page(Integer max, String after, String before, int defaultMax) {
        return new Page(max == null ? defaultMax : max, blankToNull(after), blankToNull(before));
    }

    static Instant since(String since) {
        if (since == null || since.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(since.trim());
        } catch (DateTimeParseException e) {
            throw new DomainException(Condition.BAD_REQUEST, AppCondition.INVALID_SINCE_VALUE_PROVIDED,
                    "since must be an ISO-8601 instant such as 2026-11-26T10:00:00Z");
        }
    }

    /** JSON unless the client asks for Atom; 406 when it accepts neither. */
    static Representation representation(HttpHeaders headers) {
        List<MediaType> accepted = headers.getAcceptableMediaTypes();
        for (MediaType type : accepted) {
            if (type.isCompatible(MediaType.APPLICATION_JSON_TYPE) && !type.isWildcardType()) {
                return Representation.JSON;
            }
            if (type.isCompatible(MediaType.valueOf(ATOM)) && !type.isWildcardType()) {
                return Representation.ATOM;
            }
            if (type.isWildcardType()) {
                return Representation.JSON;
            }
        }
        throw new DomainException(Condition.NOT_ACCEPTABLE_FORMAT, "this resource is available as application/json or " + ATOM);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
