package org.buddycloud.taste.events;

import io.smallrye.common.annotation.Blocking;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.buddycloud.servicekit.events.EventRecords;
import org.buddycloud.servicekit.events.ReplicaCursor;
import org.buddycloud.servicekit.events.TopicNames;
import org.buddycloud.taste.domain.ActivityLedger;
import org.buddycloud.taste.domain.TasteEvents;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Feeds this replica's model from the channel events (channel {@code taste-feed}, a consumer group of its own, so every
 * replica sees every event and answers alone): the channels and memberships topics from their beginning — the follow
 * graph is rebuilt from them at each start, as the topics are kept for ever — and the posts topic from
 * {@link ActivityLedger#DAYS} days back, all that "most active" counts. Ready once it has read up to where the
 * topics ended when it started.
 */
@ApplicationScoped
public class TasteFeed {

    static final String CHANNEL = "taste-feed";

    private final TasteEvents events;
    private final EventRecords records;
    private final TopicNames topics;
    private final Clock clock;
    private final ReplicaCursor cursor = new ReplicaCursor();

    TasteFeed(TasteEvents events, EventRecords records, TopicNames topics, Clock clock) {
        this.events = events;
        this.records = records;
        this.topics = topics;
        this.clock = clock;
    }

    @Incoming(CHANNEL)
    @Blocking
    public CompletionStage<Void> apply(KafkaRecordBatch<String, byte[]> batch) {
        return cursor.onceEach(batch, records, CHANNEL, event -> events.apply(event.data(), clock.instant()));
    }

    public boolean caughtUp() {
        return cursor.caughtUp();
    }

    @Produces
    @Identifier(CHANNEL)
    KafkaConsumerRebalanceListener startWhereTheModelNeeds() {
        return new KafkaConsumerRebalanceListener() {
            @Override
            public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
                cursor.assigned(consumer, partitions, fresh -> seek(consumer, fresh));
            }
        };
    }

    private void seek(Consumer<?, ?> consumer, Collection<TopicPartition> fresh) {
        List<TopicPartition> posts = fresh.stream().filter(p -> p.topic().equals(topics.posts())).toList();
        List<TopicPartition> graph = fresh.stream().filter(p -> !posts.contains(p)).toList();
        if (!graph.isEmpty()) {
            // never with an empty list: Kafka would take that for every partition assigned
            consumer.seekToBeginning(graph);
        }
        ReplicaCursor.seekToTime(consumer, posts, clock.instant().minus(Duration.ofDays(ActivityLedger.DAYS + 1L)));
    }
}
