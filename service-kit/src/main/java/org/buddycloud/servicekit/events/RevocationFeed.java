package org.buddycloud.servicekit.events;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.buddycloud.contracts.auth.RevocationList;
import org.buddycloud.contracts.auth.TokenRevocation;
import org.buddycloud.contracts.events.CloudEvent;
import org.buddycloud.contracts.events.EventCodec;
import org.buddycloud.contracts.events.EventFormatException;
import org.buddycloud.servicekit.auth.AuthConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Reads token revocations from {@code buddycloud.accounts} into this instance's {@link RevocationList}.
 *
 * <p>Every instance needs every revocation, so this is not a consumer-group member: it reads all
 * partitions itself, starting a retention period back on each start (older revocations concern
 * only expired tokens), and commits nothing. Applying a revocation twice changes nothing, so
 * replays are harmless. Ready once it has read up to where the topic ended at start and while it
 * can reach the broker.
 */
@ApplicationScoped
public class RevocationFeed {

    private static final Logger LOG = Logger.getLogger(RevocationFeed.class);
    private static final Duration CONTACT_CHECK = Duration.ofSeconds(5);
    private static final Duration READY_WITHOUT_CONTACT = Duration.ofSeconds(30);
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(2);

    private final String bootstrapServers;
    private final String topic;
    private final Duration lookBack;
    private final RevocationList revocations;
    private final Clock clock;
    private final EventCodec codec = new EventCodec();

    private volatile boolean running;
    private volatile boolean caughtUp;
    private volatile Instant lastContact = Instant.EPOCH;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private Thread thread;

    RevocationFeed(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, TopicNames topics,
                   AuthConfig auth, RevocationList revocations, Clock clock) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topics.accounts();
        this.lookBack = auth.revocationRetention();
        this.revocations = revocations;
        this.clock = clock;
    }

    void start(@Observes StartupEvent event) {
        running = true;
        thread = new Thread(this::run, "revocation-feed");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        KafkaConsumer<byte[], byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        if (thread != null) {
            thread.join(Duration.ofSeconds(10).toMillis());
        }
    }

    /** Ready: caught up with the revocations that existed at start, and the broker answered recently. */
    public boolean isReady() {
        return caughtUp && lastContact.plus(READY_WITHOUT_CONTACT).isAfter(clock.instant());
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
                LOG.warnf("revocation feed lost the broker (%s); retrying", e.getMessage());
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
        seekToLookBack(kafka, partitions);
        Map<TopicPartition, Long> endAtStart = kafka.endOffsets(partitions, Duration.ofSeconds(10));
        Instant nextCheck = Instant.EPOCH;
        while (running) {
            for (ConsumerRecord<byte[], byte[]> record : kafka.poll(Duration.ofSeconds(1))) {
                apply(record);
            }
            Instant now = clock.instant();
            if (now.isAfter(nextCheck)) {
                kafka.endOffsets(partitions, Duration.ofSeconds(3));
                lastContact = now;
                nextCheck = now.plus(CONTACT_CHECK);
                if (!caughtUp && partitions.stream().allMatch(p -> kafka.position(p) >= endAtStart.getOrDefault(p, 0L))) {
                    caughtUp = true;
                    LOG.infof("revocation feed caught up on %s (%d active revocations)", topic, revocations.size());
                }
            }
        }
    }

    private List<TopicPartition> awaitPartitions(KafkaConsumer<byte[], byte[]> kafka) {
        while (running) {
            List<PartitionInfo> infos = Optional.ofNullable(kafka.partitionsFor(topic, Duration.ofSeconds(5))).orElse(List.of());
            if (!infos.isEmpty()) {
                return infos.stream().map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            }
            LOG.infof("waiting for topic %s to exist", topic);
            LockSupport.parkNanos(RETRY_PAUSE.toNanos());
        }
        return List.of();
    }

    private void seekToLookBack(KafkaConsumer<byte[], byte[]> kafka, List<TopicPartition> partitions) {
        long since = clock.instant().minus(lookBack).toEpochMilli();
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(p -> query.put(p, since));
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

    private void apply(ConsumerRecord<byte[], byte[]> record) {
        try {
            Optional<CloudEvent<?>> event = codec.readBinary(KafkaHeaders.read(record.headers()), record.value());
            if (event.isPresent() && event.get().data() instanceof TokenRevocation revocation) {
                revocation.applyTo(revocations);
                LOG.debugf("applied %s for %s", event.get().type(), event.get().subject());
            }
        } catch (EventFormatException e) {
            LOG.warnf("skipped unreadable event at %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), e.getMessage());
        }
    }

    private Properties properties() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "revocation-feed");
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        return p;
    }
}
