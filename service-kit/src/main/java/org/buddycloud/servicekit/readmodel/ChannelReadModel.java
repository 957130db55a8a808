package org.buddycloud.servicekit.readmodel;

import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import javax.sql.DataSource;
import org.buddycloud.contracts.channel.Affiliation;
import org.buddycloud.contracts.channel.Subscription;
import org.buddycloud.contracts.events.AffiliationChanged;
import org.buddycloud.contracts.events.ChannelConfigured;
import org.buddycloud.contracts.events.ChannelCreated;
import org.buddycloud.contracts.events.ChannelDeleted;
import org.buddycloud.contracts.events.SubscriptionChanged;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.servicekit.events.EventRecords;
import org.buddycloud.servicekit.events.TransactionalConsumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Keeps {@link ChannelAccessStore} up to date from {@code buddycloud.channels} and {@code buddycloud.memberships}
 * (channel {@code channel-read-model}): only the {@code /posts} node of each channel matters, as it decides who
 * may read a channel's content anywhere else. A service declares it with {@value #ENABLED}{@code =true} (build
 * time) and a database; the kit migrates the tables. Records are applied as a {@link TransactionalConsumer}
 * does: once, in order, with the position and event id in the same transaction, rebuilt from the beginning of
 * the topics on a fresh database.
 */
@ApplicationScoped
@IfBuildProperty(name = ChannelReadModel.ENABLED, stringValue = "true")
public class ChannelReadModel {

    /** Build-time switch: the read model exists only in services that declare it. */
    public static final String ENABLED = "buddycloud.channel-read-model.enabled";
    static final String CHANNEL = "channel-read-model";

    private static final Logger LOG = Logger.getLogger(ChannelReadModel.class);

    private final ChannelAccessStore store;
    private final Instance<ChannelReadModelListener> listeners;
    private final KafkaClientService kafka;
    private final Clock clock;
    private final Duration appliedEventsKept;
    private final TransactionalConsumer consumer;

    ChannelReadModel(ChannelAccessStore store, DataSource dataSource, EventRecords records, Instance<ChannelReadModelListener> listeners,
                     KafkaClientService kafka, Clock clock,
                     @ConfigProperty(name = "buddycloud.channel-read-model.applied-events-kept", defaultValue = "7d") Duration appliedEventsKept) {
        this.store = store;
        this.listeners = listeners;
        this.kafka = kafka;
        this.clock = clock;
        this.appliedEventsKept = appliedEventsKept;
        this.consumer = new TransactionalConsumer(CHANNEL, dataSource, records, clock);
    }

    @Incoming(CHANNEL)
    @Blocking
    public CompletionStage<Void> apply(KafkaRecordBatch<String, byte[]> batch) {
        return consumer.apply(batch, event -> {
            List<Runnable> afterCommit = new ArrayList<>();
            applyData(event.data(), afterCommit);
            return afterCommit.isEmpty() ? null : () -> afterCommit.forEach(Runnable::run);
        });
    }

    /** Read up to where the topics ended when their partitions were assigned. */
    public boolean caughtUp() {
        return consumer.caughtUp();
    }

    /** True while an event cannot be applied (the database is away): the model is falling behind. */
    public boolean failing() {
        return consumer.failing();
    }

    /**
     * Forgets everything and reads the topics again from their beginning: an operator's repair (after a fault in
     * how events were applied), and how the tests prove that the model is rebuilt from the topics alone.
     */
    public void rebuild() {
        consumer.rebuild(kafka, store::clear);
    }

    /** Each partition newly assigned to this replica starts where the database says (the beginning if it says nothing). */
    @Produces
    @Identifier(CHANNEL)
    KafkaConsumerRebalanceListener startWhereTheDatabaseSays() {
        return consumer.listener();
    }

    @Scheduled(every = "1h", delayed = "1m")
    void forgetOldEventIds() {
        int forgotten = consumer.forgetAppliedBefore(clock.instant().minus(appliedEventsKept));
        LOG.debugf("forgot %d applied event ids older than %s", forgotten, appliedEventsKept);
    }

    void stop(@Observes ShutdownEvent event) {
        consumer.stop();
    }

    private void applyData(Object data, List<Runnable> afterCommit) {
        if (data instanceof ChannelCreated c) {
            store.channel(c.channel(), c.accessModel(), c.createdAt());
            store.membership(c.channel(), c.owner(), Affiliation.OWNER, Subscription.SUBSCRIBED);
        } else if (data instanceof ChannelConfigured c && isPosts(c.channel(), c.node())) {
            store.channel(c.channel(), c.settings().accessModel(), c.configuredAt());
        } else if (data instanceof ChannelDeleted d) {
            store.deleteChannel(d.channel());
            listeners.forEach(listener -> afterCommit.add(listener.channelDeleted(d)));
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
