package org.buddycloud.channels.xmpp.pubsub;

import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import org.buddycloud.channels.domain.ChannelStores;
import org.buddycloud.channels.domain.Membership;
import org.buddycloud.channels.domain.MembershipStore;
import org.buddycloud.channels.domain.NodeConfig;
import org.buddycloud.channels.domain.NodeName;
import org.buddycloud.channels.domain.Post;
import org.buddycloud.channels.xmpp.DataForm;
import org.buddycloud.channels.xmpp.Namespaces;
import org.buddycloud.channels.xmpp.StanzaSink;
import org.buddycloud.channels.xmpp.XmppAddresses;
import org.buddycloud.channels.xmpp.XmppConfig;
import org.buddycloud.channels.xmpp.stream.SessionRegistry;
import org.buddycloud.xmppkit.xml.XmlElement;
import org.buddycloud.contracts.access.Actor;
import org.buddycloud.contracts.access.Audience;
import org.buddycloud.contracts.access.Permissions;
import org.buddycloud.contracts.access.Standing;
import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.channel.Subscription;
import org.buddycloud.contracts.events.AffiliationChanged;
import org.buddycloud.contracts.events.ChannelConfigured;
import org.buddycloud.contracts.events.ChannelDeleted;
import org.buddycloud.contracts.events.ChannelMoved;
import org.buddycloud.contracts.events.CloudEvent;
import org.buddycloud.contracts.events.EventType;
import org.buddycloud.contracts.events.EventTypes;
import org.buddycloud.contracts.events.NodeDeleted;
import org.buddycloud.contracts.events.PostPublished;
import org.buddycloud.contracts.events.PostRetracted;
import org.buddycloud.contracts.events.PostUpdated;
import org.buddycloud.contracts.events.SubscriptionChanged;
import org.buddycloud.contracts.events.Topic;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.servicekit.events.EventRecords;
import org.buddycloud.servicekit.events.TopicNames;
import org.buddycloud.servicekit.events.ReplicaCursor;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Who hears of a channel change, and what they are sent: the pubsub notifications of XEP-0060 and buddycloud (items,
 * retractions, subscriptions, affiliations, configuration, deletions, follow requests to decide), to the members the
 * shared {@link Audience} lets hear of them. Where a member's notifications go is the {@link Recipients}' business:
 * the sessions connected to this replica, or the member's own server for users of other domains.
 */
final class ChannelNotifier {

    /** Where one user's notifications go. */
    interface Recipients {

        /** Each address of {@code user} to send to, with the sink that takes it; none when the user is not ours to tell. */
        void forEachTarget(Jid user, BiConsumer<Jid, StanzaSink> target);

        /** Whether {@code user} has anywhere to be told now (a cheap question, asked before reading more). */
        boolean reachable(Jid user);

        /** The channel sessions of local users connected to this replica. */
        static Recipients connectedHere(SessionRegistry registry) {
            return new Recipients() {
                @Override
                public void forEachTarget(Jid user, BiConsumer<Jid, StanzaSink> target) {
                    registry.forEachChannelTarget(user, target);
                }

                @Override
                public boolean reachable(Jid user) {
                    return registry.hasChannelTarget(user);
                }
            };
        }
    }

    private final ChannelStores stores;
    private final PubSubXml xml;
    private final Audience audience;
    /** The channel service's address, read once: every notification carries it, and the bean's proxy costs a lookup. */
    private final String channelService;
    private final Recipients recipients;

    ChannelNotifier(ChannelStores stores, PubSubXml xml, Audience audience, String channelService, Recipients recipients) {
        this.stores = stores;
        this.xml = xml;
        this.audience = audience;
        this.channelService = channelService;
        this.recipients = recipients;
    }

