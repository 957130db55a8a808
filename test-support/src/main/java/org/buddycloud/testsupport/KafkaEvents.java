package org.buddycloud.testsupport;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.buddycloud.contracts.events.CloudEvent;
import org.buddycloud.contracts.events.KafkaEventCodec;

/** Reads a topic from its beginning, decoding CloudEvents, so tests can wait for the event a change should cause. */
public final class KafkaEvents implements AutoCloseable {

    /** One record as it arrived: its key, its decoded event, its headers. */
    public record Received(String key, CloudEvent<?> event, Map<String, String> headers) {
    }

    private final TopicReader reader;
    private final KafkaEventCodec codec = new KafkaEventCodec();
    private final List<Received> received = new ArrayList<>();

    public KafkaEvents(String bootstrapServers, String topic) {
        this(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), topic);
    }

    /** With client settings of its own: a secured broker's {@code security.protocol}, {@code sasl.*}. */
    public KafkaEvents(Map<String, Object> clientConfig, String topic) {
        this.reader = new TopicReader(clientConfig, topic);
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
            for (ConsumerRecord<byte[], byte[]> record : reader.poll(Duration.ofMillis(200))) {
                Map<String, String> headers = headers(record);
                String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
                codec.read(record).ifPresent(event -> received.add(new Received(key, event, headers)));
            }
            seen = received.stream().filter(matching).findFirst();
        }
        return seen;
    }

    /** A record's headers as text. */
    public static Map<String, String> headers(ConsumerRecord<?, ?> record) {
        Map<String, String> headers = new HashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), header.value() == null ? "" : new String(header.value(), StandardCharsets.UTF_8));
        }
        return headers;
    }

    @Override
    public void close() {
        reader.close();
    }
}
