package org.buddycloud.channels.xmpp.pubsub;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.buddycloud.channels.domain.Actor;
import org.buddycloud.channels.domain.ChannelStores;
import org.buddycloud.channels.domain.Membership;
import org.buddycloud.channels.domain.MembershipStore;
import org.buddycloud.channels.domain.NodeName;
import org.buddycloud.channels.domain.Permissions;
import org.buddycloud.channels.domain.Action;
import org.buddycloud.channels.xmpp.DataForm;
import org.buddycloud.channels.xmpp.Namespaces;
import org.buddycloud.channels.xmpp.StanzaSink;
import org.buddycloud.channels.xmpp.XmppAddresses;
import org.buddycloud.channels.xmpp.XmppConfig;
import org.buddycloud.channels.xmpp.stream.SessionRegistry;
import org.buddycloud.channels.xmpp.xml.XmlElement;
import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.channel.Affiliation;
import org.buddycloud.contracts.channel.Subscription;
import org.buddycloud.contracts.events.AffiliationChanged;
import org.buddycloud.contracts.events.ChannelConfigured;
import org.buddycloud.contracts.events.ChannelDeleted;
import org.buddycloud.contracts.events.CloudEvent;
import org.buddycloud.contracts.events.NodeDeleted;
import org.buddycloud.contracts.events.PostPublished;
import org.buddycloud.contracts.events.PostRetracted;
import org.buddycloud.contracts.events.PostUpdated;
import org.buddycloud.contracts.events.SubscriptionChanged;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.servicekit.events.BroadcastConsumer;
import org.buddycloud.servicekit.events.TopicNames;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Pushes {@code pubsub#event} notifications to the connected clients of this replica, from the
 * channel events on Kafka — so a change made over REST, XMPP or on another replica reaches them
 * all alike. Only followers who may read the node get its posts; owners and moderators also get
 * the authorization form of each follow request.
 */
@ApplicationScoped
public class Notifications {

    public static final String SUBSCRIBE_AUTHORIZATION = "http://jabber.org/protocol/pubsub#subscribe_authorization";
    static final int MAX_REPLAYED_REQUESTS = 100;
    private static final Logger LOG = Logger.getLogger(Notifications.class);

    private final SessionRegistry registry;
    private final XmppAddresses addresses;
    private final ChannelStores stores;
    private final PubSubXml xml;
    private final Permissions permissions;
    private final BroadcastConsumer consumer;
    private final boolean enabled;

    Notifications(SessionRegistry registry, XmppAddresses addresses, ChannelStores stores, PubSubXml xml, XmppConfig config,
                  TopicNames topics, @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, Clock clock) {
        this.registry = registry;
        this.addresses = addresses;
        this.stores = stores;
        this.xml = xml;
        this.permissions = new Permissions(addresses.domain());
        this.enabled = config.enabled() || config.component().enabled();
        this.consumer = new BroadcastConsumer("xmpp-notifications", bootstrapServers,
                List.of(topics.posts(), topics.memberships(), topics.channels()), clock.instant(), this::notify, clock);
    }

    void start(@Observes StartupEvent event) {
        if (enabled) {
            consumer.start();
        }
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        consumer.stop();
    }

    void notify(CloudEvent<?> event) {
        Object data = event.data();
        if (data instanceof PostPublished p) {
            post(NodeName.parse(p.post().node()), p.post().itemId(), p.accessModel());
        } else if (data instanceof PostUpdated p) {
            post(NodeName.parse(p.post().node()), p.post().itemId(), p.accessModel());
        } else if (data instanceof PostRetracted r) {
            NodeName node = NodeName.parse(r.node());
            XmlElement items = XmlElement.of("items", Namespaces.PUBSUB_EVENT).attr("node", node.toString());
            items.add("retract").attr("id", r.itemId());
            toMembers(node, readers(r.accessModel()), items);
        } else if (data instanceof SubscriptionChanged s) {
            subscription(s);
        } else if (data instanceof AffiliationChanged a) {
            NodeName node = NodeName.parse(a.node());
            XmlElement affiliations = XmlElement.of("affiliations", Namespaces.PUBSUB_EVENT).attr("node", node.toString());
            affiliations.add("affiliation").attr("jid", a.jid()).attr("affiliation", a.affiliation().wireName());
            // a ban is the moderators' business (and the banned user's); other changes every follower may see
            Predicate<Membership> audience = a.affiliation() == Affiliation.OUTCAST ? privileged(a.jid())
                    : privileged(a.jid()).or(Membership::subscribed);
            toMembers(node, audience, affiliations);
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
        }
    }

    private void post(NodeName node, String itemId, AccessModel model) {
        stores.posts().find(node, itemId).ifPresent(post ->
                toMembers(node, readers(model), xml.items(Namespaces.PUBSUB_EVENT, node, List.of(post))));
    }

    private void subscription(SubscriptionChanged s) {
        NodeName node = NodeName.parse(s.node());
        XmlElement subscription = XmlElement.of("subscription", Namespaces.PUBSUB_EVENT).attr("node", node.toString())
                .attr("jid", s.subscriber()).attr("subscription", s.subscription().wireName());
        Set<Jid> told = toMembers(node, privileged(s.subscriber()).or(m -> m.subscribed() && s.subscription() == Subscription.SUBSCRIBED),
                subscription);
        // the subscriber hears of it even without a membership row (after unsubscribing), but only once
        if (!told.contains(s.subscriber())) {
            toUser(s.subscriber(), subscription);
        }
        if (s.subscription() == Subscription.PENDING) {
            for (Membership m : stores.memberships().members(node)) {
                if (approves(m)) {
                    registry.channelTargets(m.jid()).forEach((full, sink) -> sink.send(authorizationRequest(full, node, s.subscriber())));
                }
            }
        }
    }

    /**
     * Sends an owner or moderator who just came online the authorization form of every follow
     * request waiting in their nodes (as the original server did), at most {@value #MAX_REPLAYED_REQUESTS}:
     * a request made while they were offline is asked again.
     */
    public void pendingRequests(Jid full, StanzaSink sink) {
        int sent = 0;
        for (MembershipStore.NodeMembership approver : stores.memberships().membershipsOf(full.toBare())) {
            if (!approves(approver.membership())) {
                continue;
            }
            for (Membership m : stores.memberships().members(approver.node())) {
                if (m.subscription() != Subscription.PENDING) {
                    continue;
                }
                if (sent++ == MAX_REPLAYED_REQUESTS) {
                    LOG.infof("%s has more than %d follow requests waiting; the rest are asked at the next login", full, MAX_REPLAYED_REQUESTS);
                    return;
                }
                sink.send(authorizationRequest(full, approver.node(), m.jid()));
            }
        }
    }

    private static boolean approves(Membership m) {
        return m.affiliation() == Affiliation.OWNER || m.affiliation() == Affiliation.MODERATOR;
    }

    /** The XEP-0060 subscription authorization form (PROTOCOL.md §1.6), answered with a submitted copy. */
    private XmlElement authorizationRequest(Jid to, NodeName node, Jid subscriber) {
        XmlElement form = DataForm.of("form", SUBSCRIBE_AUTHORIZATION)
                .field("pubsub#node", "text-single", "Node", node.toString())
                .field("pubsub#subscriber_jid", "jid-single", "Who asks to follow", subscriber.toString())
                .field("pubsub#allow", "boolean", "Allow " + subscriber + " to follow " + node + "?", "false").element();
        return message(to, "normal").append(form);
    }

    /** Members who may read the node under the access model the change was made with. */
    private Predicate<Membership> readers(AccessModel model) {
        return m -> (m.subscribed() || m.affiliation() == Affiliation.OWNER)
                && permissions.allows(Action.READ, model, m, Actor.of(m.jid()));
    }

    private static Predicate<Membership> privileged(Jid subject) {
        return m -> m.affiliation() == Affiliation.OWNER || m.affiliation() == Affiliation.MODERATOR || m.jid().equals(subject);
    }

    /** Sends to the node's members in the audience; returns who they were. */
    private Set<Jid> toMembers(NodeName node, Predicate<Membership> audience, XmlElement payload) {
        Set<Jid> told = new java.util.HashSet<>();
        for (Membership m : stores.memberships().members(node)) {
            if (audience.test(m) && told.add(m.jid())) {
                toUser(m.jid(), payload);
            }
        }
        return told;
    }

    private void toUser(Jid user, XmlElement payload) {
        Map<Jid, StanzaSink> targets = registry.channelTargets(user);
        targets.forEach((full, sink) -> {
            XmlElement message = message(full, "headline");
            message.add("event", Namespaces.PUBSUB_EVENT).append(payload);
            sink.send(message);
        });
    }

    private XmlElement message(Jid to, String type) {
        return XmlElement.of("message", Namespaces.CLIENT).attr("from", addresses.channelService()).attr("to", to).attr("type", type);
    }

    private static XmlElement deleted(String node) {
        return XmlElement.of("delete", Namespaces.PUBSUB_EVENT).attr("node", node);
    }
}
