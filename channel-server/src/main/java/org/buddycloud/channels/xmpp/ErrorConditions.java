package org.buddycloud.channels.xmpp;

import java.util.EnumSet;
import java.util.Set;
import org.buddycloud.channels.domain.PubSubRefusal;
import org.buddycloud.contracts.problem.AppCondition;
import org.buddycloud.contracts.problem.DomainException;
import org.buddycloud.xmppkit.xml.XmlElement;

/**
 * The application condition of an XMPP error and its namespace (PROTOCOL.md decision 10): XEP-0060's
 * own conditions in {@code http://jabber.org/protocol/pubsub#errors}, as XEP-0060 clients expect
 * them; buddycloud's own in {@code http://buddycloud.org/v1/errors}. REST bodies name the same
 * conditions without a namespace and are not affected.
 */
public final class ErrorConditions {

    /** The conditions of {@link AppCondition} that XEP-0060 §12 defines. */
    static final Set<AppCondition> XEP_0060 = EnumSet.of(AppCondition.CLOSED_NODE, AppCondition.PENDING_SUBSCRIPTION,
            AppCondition.NOT_SUBSCRIBED, AppCondition.INVALID_JID, AppCondition.NODEID_REQUIRED, AppCondition.ITEM_REQUIRED,
            AppCondition.PAYLOAD_TOO_BIG);

    private ErrorConditions() {
    }

    public static String namespace(AppCondition condition) {
        return XEP_0060.contains(condition) ? Namespaces.PUBSUB_ERRORS : Namespaces.BUDDYCLOUD_ERRORS;
    }

    /** The application condition element of a refusal, if it has one. */
    static XmlElement element(DomainException refusal) {
        if (refusal instanceof PubSubRefusal pubsub) {
            XmlElement reason = XmlElement.of(pubsub.reason().wireName(), Namespaces.PUBSUB_ERRORS);
            pubsub.feature().ifPresent(feature -> reason.attr("feature", feature));
            return reason;
        }
        return refusal.appCondition().map(ErrorConditions::element).orElse(null);
    }

    static XmlElement element(AppCondition condition) {
        return XmlElement.of(condition.wireName(), namespace(condition));
    }

    /** XEP-0060 §12 pairs {@code unsupported} with the stanza condition {@code feature-not-implemented}. */
    static boolean unsupported(DomainException refusal) {
        return refusal instanceof PubSubRefusal pubsub && pubsub.reason() == PubSubRefusal.Reason.UNSUPPORTED;
    }
}
