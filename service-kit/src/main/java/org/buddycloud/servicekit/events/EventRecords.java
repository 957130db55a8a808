package org.buddycloud.servicekit.events;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.buddycloud.contracts.events.CloudEvent;
import org.buddycloud.contracts.events.EventFormatException;
import org.buddycloud.contracts.events.KafkaEventCodec;
import org.jboss.logging.Logger;

/**
 * Reads the CloudEvent of a consumed record (binary mode, through the SDK), or refuses it: a malformed
 * record or one of an unknown type is logged, counted ({@code buddycloud_events_rejected_total} by consumer
 * and reason) and thrown as a {@link RejectedEvent}, which sends it to the dead-letter topic. The age of
 * each event taken ({@code buddycloud_events_age_seconds}, by consumer) is the latency from a change to its
 * consumers.
 */
@ApplicationScoped
public class EventRecords {

    private static final Logger LOG = Logger.getLogger(EventRecords.class);

    private final KafkaEventCodec codec = new KafkaEventCodec();
    private final MeterRegistry metrics;
    private final Clock clock;
    private final Map<String, Timer> ages = new ConcurrentHashMap<>();

    EventRecords(MeterRegistry metrics, Clock clock) {
        this.metrics = metrics;
        this.clock = clock;
    }

    public CloudEvent<?> decode(String consumer, ConsumerRecord<String, byte[]> record) {
        Optional<CloudEvent<?>> event;
        try {
            event = codec.read(record);
        } catch (EventFormatException e) {
            throw reject(consumer, record, "malformed", e.getMessage(), e);
        }
        CloudEvent<?> known = event.orElseThrow(() -> reject(consumer, record, "unknown-type",
                "unknown event type " + header(record, "ce_type") + " (this version does not know it)", null));
        age(consumer).record(Duration.between(known.time(), clock.instant()));
        return known;
    }

    /** How old events are when a consumer takes them: the latency from the change to its effect, by consumer. */
    private Timer age(String consumer) {
        return ages.computeIfAbsent(consumer, name -> Timer.builder("buddycloud.events.age").tag("consumer", name)
                .description("time from an event's change to its consumer").publishPercentiles(0.5, 0.99)
                .register(metrics));
    }

    /** Counts one more event applied twice had it not been recognised (a replay, or the same event published again). */
    public void skippedDuplicate(String consumer) {
        skippedDuplicate(consumer, 1);
    }

    public void skippedDuplicate(String consumer, int count) {
        metrics.counter("buddycloud.events.duplicates", "consumer", consumer).increment(count);
    }

    /** An event that could not be acted upon: logged and counted ({@code buddycloud_events_failed_total}). */
    public void failed(String consumer, ConsumerRecord<String, byte[]> record, RuntimeException failure) {
        failed(consumer, "the event at " + record.topic() + "-" + record.partition() + "@" + record.offset(), failure);
    }

    /** The same for an event taken at its commit, before it reached Kafka. */
    public void failed(String consumer, CloudEvent<?> event, RuntimeException failure) {
        failed(consumer, "the event " + event.id() + " (" + event.type() + ") at its commit", failure);
    }

    private void failed(String consumer, String what, RuntimeException failure) {
        metrics.counter("buddycloud.events.failed", "consumer", consumer).increment();
        LOG.errorf(failure, "%s failed on %s", consumer, what);
    }

    private RejectedEvent reject(String consumer, ConsumerRecord<String, byte[]> record, String reason, String detail, Throwable cause) {
        metrics.counter("buddycloud.events.rejected", "consumer", consumer, "reason", reason).increment();
        String where = record.topic() + "-" + record.partition() + "@" + record.offset();
        LOG.warnf("%s sets aside the record at %s on the dead-letter topic: %s", consumer, where, detail);
        return new RejectedEvent(consumer + " cannot apply the record at " + where + ": " + detail, cause);
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? "(none)" : new String(header.value(), StandardCharsets.UTF_8);
    }
}