    /** Tells the recipients who hear of the change. */
    void notify(CloudEvent<?> event) {
        Object data = event.data();
        if (data instanceof PostPublished p) {
            post(p.post(), p.accessModel());
        } else if (data instanceof PostUpdated p) {
            post(p.post(), p.accessModel());
        } else if (data instanceof PostRetracted r) {
            NodeName node = NodeName.parse(r.node());
            if (stores.posts().wasRetractedQuietly(node, r.itemId(), r.retractedAt())) {
                return;
            }
            XmlElement items = XmlElement.of("items", Namespaces.PUBSUB_EVENT).attr("node", node.toString());
            items.add("retract").attr("id", r.itemId());
            toMembers(node, readers(r.accessModel()), items);
        } else if (data instanceof SubscriptionChanged s) {
            subscription(s);
        } else if (data instanceof AffiliationChanged a) {
            NodeName node = NodeName.parse(a.node());
            XmlElement affiliations = XmlElement.of("affiliations", Namespaces.PUBSUB_EVENT).attr("node", node.toString());
            affiliations.add("affiliation").attr("jid", a.jid()).attr("affiliation", a.affiliation().wireName());
            toMembers(node, hearsOfMembership(node, a.accessModel(), a.jid(), Standing.of(a.affiliation(), a.subscription())),
                    affiliations);
        } else if (data instanceof ChannelConfigured c) {
            NodeName node = NodeName.parse(c.node());
            stores.channels().config(node).ifPresent(config -> {
                XmlElement configuration = XmlElement.of("configuration", Namespaces.PUBSUB_EVENT).attr("node", node.toString());
                configuration.append(xml.form("result", PubSubXml.NODE_CONFIG, config));
                toMembers(node, readers(config.accessModel()), configuration);
            });
        } else if (data instanceof NodeDeleted d) {
            d.followers().forEach(f -> toUser(f, deleted(d.node())));
        } else if (data instanceof ChannelDeleted d) {
            d.followers().forEach(f -> toUser(f, deleted(NodeName.of(d.channel(), NodeName.POSTS).toString())));
        } else if (data instanceof ChannelMoved m) {
            // XEP-0060 §8.4.3: the node a follower knows is gone from under its address, and the redirect says where it lives
            XmlElement moved = deleted(NodeName.of(m.from(), NodeName.POSTS).toString());
            moved.add("redirect").attr("uri", "xmpp:" + channelService + "?;node=" + NodeName.of(m.to(), NodeName.POSTS));
            m.followers().forEach(f -> toUser(f, moved));
        }
    }

    /**
     * The item as the post was at this event, written from the event itself; only an event of an earlier version,
     * which does not carry the entry's extensions, sends for the stored post.
     */
    private void post(org.buddycloud.contracts.events.Post published, AccessModel model) {
        NodeName node = NodeName.parse(published.node());
        Post.fromEvent(published).or(() -> stores.posts().find(node, published.itemId())).ifPresent(p -> {
            String event = event(xml.items(Namespaces.PUBSUB_EVENT, node, List.of(p)));
            MembershipStore.Listeners listeners = stores.memberships().listeners(node);
            Set<Jid> told = toMembers(listeners.members(), readers(model), event);
            toFirehose(node, model, told, listeners, event);
        });
    }

    /** Followers of {@code /firehose} connected here and not told already, as {@link Audience#hearsThroughFirehose} has it. */
    private void toFirehose(NodeName node, AccessModel model, Set<Jid> told, MembershipStore.Listeners listeners, String event) {
        // even a stranger of an advertised node would not hear of it: no follower will, and no config need be read
        if (!audience.hearsThroughFirehose(model, true, Standing.STRANGER)) {
            return;
        }
        List<Jid> followers = listeners.firehoseFollowers().stream()
                .filter(jid -> !told.contains(jid) && recipients.reachable(jid)).toList();
        if (followers.isEmpty()) {
            return;
        }
        boolean advertised = stores.channels().config(node).map(NodeConfig::advertised).orElse(false);
        java.util.Map<Jid, Standing> standings = new java.util.HashMap<>();
        listeners.members().forEach(m -> standings.put(m.jid(), m));
        for (Jid follower : followers) {
            if (audience.hearsThroughFirehose(model, advertised, standings.getOrDefault(follower, Standing.STRANGER))) {
                toUser(follower, event);
            }
        }
    }

