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

    private final ChannelStores stores;
    private final Audience audience;
    private final ChannelNotifier notifier;
    private final EventRecords records;
    private final ReplicaCursor cursor = new ReplicaCursor();
    private final ThreadPoolExecutor notifierThread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
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
        this.stores = stores;
        this.audience = new Audience(new Permissions(addresses.domain()));
        this.notifier = new ChannelNotifier(stores, xml, audience, addresses.channelService(), ChannelNotifier.Recipients.connectedHere(registry));
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
        }), notifierThread).thenCompose(done -> done);
    }

    /**
     * A change this replica just committed: its sessions hear of it now, without waiting for the outbox relay and
     * Kafka. Under a backlog it is left to the Kafka path, which brings every change anyway.
     */
    public void committed(CloudEvent<?> event) {
        if (!enabled || !consumedTopics.contains(EventTypes.byName(event.type()).map(EventType::topic).orElse(null))
                || notifierThread.getQueue().size() >= MAX_WAITING_COMMITS) {
            return;
        }
        try {
            notifierThread.execute(() -> {
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
        notifierThread.shutdown();
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
                sink.send(notifier.authorizationRequest(full, approver.node(), m.jid()));
            }
        }
    }

    void notify(CloudEvent<?> event) {
        notifier.notify(event);
    }
}
