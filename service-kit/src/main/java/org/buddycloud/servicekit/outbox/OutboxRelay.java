package org.buddycloud.servicekit.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.buddycloud.contracts.events.EventTypes;
import org.buddycloud.contracts.events.KafkaEventCodec;
import org.buddycloud.contracts.events.Topic;
import org.buddycloud.servicekit.events.TopicNames;
import org.buddycloud.servicekit.kafka.KafkaClients;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Publishes the outbox to Kafka, oldest first, and deletes what the broker acknowledged.
 *
 * <p>One relay at a time across all replicas (a PostgreSQL advisory lock held for the batch), so
 * events keep their commit order per key. A batch is deleted only after every record of it was
 * acknowledged (acks=all); if Kafka fails the batch stays and is sent again after a back-off,
 * so a Kafka outage delays events and loses none. A retry may publish an event twice; consumers
 * skip duplicates by event id.
 *
 * <p>Records are CloudEvents in binary mode, written with the SDK ({@link KafkaEventCodec}); the producer and
 * the health check's admin client get every {@code kafka.*} setting of the service (security, SASL, TLS).
 *
 * <p>Only in services built with {@code buddycloud.outbox.enabled=true}: the kit's {@code outbox} migration
 * gives them the table, and they create a {@link JdbcEventOutbox} over it.
 */
@ApplicationScoped
@IfBuildProperty(name = OutboxRelay.ENABLED, stringValue = "true")
public class OutboxRelay {

    /** Build-time switch: the relay exists only in services that write events. */
    public static final String ENABLED = "buddycloud.outbox.enabled";

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final long RELAY_LOCK = 0x6f7574626f78L;
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration CONTACT_CHECK = Duration.ofSeconds(10);

    private final DataSource dataSource;
    private final OutboxConfig config;
    private final TopicNames topics;
    private final Map<String, Object> kafkaSettings;
    private final String clientId;
    private final Clock clock;
    private final KafkaEventCodec records = new KafkaEventCodec();
    private final Semaphore wakeUp = new Semaphore(0);
    private final Counter published;
    private final Counter failures;

    private volatile boolean running;
    private volatile Instant lastKafkaContact;
    private volatile Instant lastContactCheck = Instant.EPOCH;
    private Thread thread;
    private KafkaProducer<String, byte[]> producer;
    private Admin admin;

    OutboxRelay(DataSource dataSource, OutboxConfig config, TopicNames topics,
                @Identifier("default-kafka-broker") Map<String, Object> kafkaSettings,
                @ConfigProperty(name = "quarkus.application.name") String applicationName, Clock clock, MeterRegistry metrics) {
        this.dataSource = dataSource;
        this.config = config;
        this.topics = topics;
        this.kafkaSettings = kafkaSettings;
        this.clientId = applicationName + "-outbox";
        this.clock = clock;
        this.lastKafkaContact = clock.instant();
        this.published = metrics.counter("buddycloud.outbox.published");
        this.failures = metrics.counter("buddycloud.outbox.failures");
    }

    void start(@Observes StartupEvent event) {
        running = true;
        thread = new Thread(this::run, "outbox-relay");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        wake();
        if (thread != null) {
            thread.join(Duration.ofSeconds(20).toMillis());
        }
        closeKafka();
    }

    /** Called after a commit that wrote events: publish now instead of at the next poll. */
    public void wake() {
        wakeUp.release();
    }

    /** False once Kafka has been unreachable for longer than the configured grace period. */
    public boolean kafkaHealthy() {
        return lastKafkaContact.plus(config.unreadyAfter()).isAfter(clock.instant());
    }

    public Instant lastKafkaContact() {
        return lastKafkaContact;
    }