    private void subscription(SubscriptionChanged s) {
        NodeName node = NodeName.parse(s.node());
        XmlElement subscription = XmlElement.of("subscription", Namespaces.PUBSUB_EVENT).attr("node", node.toString())
                .attr("jid", s.subscriber()).attr("subscription", s.subscription().wireName());
        Set<Jid> told = toMembers(node, hearsOfMembership(node, s.accessModel(), s.subscriber(),
                Standing.of(s.affiliation(), s.subscription())), subscription);
        // the subscriber hears of it even without a membership row (after unsubscribing), but only once
        if (!told.contains(s.subscriber())) {
            toUser(s.subscriber(), subscription);
        }
        if (s.subscription() == Subscription.PENDING) {
            for (Membership m : stores.memberships().members(node)) {
                if (audience.decidesFollowRequests(m)) {
                    recipients.forEachTarget(m.jid(), (to, sink) -> sink.send(authorizationRequest(to, node, s.subscriber())));
                }
            }
        }
    }

    /** The XEP-0060 subscription authorization form (PROTOCOL.md §1.6), answered with a submitted copy. */
    XmlElement authorizationRequest(Jid to, NodeName node, Jid subscriber) {
        XmlElement form = DataForm.of("form", Notifications.SUBSCRIBE_AUTHORIZATION)
                .field("pubsub#node", "text-single", "Node", node.toString())
                .field("pubsub#subscriber_jid", "jid-single", "Who asks to follow", subscriber.toString())
                .field("pubsub#allow", "boolean", "Allow " + subscriber + " to follow " + node + "?", "false").element();
        return message(to, "normal").append(form);
    }

    /** Members who hear of the node's items under the access model the change was made with. */
    private Predicate<Membership> readers(AccessModel model) {
        return m -> audience.hearsOfItems(model, Actor.of(m.jid()), m);
    }

    /** Members who hear that {@code subject}'s membership is now {@code now}; events of old versions carry no access model. */
    private Predicate<Membership> hearsOfMembership(NodeName node, AccessModel model, Jid subject, Standing now) {
        AccessModel under = model != null ? model
                : stores.channels().config(node).map(NodeConfig::accessModel).orElse(AccessModel.WHITELIST);
        return m -> audience.hearsOfMembership(under, Actor.of(m.jid()), m, subject, now);
    }

    /** Sends to the node's members in the audience; returns who they were. */
    private Set<Jid> toMembers(NodeName node, Predicate<Membership> audience, XmlElement payload) {
        return toMembers(stores.memberships().members(node), audience, event(payload));
    }

    private Set<Jid> toMembers(List<Membership> members, Predicate<Membership> audience, String event) {
        Set<Jid> told = new java.util.HashSet<>();
        for (Membership m : members) {
            if (audience.test(m) && told.add(m.jid())) {
                toUser(m.jid(), event);
            }
        }
        return told;
    }

    private void toUser(Jid user, XmlElement payload) {
        toUser(user, event(payload));
    }

    /** Each recipient's headline around the same {@code <event/>}, written once for them all. */
    private void toUser(Jid user, String event) {
        recipients.forEachTarget(user, (to, sink) -> sink.send(message(to, "headline").appendTrusted(event)));
    }

    /** The {@code <event/>} of a notification, written by {@link XmlElement} (so escaped) around our own payload. */
    private static String event(XmlElement payload) {
        return XmlElement.of("event", Namespaces.PUBSUB_EVENT).append(payload).toXml();
    }

    private XmlElement message(Jid to, String type) {
        return XmlElement.of("message", Namespaces.CLIENT).attr("from", channelService).attr("to", to).attr("type", type);
    }

    private static XmlElement deleted(String node) {
        return XmlElement.of("delete", Namespaces.PUBSUB_EVENT).attr("node", node);
    }
}
