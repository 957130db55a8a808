package org.buddycloud.channels.xmpp.pubsub;

import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import java.util.ArrayList;
import java.util.List;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import org.buddycloud.channels.domain.ChannelStores;
import org.buddycloud.channels.xmpp.StanzaSink;
import org.buddycloud.channels.xmpp.XmppAddresses;
import org.buddycloud.channels.xmpp.s2s.S2sLinks;
import org.buddycloud.contracts.access.Audience;
import org.buddycloud.contracts.access.Permissions;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.servicekit.events.EventRecords;
import org.buddycloud.servicekit.events.KafkaBatches;
import org.buddycloud.servicekit.events.RejectedEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Members of our channels who are users of other domains hear of changes as local members do, from the same rule
 * ({@link ChannelNotifier}), sent to their bare JID over server-to-server XMPP (XEP-0060 §7.1.2: notifications go to
 * the subscribed JID). One replica tells them: the channel {@code federation-notifications} is one consumer group
 * shared by all replicas, committed after each batch was sent, so a replica that crashes mid-batch leaves the rest of
 * it to another (which may tell a few twice: clients bear duplicate notifications, item ids tell them apart). A
 * notification for a server that cannot be reached now is lost for this path; the remote user sees the posts when
 * reading the channel.
 */
@ApplicationScoped
public class RemoteNotifications {

    static final String CHANNEL = "federation-notifications";

    private final EventRecords records;
    private final ChannelNotifier notifier;

    RemoteNotifications(ChannelStores stores, PubSubXml xml, XmppAddresses addresses, S2sLinks links, EventRecords records) {
        this.records = records;
        String domain = addresses.domain();
        ChannelNotifier.Recipients remote = new ChannelNotifier.Recipients() {
            @Override
            public void forEachTarget(Jid user, BiConsumer<Jid, StanzaSink> target) {
                if (reachable(user)) {
                    // errors about a notification have nobody to go back to
                    target.accept(user.toBare(), stanza -> links.send(StanzaSink.NOWHERE, stanza));
                }
            }

            @Override
            public boolean reachable(Jid user) {
                // users of our domain and of our components are told here, not over s2s
                return links.enabled() && !links.hosts(user.domain());
            }
        };
        this.notifier = new ChannelNotifier(stores, xml, new Audience(new Permissions(domain)), addresses.channelService(), remote);
    }

    @Incoming(CHANNEL)
    @Blocking
    public CompletionStage<Void> consume(KafkaRecordBatch<String, byte[]> batch) {
        List<CompletionStage<Void>> setAside = new ArrayList<>();
        for (KafkaRecord<String, byte[]> message : batch) {
            ConsumerRecord<String, byte[]> record = KafkaBatches.record(message);
            try {
                notifier.notify(records.decode(CHANNEL, record));
            } catch (RejectedEvent unreadable) {
                setAside.add(message.nack(unreadable));
            } catch (RuntimeException e) {
                // for the remote members now or never, as for local sessions; counted, not retried
                records.failed(CHANNEL, record, e);
            }
        }
        return KafkaBatches.done(batch, setAside);
    }
}