    private void run() {
        Duration backoff = Duration.ZERO;
        while (running) {
            try {
                if (!backoff.isZero()) {
                    wakeUp.tryAcquire(backoff.toMillis(), TimeUnit.MILLISECONDS);
                }
                int sent;
                do {
                    sent = relayBatch();
                } while (sent == config.batchSize() && running);
                checkKafkaContact();
                backoff = Duration.ZERO;
                wakeUp.tryAcquire(config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                wakeUp.drainPermits();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | SQLException | ExecutionException | TimeoutException e) {
                failures.increment();
                backoff = nextBackoff(backoff);
                LOG.warnf("outbox relay failed (%s); events stay in the outbox, retrying in %d ms",
                        rootMessage(e), backoff.toMillis());
                closeKafka();
            }
        }
    }

    /** Publishes up to one batch in one transaction; returns how many events it published. */
    int relayBatch() throws SQLException, InterruptedException, ExecutionException, TimeoutException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                int sent = relayBatch(connection);
                connection.commit();
                return sent;
            } catch (SQLException | InterruptedException | ExecutionException | TimeoutException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    /**
     * One round trip takes the relay's lock (a sub-select, so it is tried once, not per row), deletes the oldest events
     * returning them and, for this transaction only, sets asynchronous commit; the deletion commits only once the broker
     * acknowledged them all (a failure rolls it back, and the events stay). The commit need not wait for the disk, since
     * a deletion lost in a crash only publishes those events again, and consumers skip an event id they applied. No rows:
     * nothing to send, or another replica holds the lock.
     */
    private int relayBatch(Connection connection) throws SQLException, InterruptedException, ExecutionException, TimeoutException {
        List<Map.Entry<Long, ProducerRecord<String, byte[]>>> batch = new ArrayList<>();
        try (PreparedStatement take = connection.prepareStatement("""
                DELETE FROM outbox
                 WHERE id IN (SELECT id FROM outbox
                               WHERE (SELECT pg_try_advisory_xact_lock(?) AND set_config('synchronous_commit', 'off', true) = 'off')
                               ORDER BY id LIMIT ?)
                RETURNING id, event_id, topic, event_type, subject, source, event_time, data""")) {
            take.setLong(1, RELAY_LOCK);
            take.setInt(2, config.batchSize());
            try (ResultSet rs = take.executeQuery()) {
                while (rs.next()) {
                    batch.add(Map.entry(rs.getLong("id"), record(rs)));
                }
            }
        }
        if (batch.isEmpty()) {
            return 0;
        }
        // RETURNING keeps no order: sent oldest first, so that events keep their commit order per key
        batch.sort(Map.Entry.comparingByKey());
        List<Future<RecordMetadata>> acks = new ArrayList<>(batch.size());
        for (Map.Entry<Long, ProducerRecord<String, byte[]>> event : batch) {
            acks.add(kafka().send(event.getValue()));
        }
        kafka().flush();
        long deadline = System.nanoTime() + SEND_TIMEOUT.toNanos();
        for (Future<RecordMetadata> ack : acks) {
            ack.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        lastKafkaContact = clock.instant();
        published.increment(batch.size());
        return batch.size();
    }

    /** The record of one outbox row; the payload goes as it was written, without being parsed again. */
    private ProducerRecord<String, byte[]> record(ResultSet rs) throws SQLException {
        String type = rs.getString("event_type");
        if (EventTypes.byName(type).isEmpty()) {
            throw new IllegalStateException("unknown event type in outbox: " + type);
        }
        return records.record(topics.of(Topic.valueOf(rs.getString("topic"))), rs.getString("event_id"), rs.getString("source"), type,
                rs.getString("subject"), rs.getObject("event_time", OffsetDateTime.class).toInstant(), rs.getBytes("data"));
    }

    /** With nothing to publish, ask the cluster for its nodes now and then, so readiness notices an outage. */
    private void checkKafkaContact() throws InterruptedException, ExecutionException, TimeoutException {
        Instant now = clock.instant();
        if (lastContactCheck.plus(CONTACT_CHECK).isAfter(now)) {
            return;
        }
        lastContactCheck = now;
        admin().describeCluster(new DescribeClusterOptions().timeoutMs(3000)).nodes().get(5, TimeUnit.SECONDS);
        lastKafkaContact = clock.instant();
    }

    private KafkaProducer<String, byte[]> kafka() {
        if (producer == null) {
            Map<String, Object> p = KafkaClients.producerConfig(kafkaSettings, clientId);
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
            p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
            p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "12000");
            p.put(ProducerConfig.LINGER_MS_CONFIG, "2");
            producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    private Admin admin() {
        if (admin == null) {
            Map<String, Object> config = KafkaClients.adminConfig(kafkaSettings, clientId + "-health");
            config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
            config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
            admin = Admin.create(config);
        }
        return admin;
    }

    /** After a failure, start from fresh clients: no half-failed producer state carries over. */
    private void closeKafka() {
        try {
            if (producer != null) {
                producer.close(Duration.ofSeconds(2));
            }
            if (admin != null) {
                admin.close(Duration.ofSeconds(2));
            }
        } catch (KafkaException e) {
            LOG.debugf("while closing Kafka clients: %s", e.getMessage());
        }
        producer = null;
        admin = null;
    }

    private Duration nextBackoff(Duration current) {
        Duration next = current.isZero() ? Duration.ofMillis(250) : current.multipliedBy(2);
        return next.compareTo(config.maxBackoff()) > 0 ? config.maxBackoff() : next;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
