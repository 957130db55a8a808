package org.buddycloud.gateway.live;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.buddycloud.contracts.access.Permissions;
import org.buddycloud.gateway.GatewayConfig;
import org.buddycloud.servicekit.events.EventRecords;
import org.buddycloud.servicekit.events.KafkaBatches;
import org.buddycloud.servicekit.events.RejectedEvent;
import org.buddycloud.servicekit.events.ReplicaCursor;
import org.buddycloud.servicekit.events.TopicNames;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Feeds this replica's {@link LiveHub} from Kafka (channel {@code live}, a consumer group of its own: every
 * replica streams to its own clients and needs every event). On start it reads the channels and memberships
 * topics from their beginning, to know who stands where, and the posts of the resume window, so that a client
 * that was connected to another replica resumes here as well; then it follows the topics as they grow.
 */
@ApplicationScoped
public class LiveFeed {

    static final String CHANNEL = "live";

    private final LiveHub hub;
    private final LiveEvents liveEvents;
    private final EventRecords records;
    private final TopicNames topics;
    private final Clock clock;
    private final GatewayConfig.Live config;
    private final ReplicaCursor cursor = new ReplicaCursor();

    LiveFeed(ObjectMapper json, EventRecords records, TopicNames topics, Clock clock, GatewayConfig config,
             @ConfigProperty(name = "buddycloud.domain", defaultValue = "localhost") String domain, MeterRegistry meters) {
        this.records = records;
        this.topics = topics;
        this.clock = clock;
        this.config = config.live();
        this.liveEvents = new LiveEvents(json);
        Members members = new Members();
        this.hub = new LiveHub(members, new LiveRule(new Permissions(domain)), this.config.maxHeldEvents(),
                this.config.resumeWindow(), clock::instant);
        meters.gauge("buddycloud.gateway.live.held.events", hub, LiveHub::heldEvents);
        meters.gauge("buddycloud.gateway.live.memberships", members, Members::size);
    }

    public LiveHub hub() {
        return hub;
    }

    /** Caught up with the topics as they were when its partitions were assigned. */
    public boolean caughtUp() {
        return cursor.caughtUp();
    }

    @Incoming(CHANNEL)
    public CompletionStage<Void> apply(KafkaRecordBatch<String, byte[]> batch) {
        List<CompletionStage<Void>> setAside = new ArrayList<>();
        List<KafkaRecord<String, byte[]>> messages = new ArrayList<>();
        batch.forEach(messages::add);
        for (KafkaRecord<String, byte[]> message : TimeOrder.merge(messages, m -> m.getTopic() + "/" + m.getPartition(),
                m -> KafkaBatches.record(m).timestamp(), m -> topicRank(m.getTopic()))) {
            ConsumerRecord<String, byte[]> record = KafkaBatches.record(message);
            String partition = partitionKey(record.topic(), record.partition());
            Object[] change = new Object[1];
            try {
                cursor.once(record, records, CHANNEL, event -> change[0] = event.data());
            } catch (RejectedEvent rejected) {
                setAside.add(message.nack(rejected));
            }
            Object data = change[0];
            Instant at = Instant.ofEpochMilli(record.timestamp());
            try {
                hub.record(partition, record.offset(), data, data != null && LiveEvents.streamed(data)
                        ? after -> liveEvents.of(data, partition, record.offset(), after, at) : null);
            } catch (RuntimeException e) {
                // the streams of this replica miss this one event; the feed, and what it knows, go on
                records.failed(CHANNEL, record, e);
            }
        }
        return KafkaBatches.done(batch, setAside);
    }

    /** Who-may-read topics before the posts they govern, at the same timestamp. */
    private int topicRank(String topic) {
        return topic.equals(topics.channels()) ? 0 : topic.equals(topics.memberships()) ? 1 : 2;
    }

    @Scheduled(every = "10s", delayed = "10s")
    void forgetOldEvents() {
        hub.forgetOld();
    }

    /**
     * New partitions: posts from the start of the resume window, channels and memberships from their beginning
     * (the read model), holding for resumption what falls in the window. Partitions this replica read before go on.
     */
    @Produces
    @Identifier(CHANNEL)
    KafkaConsumerRebalanceListener startWithTheWindow() {
        return new KafkaConsumerRebalanceListener() {
            @Override
            public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
                cursor.assigned(consumer, partitions, fresh -> {
                    long windowStart = clock.instant().minus(config.resumeWindow()).toEpochMilli();
                    Map<TopicPartition, Long> query = new HashMap<>();
                    fresh.forEach(p -> query.put(p, windowStart));
                    Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
                    Map<TopicPartition, Long> ends = consumer.endOffsets(fresh);
                    Map<TopicPartition, Long> beginnings = consumer.beginningOffsets(fresh);
                    for (TopicPartition partition : fresh) {
                        OffsetAndTimestamp inWindow = found.get(partition);
                        long heldFrom = inWindow == null ? ends.getOrDefault(partition, 0L) : inWindow.offset();
                        boolean posts = partition.topic().equals(topics.posts());
                        long readFrom = posts ? heldFrom : beginnings.getOrDefault(partition, 0L);
                        hub.partitionStarts(partitionKey(partition.topic(), partition.partition()), readFrom, heldFrom);
                        consumer.seek(partition, readFrom);
                    }
                });
            }
        };
    }

    /** {@code p0}: partition 0 of the posts topic; {@code m} memberships, {@code c} channels. */
    String partitionKey(String topic, int partition) {
        char letter = topic.equals(topics.posts()) ? 'p' : topic.equals(topics.memberships()) ? 'm'
                : topic.equals(topics.channels()) ? 'c' : 'x';
        return letter + Integer.toString(partition);
    }
}
