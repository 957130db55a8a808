package org.buddycloud.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.channel.Affiliation;
import org.buddycloud.contracts.channel.Subscription;
import org.buddycloud.contracts.events.CloudEvent;
import org.buddycloud.contracts.events.EventTypes;
import org.buddycloud.contracts.events.KafkaEventCodec;
import org.buddycloud.contracts.events.SubscriptionChanged;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.localstack.PostgresNode;
import org.buddycloud.testsupport.TopicReader;

/**
 * How fast a service's channel read model takes in membership events: the packaged media server (real Kafka,
 * PostgreSQL, S3 endpoint and channel server) is sent bursts of {@code subscription-changed} events for 200
 * channels on {@code buddycloud.memberships}, and the time from the first send until every one is in its
 * database is measured (events applied per second, median of the rounds). Baseline of the same run: a plain
 * Kafka consumer reading the same records back from the broker without doing anything with them.
 */
public final class ReadModelBenchmark {

    private static final String TOPIC = "buddycloud.memberships";
    private static final int EVENTS = Integer.getInteger("bench.readmodel.events", 20_000);
    private static final int ROUNDS = Integer.getInteger("bench.readmodel.rounds", 3);
    private static final int CHANNELS = 200;
    private static final Duration DEADLINE = Duration.ofMinutes(5);

    private final KafkaEventCodec codec = new KafkaEventCodec();
    private final KafkaProducer<String, byte[]> producer;
    private final String bootstrap;
    private final String jdbcUrl;

    private ReadModelBenchmark(String bootstrap, String jdbcUrl) {
        this.bootstrap = bootstrap;
        this.jdbcUrl = jdbcUrl;
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    public static void main(String[] args) throws Exception {
        System.out.println(Machine.describe());
        MediaStack.run(Map.of(), stack -> {
            ReadModelBenchmark bench = new ReadModelBenchmark(stack.kafka().bootstrapServers(), stack.mediaJdbcUrl());
            bench.measure();
            bench.producer.close();
        });
    }

    private void measure() throws Exception {
        burst(2_000, "warm");
        List<Double> applied = new ArrayList<>();
        List<Double> raw = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            Map<TopicPartition, Long> start = endOffsets();
            double seconds = burst(EVENTS, "r" + round);
            applied.add(EVENTS / seconds);
            raw.add(EVENTS / readBack(start, EVENTS));
            System.out.printf("round %d: %,d events applied in %.2f s (%,.0f/s); plain consumer read them back at %,.0f/s%n", round + 1,
                    EVENTS, seconds, applied.get(round), raw.get(round));
        }
        double model = median(applied);
        double floor = median(raw);
        System.out.printf("read model (media server): median %,.0f events/s applied; plain consumer %,.0f events/s; ratio %.3f%n",
                model, floor, model / floor);
    }

    /** Sends {@code count} membership events and waits until the read model holds all of them; returns seconds. */
    private double burst(int count, String label) throws Exception {
        String prefix = "bench-" + label + "-" + UUID.randomUUID().toString().substring(0, 6) + "-";
        long started = System.nanoTime();
        for (int i = 0; i < count; i++) {
            Jid channel = Jid.parse("channel" + (i % CHANNELS) + "@localhost");
            Jid subscriber = Jid.parse(prefix + i + "@localhost");
            SubscriptionChanged change = new SubscriptionChanged(channel, "/user/" + channel + "/posts", subscriber,
                    Subscription.SUBSCRIBED, Subscription.NONE, Affiliation.PUBLISHER, subscriber, AccessModel.OPEN, Instant.now());
            CloudEvent<SubscriptionChanged> event = CloudEvent.of(EventTypes.SUBSCRIPTION_CHANGED, "//bench", change, Instant.now());
            producer.send(codec.record(TOPIC, event));
        }
        producer.flush();
        long deadline = started + DEADLINE.toNanos();
        try (Connection db = DriverManager.getConnection(jdbcUrl, PostgresNode.USER, "");
             PreparedStatement members = db.prepareStatement("SELECT count(*) FROM channel_members WHERE jid LIKE ?")) {
            members.setString(1, prefix + "%");
            while (true) {
                try (ResultSet rs = members.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) >= count) {
                        return (System.nanoTime() - started) / 1e9;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the read model did not take in " + count + " events within " + DEADLINE);
                }
                LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
            }
        }
    }

    private Map<TopicPartition, Long> endOffsets() {
        try (TopicReader reader = new TopicReader(Map.of("bootstrap.servers", bootstrap), TOPIC)) {
            return reader.endOffsets();
        }
    }

    /** Reads the records from {@code start} on with a plain consumer (no processing); returns seconds. */
    private double readBack(Map<TopicPartition, Long> start, int count) {
        try (TopicReader reader = new TopicReader(Map.of("bootstrap.servers", bootstrap), TOPIC)) {
            reader.seek(start);
            long started = System.nanoTime();
            int read = 0;
            while (read < count) {
                read += reader.poll(Duration.ofMillis(200)).size();
            }
            return (System.nanoTime() - started) / 1e9;
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
