package org.buddycloud.media.readmodel;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.buddycloud.contracts.channel.Affiliation;
import org.buddycloud.contracts.channel.Subscription;
import org.buddycloud.contracts.events.AffiliationChanged;
import org.buddycloud.contracts.events.ChannelConfigured;
import org.buddycloud.contracts.events.ChannelCreated;
import org.buddycloud.contracts.events.ChannelDeleted;
import org.buddycloud.contracts.events.CloudEvent;
import org.buddycloud.contracts.events.SubscriptionChanged;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.media.service.ChannelMedia;
import org.buddycloud.servicekit.events.BroadcastConsumer;
import org.buddycloud.servicekit.events.TopicNames;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Keeps {@link ChannelAccessStore} up to date from {@code buddycloud.channels} and
 * {@code buddycloud.memberships}: only the {@code /posts} node of each channel matters for media.
 * Each event is applied in one transaction with its partition position, so a fresh database is
 * rebuilt from the beginning of the topics and a restart resumes exactly where it stopped.
 */
@ApplicationScoped
public class ChannelReadModel {

    private final ChannelAccessStore store;
    private final ChannelMedia channelMedia;
    private final BroadcastConsumer consumer;

    ChannelReadModel(ChannelAccessStore store, ChannelMedia channelMedia, TopicNames topics,
                     @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, Clock clock) {
        this.store = store;
        this.channelMedia = channelMedia;
        this.consumer = BroadcastConsumer.positioned("media-channel-read-model", bootstrapServers,
                List.of(topics.channels(), topics.memberships()), store::positions, this::apply, clock);
    }

    void start(@Observes StartupEvent event) {
        consumer.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        consumer.stop();
    }

    /** Forgets everything and reads the topics again from their beginning (an operator's repair, and the test's). */
    public void rebuild() throws InterruptedException {
        consumer.stop();
        QuarkusTransaction.requiringNew().run(store::clear);
        consumer.start();
    }

    /** Read up to where the topics ended when it started. */
    public boolean caughtUp() {
        return consumer.caughtUp();
    }

    public Instant lastContact() {
        return consumer.lastContact();
    }

    void apply(TopicPartition partition, long offset, Optional<CloudEvent<?>> event) {
        List<Runnable> afterCommit = new ArrayList<>();
        QuarkusTransaction.requiringNew().run(() -> {
            long next = store.lockPosition(partition).orElse(0L);
            if (offset < next) {
                // already applied (by an earlier run or another replica)
                return;
            }
            event.ifPresent(e -> applyData(e.data(), afterCommit));
            store.position(partition, offset + 1);
        });
        afterCommit.forEach(Runnable::run);
    }

    private void applyData(Object data, List<Runnable> afterCommit) {
        if (data instanceof ChannelCreated c) {
            store.channel(c.channel(), c.accessModel(), c.createdAt());
            store.membership(c.channel(), c.owner(), Affiliation.OWNER, Subscription.SUBSCRIBED);
        } else if (data instanceof ChannelConfigured c && isPosts(c.channel(), c.node())) {
            store.channel(c.channel(), c.settings().accessModel(), c.configuredAt());
        } else if (data instanceof ChannelDeleted d) {
            store.deleteChannel(d.channel());
            var bytes = channelMedia.forget(d.channel(), d.actor(), d.deletedAt());
            afterCommit.add(() -> channelMedia.removeBytes(d.channel(), bytes));
        } else if (data instanceof AffiliationChanged a && isPosts(a.channel(), a.node())) {
            store.affiliation(a.channel(), a.jid(), a.affiliation());
        } else if (data instanceof SubscriptionChanged s && isPosts(s.channel(), s.node())) {
            store.membership(s.channel(), s.subscriber(), s.affiliation(), s.subscription());
        }
    }

    private static boolean isPosts(Jid channel, String node) {
        return ("/user/" + channel + "/posts").equals(node);
    }
}
