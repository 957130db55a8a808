package org.buddycloud.channels.xmpp;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.buddycloud.xmppkit.xml.XmlElement;
import org.buddycloud.contracts.jid.InvalidJidException;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.AppCondition;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;

/**
 * Building answers: IQ results and stanza errors (RFC 6120 §8.3). A domain refusal becomes the
 * standard condition plus its application condition, in the namespace {@link ErrorConditions} gives it,
 * and a text (PROTOCOL.md decision 10). This is the one place the mapping is decided.
 */
public final class Stanzas {

    private Stanzas() {
    }

    public static Optional<Jid> jid(String text) {
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Jid.parse(text));
    }

    /** A JID attribute that must be valid when present; {@code jid-malformed} otherwise. */
    public static Optional<Jid> jidAttribute(XmlElement stanza, String attribute) {
        try {
            return jid(stanza.attr(attribute));
        } catch (InvalidJidException e) {
            throw new DomainException(Condition.BAD_REQUEST, AppCondition.INVALID_JID, "malformed JID in '" + attribute + "'");
        }
    }

    /** A JID that a client wrote in a form field or an element; {@code bad-request} naming the field when it is malformed. */
    public static Jid jidValue(String field, String text) {
        try {
            return Jid.parse(text.trim());
        } catch (InvalidJidException e) {
            throw new DomainException(Condition.BAD_REQUEST, AppCondition.INVALID_JID, "'" + field + "' is not a valid JID");
        }
    }

    /** An ISO-8601 instant that a client wrote; {@code bad-request} naming the field when it is malformed. */
    public static Instant instantValue(String field, String text) {
        try {
            return Instant.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw new DomainException(Condition.BAD_REQUEST, "'" + field + "' is not an ISO-8601 instant such as 2024-05-01T12:00:00Z");
        }
    }

    public static XmlElement result(XmlElement iq) {
        return XmlElement.of("iq", iq.namespace()).attr("type", "result").attr("id", iq.attr("id"))
                .attr("to", iq.attr("from")).attr("from", iq.attr("to"));
    }

    /** An error reply to any stanza, with the refusal's condition, application condition and text. */
    public static XmlElement error(XmlElement stanza, DomainException refusal) {
        if (ErrorConditions.unsupported(refusal)) {
            return error(stanza, "cancel", "feature-not-implemented", refusal.getMessage(), ErrorConditions.element(refusal));
        }
        return error(stanza, type(refusal.condition()), condition(refusal.condition()), refusal.getMessage(),
                ErrorConditions.element(refusal));
    }

    /** {@code reason}: the application condition element ({@link ErrorConditions}), or null. */
    public static XmlElement error(XmlElement stanza, String type, String condition, String text, XmlElement reason) {
        XmlElement reply = XmlElement.of(stanza.name(), stanza.namespace()).attr("type", "error").attr("id", stanza.attr("id"))
                .attr("to", stanza.attr("from")).attr("from", stanza.attr("to"));
        XmlElement error = reply.add("error").attr("type", type);
        error.add(condition, Namespaces.STANZA_ERRORS);
        if (reason != null) {
            error.append(reason);
        }
        if (text != null) {
            error.add("text", Namespaces.STANZA_ERRORS).text(text);
        }
        return reply;
    }

    /** For requests this server does not handle. */
    public static XmlElement unsupported(XmlElement stanza) {
        return error(stanza, "cancel", "service-unavailable", "not supported here", null);
    }

    /**
     * The refusal an XMPP error stanza stands for (another server's answer relayed to a REST caller): its defined
     * condition as ours, {@code remote-server-*} as the remote's being away or unknown, its text as the message.
     */
    public static DomainException refusal(XmlElement errorStanza) {
        XmlElement error = errorStanza.element("error", errorStanza.namespace()).orElse(XmlElement.of("error", ""));
        String text = error.childText("text", Namespaces.STANZA_ERRORS).orElse("refused by the channel's own server");
        String name = error.elements().stream().filter(e -> Namespaces.STANZA_ERRORS.equals(e.namespace()) && !e.name().equals("text"))
                .map(XmlElement::name).findFirst().orElse("undefined-condition");
        Condition condition = switch (name) {
            case "remote-server-timeout", "remote-server-not-found" -> name.endsWith("timeout") ? Condition.SERVICE_UNAVAILABLE
                    : Condition.ITEM_NOT_FOUND;
            case "registration-required" -> Condition.FORBIDDEN;
            default -> java.util.Arrays.stream(Condition.values()).filter(c -> condition(c).equals(name)).findFirst()
                    .orElse(Condition.SERVICE_UNAVAILABLE);
        };
        return new DomainException(condition, text);
    }

    static String condition(Condition condition) {
        return switch (condition) {
            case BAD_REQUEST, UNSUPPORTED_MEDIA_TYPE -> "bad-request";
            case NOT_AUTHORIZED -> "not-authorized";
            case FORBIDDEN -> "forbidden";
            case ITEM_NOT_FOUND -> "item-not-found";
            case NOT_ALLOWED -> "not-allowed";
            case PRECONDITION_FAILED -> "unexpected-request";
            case CONFLICT -> "conflict";
            case PAYLOAD_TOO_BIG, NOT_ACCEPTABLE, NOT_ACCEPTABLE_FORMAT -> "not-acceptable";
            case POLICY_VIOLATION -> "policy-violation";
            case SERVICE_UNAVAILABLE -> "service-unavailable";
            case INTERNAL_SERVER_ERROR -> "internal-server-error";
        };
    }

    static String type(Condition condition) {
        return switch (condition) {
            case BAD_REQUEST, UNSUPPORTED_MEDIA_TYPE, PAYLOAD_TOO_BIG, NOT_ACCEPTABLE, NOT_ACCEPTABLE_FORMAT -> "modify";
            case NOT_AUTHORIZED, FORBIDDEN -> "auth";
            case POLICY_VIOLATION, SERVICE_UNAVAILABLE, INTERNAL_SERVER_ERROR -> "wait";
            case ITEM_NOT_FOUND, NOT_ALLOWED, CONFLICT, PRECONDITION_FAILED -> "cancel";
        };
    }
}
