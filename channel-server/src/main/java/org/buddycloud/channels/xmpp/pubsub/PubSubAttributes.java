package org.buddycloud.channels.xmpp.pubsub;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.buddycloud.channels.domain.NodeName;
import org.buddycloud.channels.xmpp.Stanzas;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.AppCondition;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import org.buddycloud.xmppkit.xml.XmlElement;

/** The attributes of pubsub requests, each refused with its XEP-0060 or buddycloud condition when missing or malformed. */
final class PubSubAttributes {

    private PubSubAttributes() {
    }

    static NodeName node(XmlElement request) {
        return NodeName.parse(request.attr("node"));
    }

    static String required(XmlElement element, String attribute) {
        String value = element.attr(attribute);
        if (value == null || value.isBlank()) {
            throw new DomainException(Condition.BAD_REQUEST, attribute.equals("id") ? AppCondition.ITEM_REQUIRED : null,
                    "the attribute '" + attribute + "' is required");
        }
        return value;
    }

    static Jid jid(XmlElement element, String attribute) {
        return Stanzas.jidAttribute(element, attribute).orElseThrow(() ->
                new DomainException(Condition.BAD_REQUEST, AppCondition.INVALID_JID, "the attribute '" + attribute + "' is required"));
    }

    static Instant instant(String value) {
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw new DomainException(Condition.BAD_REQUEST, AppCondition.INVALID_SINCE_VALUE_PROVIDED, "not an ISO-8601 instant: " + value);
        }
    }
}
