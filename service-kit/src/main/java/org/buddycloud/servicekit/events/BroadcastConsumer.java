package org.buddycloud.servicekit.events;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.buddycloud.contracts.events.CloudEvent;
import org.buddycloud.contracts.events.EventCodec;
import org.buddycloud.contracts.events.EventFormatException;
import org.jboss.logging.Logger;

/**
 * Reads every partition of some topics on a thread of its own, for work every instance must do
 * for every event (forget revoked tokens, notify its own connected clients). Not a consumer-group
 * member and commits nothing to Kafka: it begins at a point in time ({@code startAt}) and reads on,
 * or — for a read model kept in a database — at the positions that database recorded with what it
 * applied ({@link #positioned}), so that nothing is skipped or applied out of order across restarts.
 * Reconnects by itself when the broker goes away.
 */
public final class BroadcastConsumer {

    /** Where a positioned reader left off: the next offset per partition; absent partitions start at the beginning. */
    public interface Positions {
        Map<TopicPartition, Long> load(List<TopicPartition> partitions);
    }

    /**
     * Applies one record and records {@code offset + 1} as the partition's position, atomically. The event is
     * empty when the record is unreadable (its position still advances). Throwing makes the reader pause
     * and start again from the recorded positions.
     */
    public interface PositionedHandler {
        void apply(TopicPartition partition, long offset, Optional<CloudEvent<?>> event);
    }

    private static final Logger LOG = Logger.getLogger(BroadcastConsumer.class);
    private static final Duration CONTACT_CHECK = Duration.ofSeconds(5);
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(2);

    private final String name;
    private final String bootstrapServers;
    private final List<String> topics;
    private final Instant startAt;
    private final Consumer<CloudEvent<?>> handler;
    private final Positions positions;
    private final PositionedHandler positionedHandler;
    private final Clock clock;
    private final EventCodec codec = new EventCodec();

    private volatile boolean running;
    private volatile boolean caughtUp;
    private volatile Instant lastContact = Instant.EPOCH;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private Thread thread;

    public BroadcastConsumer(String name, String bootstrapServers, List<String> topics, Instant startAt,
                             Consumer<CloudEvent<?>> handler, Clock clock) {
        this(name, bootstrapServers, topics, startAt, handler, null, null, clock);
    }

    private BroadcastConsumer(String name, String bootstrapServers, List<String> topics, Instant startAt, Consumer<CloudEvent<?>> handler,
                              Positions positions, PositionedHandler positionedHandler, Clock clock) {
        this.name = name;
        this.bootstrapServers = bootstrapServers;
        this.topics = List.copyOf(topics);
        this.startAt = startAt;
        this.handler = handler;
        this.positions = positions;
        this.positionedHandler = positionedHandler;
        this.clock = clock;
    }

    /** A reader that starts where {@code positions} say and hands each record to {@code handler} with its offset. */
    public static BroadcastConsumer positioned(String name, String bootstrapServers, List<String> topics, Positions positions,
                                               PositionedHandler handler, Clock clock) {
        return new BroadcastConsumer(name, bootstrapServers, topics, null, null, positions, handler, clock);
    }

