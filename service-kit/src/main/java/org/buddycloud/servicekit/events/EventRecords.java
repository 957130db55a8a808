package org.buddycloud.servicekit.events;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.buddycloud.contracts.events.CloudEvent;
import org.buddycloud.contracts.events.EventFormatException;
import org.buddycloud.contracts.events.KafkaEventCodec;
import org.jboss.logging.Logger;

/**
 * Reads the CloudEvent of a consumed record (binary mode, through the SDK), or refuses it: a malformed
 * record or one of an unknown type is logged, counted ({@code buddycloud_events_rejected_total} by consumer
 * and reason) and thrown as a {@link RejectedEvent}, which sends it to the dead-letter topic.
 */
@ApplicationScoped
public class EventRecords {

    private static final Logger LOG = Logger.getLogger(EventRecords.class);

    private final KafkaEventCodec codec = new KafkaEventCodec();
    private final MeterRegistry metrics;

    EventRecords(MeterRegistry metrics) {
        this.metrics = metrics;
    }

    public CloudEvent<?> decode(String consumer, ConsumerRecord<String, byte[]> record) {
        Optional<CloudEvent<?>> event;
        try {
            event = codec.read(record);
        } catch (EventFormatException e) {
            throw reject(consumer, record, "malformed", e.getMessage(), e);
        }
        return event.orElseThrow(() -> reject(consumer, record, "unknown-type",
                "unknown event type " + header(record, "ce_type") + " (this version does not know it)", null));
    }

    /** Counts one more event applied twice had it not been recognised (a replay, or the same event published again). */
    public void skippedDuplicate(String consumer) {
        metrics.counter("buddycloud.events.duplicates", "consumer", consumer).increment();
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
