package org.buddycloud.channels.xmpp.pubsub;

import static org.buddycloud.channels.xmpp.pubsub.PubSubAttributes.instant;
import static org.buddycloud.channels.xmpp.pubsub.PubSubAttributes.jid;
import static org.buddycloud.channels.xmpp.pubsub.PubSubAttributes.node;
import static org.buddycloud.channels.xmpp.pubsub.PubSubAttributes.required;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.buddycloud.channels.domain.ChannelQueries;
import org.buddycloud.channels.domain.ConfigChange;
import org.buddycloud.channels.domain.NodeConfig;
import org.buddycloud.channels.domain.NodeName;
import org.buddycloud.channels.service.ChannelTransactions;
import org.buddycloud.channels.xmpp.DataForm;
import org.buddycloud.channels.xmpp.Namespaces;
import org.buddycloud.channels.xmpp.Stanzas;
import org.buddycloud.channels.xmpp.pubsub.PubSubHandlers.Request;
import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.channel.Affiliation;
import org.buddycloud.contracts.channel.ChannelType;
import org.buddycloud.contracts.channel.Subscription;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import org.buddycloud.xmppkit.xml.XmlElement;

/**
 * The handlers of a node owner's requests (XEP-0060 §8, {@code pubsub#owner}): the node's configuration, its deletion,
 * and its affiliations and subscriptions, read and changed; each one call of the channel core, which decides whether
 * the actor may.
 */
final class PubSubOwnerIqs {

    private final ChannelTransactions changes;
    private final ChannelQueries queries;
    private final PubSubXml xml;

    PubSubOwnerIqs(ChannelTransactions changes, ChannelQueries queries, PubSubXml xml) {
        this.changes = changes;
        this.queries = queries;
        this.xml = xml;
    }

    XmlElement configuration(Request request) {
        NodeName node = node(request.element());
        NodeConfig config = queries.configuration(request.actor(), node);
        XmlElement out = XmlElement.of("pubsub", Namespaces.PUBSUB_OWNER);
        out.add("configure").attr("node", node.toString()).append(xml.form("form", PubSubXml.NODE_CONFIG, config));
        return out;
    }

    XmlElement configure(Request request) {
        changes.configure(request.actor(), node(request.element()), change(DataForm.values(request.element())));
        return null;
    }

    XmlElement delete(Request request) {
        NodeName node = node(request.element());
        if (node.is(NodeName.POSTS)) {
            changes.deleteChannel(request.actor(), node.channel());
        } else {
            changes.deleteNode(request.actor(), node);
        }
        return null;
    }

    /** The node's affiliations. */
    XmlElement affiliations(Request request) {
        NodeName node = node(request.element());
        XmlElement out = XmlElement.of("pubsub", Namespaces.PUBSUB_OWNER);
        XmlElement list = out.add("affiliations").attr("node", node.toString());
        queries.members(request.actor(), node).stream().filter(m -> m.affiliation() != Affiliation.NONE).forEach(m ->
                list.add("affiliation").attr("jid", m.jid()).attr("affiliation", m.affiliation().wireName()));
        return out;
    }

    XmlElement setAffiliations(Request request) {
        Map<Jid, Affiliation> changed = new LinkedHashMap<>();
        request.element().elements("affiliation", Namespaces.PUBSUB_OWNER).forEach(a ->
                changed.put(jid(a, "jid"), affiliation(required(a, "affiliation"))));
        changes.setAffiliations(request.actor(), node(request.element()), changed);
        return null;
    }

    /** The node's subscriptions. */
    XmlElement subscriptions(Request request) {
        NodeName node = node(request.element());
        XmlElement out = XmlElement.of("pubsub", Namespaces.PUBSUB_OWNER);
        XmlElement list = out.add("subscriptions").attr("node", node.toString());
        queries.members(request.actor(), node).stream().filter(m -> m.subscription() != Subscription.NONE).forEach(m ->
                list.add("subscription").attr("jid", m.jid()).attr("subscription", m.subscription().wireName()));
        return out;
    }

    XmlElement setSubscriptions(Request request) {
        Map<Jid, Subscription> decided = new LinkedHashMap<>();
        request.element().elements("subscription", Namespaces.PUBSUB_OWNER).forEach(s ->
                decided.put(jid(s, "jid"), subscription(required(s, "subscription"))));
        changes.setSubscriptions(request.actor(), node(request.element()), decided);
        return null;
    }

    private static ConfigChange change(Map<String, List<String>> form) {
        String access = DataForm.first(form, "pubsub#access_model").orElse(null);
        AccessModel model = access == null ? null : AccessModel.fromWire(access);
        if (access != null && !model.wireName().equals(access.trim().toLowerCase(Locale.ROOT))) {
            throw new DomainException(Condition.BAD_REQUEST, "pubsub#access_model must be open, authorize, whitelist or local");
        }
        String defaultAffiliation = DataForm.first(form, "buddycloud#default_affiliation").orElse(null);
        String channelType = DataForm.first(form, "buddycloud#channel_type").orElse(null);
        String creator = DataForm.first(form, "pubsub#creator").orElse(null);
        String created = DataForm.first(form, "pubsub#creation_date").orElse(null);
        // an empty coordinate (a form sent back as it was offered) leaves the place as it is
        Double lat = DataForm.first(form, "x-buddycloud#geoloc-lat").filter(v -> !v.isBlank()).map(PubSubOwnerIqs::decimal).orElse(null);
        Double lon = DataForm.first(form, "x-buddycloud#geoloc-lon").filter(v -> !v.isBlank()).map(PubSubOwnerIqs::decimal).orElse(null);
        String place = DataForm.first(form, "x-buddycloud#geoloc-text").orElse(null);
        return new ConfigChange(DataForm.first(form, "pubsub#title").orElse(null), DataForm.first(form, "pubsub#description").orElse(null),
                model, defaultAffiliation == null ? null : affiliation(defaultAffiliation),
                DataForm.flag(form, "buddycloud#advertise_node").orElse(null),
                lat == null && lon == null && place == null ? null : new NodeConfig.Geo(lat, lon, place),
                channelType == null ? null : channelType(channelType), creator == null ? null : Stanzas.jidValue("pubsub#creator", creator),
                created == null ? null : instant(created), DataForm.first(form, "pubsub#type").orElse(null),
                DataForm.flag(form, "buddycloud#ephemeral").orElse(null));
    }

    private static Double decimal(String value) {
        try {
            return Double.valueOf(value.trim());
        } catch (NumberFormatException e) {
            throw new DomainException(Condition.BAD_REQUEST, "not a number: " + value);
        }
    }

    private static Affiliation affiliation(String value) {
        try {
            return Affiliation.fromWire(value.trim().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new DomainException(Condition.BAD_REQUEST, "unknown affiliation " + value);
        }
    }

    private static Subscription subscription(String value) {
        try {
            return Subscription.fromWire(value.trim().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new DomainException(Condition.BAD_REQUEST, "unknown subscription state " + value);
        }
    }

    private static ChannelType channelType(String value) {
        try {
            return ChannelType.fromWire(value.trim().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new DomainException(Condition.BAD_REQUEST, "unknown channel type " + value);
        }
    }
}