    public void start() {
        running = true;
        thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    public void stop() throws InterruptedException {
        running = false;
        KafkaConsumer<byte[], byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        if (thread != null) {
            thread.join(Duration.ofSeconds(10).toMillis());
        }
    }

    /** Read up to where the topics ended when it started. */
    public boolean caughtUp() {
        return caughtUp;
    }

    public Instant lastContact() {
        return lastContact;
    }

    private void run() {
        while (running) {
            try (KafkaConsumer<byte[], byte[]> kafka = new KafkaConsumer<>(properties())) {
                consumer = kafka;
                follow(kafka);
            } catch (WakeupException e) {
                return;
            } catch (KafkaException | IllegalStateException e) {
                LOG.warnf("%s lost the broker (%s); retrying", name, e.getMessage());
                LockSupport.parkNanos(RETRY_PAUSE.toNanos());
            }
        }
    }

    private void follow(KafkaConsumer<byte[], byte[]> kafka) {
        List<TopicPartition> partitions = awaitPartitions(kafka);
        if (partitions.isEmpty()) {
            return;
        }
        kafka.assign(partitions);
        seek(kafka, partitions);
        Map<TopicPartition, Long> endAtStart = kafka.endOffsets(partitions, Duration.ofSeconds(10));
        Instant nextCheck = Instant.EPOCH;
        while (running) {
            for (ConsumerRecord<byte[], byte[]> record : kafka.poll(Duration.ofMillis(500))) {
                deliver(record);
            }
            Instant now = clock.instant();
            if (now.isAfter(nextCheck)) {
                kafka.endOffsets(partitions, Duration.ofSeconds(3));
                lastContact = now;
                nextCheck = now.plus(CONTACT_CHECK);
                if (!caughtUp && partitions.stream().allMatch(p -> kafka.position(p) >= endAtStart.getOrDefault(p, 0L))) {
                    caughtUp = true;
                    LOG.infof("%s caught up on %s", name, topics);
                }
            }
        }
    }

    private List<TopicPartition> awaitPartitions(KafkaConsumer<byte[], byte[]> kafka) {
        while (running) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                List<PartitionInfo> infos = Optional.ofNullable(kafka.partitionsFor(topic, Duration.ofSeconds(5))).orElse(List.of());
                infos.forEach(info -> partitions.add(new TopicPartition(info.topic(), info.partition())));
            }
            if (partitions.size() > 0 && topics.stream().allMatch(t -> partitions.stream().anyMatch(p -> p.topic().equals(t)))) {
                return partitions;
            }
            LOG.infof("%s waiting for topics %s to exist", name, topics);
            LockSupport.parkNanos(RETRY_PAUSE.toNanos());
        }
        return List.of();
    }

    private void seek(KafkaConsumer<byte[], byte[]> kafka, List<TopicPartition> partitions) {
        if (positions != null) {
            Map<TopicPartition, Long> recorded = positions.load(partitions);
            for (TopicPartition partition : partitions) {
                Long next = recorded.get(partition);
                if (next == null) {
                    kafka.seekToBeginning(List.of(partition));
                } else {
                    kafka.seek(partition, next);
                }
            }
            return;
        }
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(p -> query.put(p, startAt.toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> offsets = kafka.offsetsForTimes(query, Duration.ofSeconds(10));
        for (TopicPartition partition : partitions) {
            OffsetAndTimestamp offset = offsets.get(partition);
            if (offset == null) {
                kafka.seekToEnd(List.of(partition));
            } else {
                kafka.seek(partition, offset.offset());
            }
        }
    }

    private void deliver(ConsumerRecord<byte[], byte[]> record) {
        if (positionedHandler != null) {
            applyPositioned(record);
            return;
        }
        try {
            codec.readBinary(KafkaHeaders.read(record.headers()), record.value()).ifPresent(handler);
        } catch (EventFormatException e) {
            LOG.warnf("%s skipped an unreadable event at %s-%d@%d: %s", name, record.topic(), record.partition(), record.offset(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.errorf(e, "%s failed on the event at %s-%d@%d", name, record.topic(), record.partition(), record.offset());
        }
    }

    /** Failures end this pass (and are retried from the recorded positions) instead of skipping the record. */
    private void applyPositioned(ConsumerRecord<byte[], byte[]> record) {
        Optional<CloudEvent<?>> event;
        try {
            event = codec.readBinary(KafkaHeaders.read(record.headers()), record.value());
        } catch (EventFormatException e) {
            LOG.warnf("%s skipped an unreadable event at %s-%d@%d: %s", name, record.topic(), record.partition(), record.offset(), e.getMessage());
            event = Optional.empty();
        }
        try {
            positionedHandler.apply(new TopicPartition(record.topic(), record.partition()), record.offset(), event);
        } catch (RuntimeException e) {
            throw new IllegalStateException(name + " could not apply " + record.topic() + "-" + record.partition() + "@" + record.offset()
                    + ": " + e.getMessage(), e);
        }
    }

    private Properties properties() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, name);
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        return p;
    }
}
