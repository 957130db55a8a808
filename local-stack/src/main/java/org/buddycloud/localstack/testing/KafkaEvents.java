package org.buddycloud.localstack.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.buddycloud.contracts.events.CloudEvent;
import org.buddycloud.contracts.events.EventCodec;

/** Reads a topic from its beginning, decoding CloudEvents, so tests can wait for the event a change should cause. */
public final class KafkaEvents implements AutoCloseable {

    /** One record as it arrived: its key, its decoded event, its headers. */
    public record Received(String key, CloudEvent<?> event, Map<String, String> headers) {
    }

    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private final EventCodec codec = new EventCodec();
    private final List<Received> received = new ArrayList<>();

    public KafkaEvents(String bootstrapServers, String topic) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.CLIENT_ID_CONFIG, "test-events-" + topic),
                new StringDeserializer(), new ByteArrayDeserializer());
        this.topic = topic;
        assignWhenTheTopicExists();
    }

    /** A topic nothing was written to yet does not exist; its events can only come later. */
    private boolean assignWhenTheTopicExists() {
        if (!consumer.assignment().isEmpty()) {
            return true;
        }
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        if (partitions.isEmpty()) {
            return false;
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return true;
    }

    /** The first event matching, waiting up to {@code timeout} for it to arrive. */
    public Received await(Predicate<Received> matching, Duration timeout) {
        return poll(matching, timeout).orElseThrow(() -> new AssertionError("no matching event within " + timeout
                + "; received: " + received.stream().map(r -> r.event().type() + " " + r.key()).toList()));
    }

    public Received await(String type, String subject, Duration timeout) {
        return await(r -> r.event().type().equals(type) && r.key().equals(subject), timeout);
    }

    /** Everything matching that arrived within {@code window}: to prove that an event did not happen. */
    public List<Received> within(Predicate<Received> matching, Duration window) {
        poll(r -> false, window);
        return received.stream().filter(matching).toList();
    }

    private Optional<Received> poll(Predicate<Received> matching, Duration timeout) {
        Optional<Received> seen = received.stream().filter(matching).findFirst();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (seen.isEmpty() && System.nanoTime() < deadline) {
            if (!assignWhenTheTopicExists()) {
                LockSupportPause.pause(Duration.ofMillis(200));
                continue;
            }
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                Map<String, String> headers = new java.util.HashMap<>();
                for (Header header : record.headers()) {
                    headers.put(header.key(), new String(header.value(), java.nio.charset.StandardCharsets.UTF_8));
                }
                codec.readBinary(headers, record.value()).ifPresent(event -> received.add(new Received(record.key(), event, headers)));
            }
            seen = received.stream().filter(matching).findFirst();
        }
        return seen;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
