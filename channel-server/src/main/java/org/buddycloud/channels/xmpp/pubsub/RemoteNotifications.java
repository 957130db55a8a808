package org.buddycloud.channels.xmpp.pubsub;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.buddycloud.channels.domain.ChannelPolicy;
import org.buddycloud.channels.domain.ChannelStores;
import org.buddycloud.channels.federation.ChannelServerDiscovery;
import org.buddycloud.channels.federation.OutboundQueue;
import org.buddycloud.channels.federation.OutboundSender;
import org.buddycloud.channels.xmpp.XmppAddresses;
import org.buddycloud.channels.xmpp.s2s.S2sLinks;
import org.buddycloud.contracts.access.Audience;
import org.buddycloud.contracts.access.Permissions;
import org.buddycloud.contracts.events.CloudEvent;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.servicekit.events.EventRecords;
import org.buddycloud.servicekit.events.KafkaBatches;
import org.buddycloud.servicekit.events.RejectedEvent;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Members of our channels who are users of other domains hear of changes as local members do, from the same rule
 * ({@link ChannelNotifier}). Where a member's domain has a buddycloud channel server, its inbox is told, once for all
 * its users (PROTOCOL.md §1.13); otherwise (a plain XMPP server) the member's bare JID (XEP-0060 §7.1.2). Nothing is
 * sent from here: each notification goes into the durable queue ({@link OutboundQueue}) in one transaction per batch,
 * keyed by event, recipient and stanza, and the Kafka offsets are committed after it; so a server that is away gets
 * them when it is back, and a batch read again (a rebalance, a replica's restart) queues nothing twice: the events
 * queued are recorded in the same transaction and kept a day (were a stale membership event sent after a newer one, the
 * copy would take the old standing for the new). Each remote domain has one line, whether its rows go to its channel
 * server or, while that is not known yet, to its users: its events stay in order. A batch the database refuses fails
 * and goes to the
 * dead-letter topic, as every consumer's does. One consumer group shared by all replicas. Changes of our copies of
 * other domains' nodes are not ours to tell.
 */
@ApplicationScoped
public class RemoteNotifications {

    static final String CHANNEL = "federation-notifications";

    private final EventRecords records;
    private final ChannelNotifier notifier;
    private final ChannelPolicy policy;
    private final OutboundQueue queue;
    private final OutboundSender sender;
    /** The event being told, for the queue's keys; the consumer works one batch at a time. */
    private String eventId;

    RemoteNotifications(ChannelStores stores, PubSubXml xml, XmppAddresses addresses, S2sLinks links, EventRecords records,
                        ChannelPolicy policy, ChannelServerDiscovery discovery, OutboundQueue queue, OutboundSender sender) {
        this.records = records;
        this.policy = policy;
        this.queue = queue;
        this.sender = sender;
        ChannelNotifier.Recipients remote = new ChannelNotifier.Recipients() {
            @Override
            public void forEachTarget(Jid user, BiConsumer<Jid, org.buddycloud.channels.xmpp.StanzaSink> target) {
                if (reachable(user)) {
                    // the domain's channel server when known (its inbox tells its users); else the user, whose line the
                    // sender sends to that server once it is known — this consumer never waits on another domain
                    // one line per remote domain, whichever address it is sent to, so that its events stay in order
                    Jid to = discovery.knownNow(user.domain()).flatMap(service -> service).map(Jid::parse).orElse(user.toBare());
                    target.accept(to, stanza -> {
                        String xml = stanza.toXml();
                        queue.add(user.domain(), OutboundQueue.Kind.EVENT, eventId + "|" + to + "|" + digest(xml), xml, null);
                    });
                }
            }

            @Override
            public boolean reachable(Jid user) {
                // users of our domain and of our components are told here, not over s2s
                return links.enabled() && !links.hosts(user.domain());
            }
        };
        this.notifier = new ChannelNotifier(stores, xml, new Audience(new Permissions(addresses.domain())), addresses.channelService(), remote);
    }

    /** A short digest of a stanza, so that an event's different stanzas for one recipient are all kept, each once. */
    private static String digest(String xml) {
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(xml.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(hash, 0, 12);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    @Incoming(CHANNEL)
    @Blocking
    public CompletionStage<Void> consume(KafkaRecordBatch<String, byte[]> batch) {
        List<CompletionStage<Void>> setAside = new ArrayList<>();
        QuarkusTransaction.requiringNew().run(() -> {
            for (KafkaRecord<String, byte[]> message : batch) {
                ConsumerRecord<String, byte[]> record = KafkaBatches.record(message);
                try {
                    CloudEvent<?> event = records.decode(CHANNEL, record);
                    // an event Kafka delivers again (a rebalance, a restart) was queued the first time: not again
                    if (policy.hosts(event.subject()) && queue.firstDelivery(event.id())) {
                        eventId = event.id();
                        notifier.notify(event);
                    }
                } catch (RejectedEvent unreadable) {
                    setAside.add(message.nack(unreadable));
                } catch (org.buddycloud.contracts.problem.DomainException | IllegalArgumentException bad) {
                    // an event that names what cannot be told (a node gone since): counted, the others go on;
                    // anything else (the database away) fails the batch, to the dead-letter topic
                    records.failed(CHANNEL, record, bad);
                }
            }
        });
        sender.wake();
        return KafkaBatches.done(batch, setAside);
    }
}
