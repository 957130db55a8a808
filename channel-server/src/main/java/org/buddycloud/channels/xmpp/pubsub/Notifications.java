package org.buddycloud.channels.xmpp.pubsub;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
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
 * Pushes {@code pubsub#event} notifications to the connected clients of this replica, from the
 * channel events — so a change made over REST, XMPP or on another replica reaches them all alike. A
 * change committed on this replica is notified at once, from the commit ({@link #committed}); every
 * change also comes from Kafka (channel {@code xmpp-notifications}, a consumer group per replica), and
 * the {@link ReplicaCursor} passes the copy of one notified already. Both ways meet on one thread, so
 * notifications leave in the order they were taken and none twice. Who hears of what is the shared
 * {@link Audience}: only followers who may read the node get its posts; owners and moderators also get
 * the authorization form of each follow request.
 */
@ApplicationScoped
public class Notifications {

    static final String CHANNEL = "xmpp-notifications";
    public static final String SUBSCRIBE_AUTHORIZATION = "http://jabber.org/protocol/pubsub#subscribe_authorization";
    static final int MAX_REPLAYED_REQUESTS = 100;
    /** Beyond this many waiting notifications, a commit leaves its change to the Kafka path rather than queue more. */
    static final int MAX_WAITING_COMMITS = 10_000;
    private static final Logger LOG = Logger.getLogger(Notifications.class);

    private final SessionRegistry registry;
    /** The channel service's address, read once: every notification carries it, and the bean's proxy costs a lookup. */
    private final String channelService;
    private final ChannelStores stores;
    private final PubSubXml xml;
    private final Audience audience;
    private final EventRecords records;
    private final ReplicaCursor cursor = new ReplicaCursor();
    private final ThreadPoolExecutor notifier = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
            task -> {
                Thread thread = new Thread(task, "xmpp-notifier");
                thread.setDaemon(true);
                return thread;
            });
    private final boolean enabled;
    /** The topics this consumer reads: only a change on them comes back from Kafka, to be passed then. */
    private final Set<Topic> consumedTopics;

    Notifications(SessionRegistry registry, XmppAddresses addresses, ChannelStores stores, PubSubXml xml, XmppConfig config,
                  EventRecords records, TopicNames topicNames,
                  @ConfigProperty(name = "mp.messaging.incoming." + CHANNEL + ".topics") List<String> consumed) {
        this.registry = registry;
        this.channelService = addresses.channelService();
        this.stores = stores;
        this.xml = xml;
        this.audience = new Audience(new Permissions(addresses.domain()));
        this.records = records;
        this.enabled = config.enabled() || config.component().enabled();
        this.consumedTopics = EnumSet.noneOf(Topic.class);
        for (Topic topic : Topic.values()) {
            if (consumed.contains(topicNames.of(topic))) {
                consumedTopics.add(topic);
            }
        }
    }

    /**
     * Each change once, in order: a replay, the same event published again or the copy of a change notified at its
     * commit notifies nobody twice.
     */
    @Incoming(CHANNEL)
    public CompletionStage<Void> consume(KafkaRecordBatch<String, byte[]> batch) {
        return CompletableFuture.supplyAsync(() -> cursor.onceEach(batch, records, CHANNEL, event -> {
            if (enabled) {
                notify(event);
            }
        }), notifier).thenCompose(done -> done);
    }

    /**
     * A change this replica just committed: its sessions hear of it now, without waiting for the outbox relay and
     * Kafka. Under a backlog it is left to the Kafka path, which brings every change anyway.
     */
    public void committed(CloudEvent<?> event) {
        if (!enabled || !consumedTopics.contains(EventTypes.byName(event.type()).map(EventType::topic).orElse(null))
                || notifier.getQueue().size() >= MAX_WAITING_COMMITS) {
            return;
        }
        try {
            notifier.execute(() -> {
                if (cursor.applyAhead(event.id())) {
                    notifyCounted(event);
                }
            });
        } catch (RejectedExecutionException shuttingDown) {
            LOG.debugf("not notifying %s at its commit: shutting down", event.id());
        }
    }

    @PreDestroy
    void stop() {
        notifier.shutdown();
    }

    private void notifyCounted(CloudEvent<?> event) {
        try {
            notify(event);
        } catch (RuntimeException e) {
            // as on the Kafka path: for this replica's live clients now or never; counted, not retried
            records.failed(CHANNEL, event, e);
        }
    }

    /** From the end of the topics at start: what happened before reached the clients then, or reaches them by catch-up. */
    @Produces
    @Identifier(CHANNEL)
    KafkaConsumerRebalanceListener startAtTheEnd() {
        return cursor.listener();
    }

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
                .filter(jid -> !told.contains(jid) && registry.hasChannelTarget(jid)).toList();
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
            if (!audience.decidesFollowRequests(approver.membership())) {
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

    /** The XEP-0060 subscription authorization form (PROTOCOL.md §1.6), answered with a submitted copy. */
    private XmlElement authorizationRequest(Jid to, NodeName node, Jid subscriber) {
        XmlElement form = DataForm.of("form", SUBSCRIBE_AUTHORIZATION)
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
        registry.forEachChannelTarget(user, (full, sink) -> sink.send(message(full, "headline").appendTrusted(event)));
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
