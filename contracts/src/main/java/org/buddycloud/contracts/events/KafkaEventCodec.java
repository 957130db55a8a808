package org.buddycloud.contracts.events;

import io.cloudevents.kafka.KafkaMessageFactory;
import io.cloudevents.rw.CloudEventRWException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Our events on Kafka, in the CloudEvents Kafka protocol binding's binary mode (through the SDK): the
 * attributes as {@code ce_*} headers, the payload's JSON as the record value and the subject (a channel or
 * account JID) as the key, so one channel's events stay in order on one partition.
 */
public final class KafkaEventCodec {

    private final EventCodec codec;

    public KafkaEventCodec(EventCodec codec) {
        this.codec = codec;
    }

    public KafkaEventCodec() {
        this(new EventCodec());
    }

    public ProducerRecord<String, byte[]> record(String topic, CloudEvent<?> event) {
        return record(topic, event, codec.writeData(event.data()));
    }

    /** The record of an event whose payload was serialised earlier (an outbox keeps it byte for byte). */
    public ProducerRecord<String, byte[]> record(String topic, CloudEvent<?> event, byte[] data) {
        return KafkaMessageFactory.<String>createWriter(topic, null, null, event.subject().toString())
                .writeBinary(codec.toCloudEvent(event, data));
    }

    /** The record of an event known by its attributes and its serialised payload, which is sent without being read. */
    public ProducerRecord<String, byte[]> record(String topic, String id, String source, String type, String subject, Instant time,
                                                 byte[] data) {
        return KafkaMessageFactory.<String>createWriter(topic, null, null, subject)
                .writeBinary(codec.toCloudEvent(id, source, type, subject, time, data));
    }

    /**
     * Decodes a record: empty when its type is not one this version knows.
     *
     * @throws EventFormatException when the record is not a CloudEvent or not the event its type says
     */
    public Optional<CloudEvent<?>> read(ConsumerRecord<?, byte[]> record) {
        io.cloudevents.CloudEvent event;
        try {
            event = KafkaMessageFactory.createReader(record).toEvent();
        } catch (CloudEventRWException | IllegalArgumentException | IllegalStateException e) {
            throw new EventFormatException("not a CloudEvents " + CloudEvent.SPEC_VERSION + " record: " + e.getMessage(), e);
        }
        return codec.fromCloudEvent(event);
    }

    /**
     * The event's id ({@code ce_id}) without decoding the record: enough for a consumer to pass an event it applied
     * already; empty when the record carries none.
     */
    public static Optional<String> id(ConsumerRecord<?, byte[]> record) {
        Header id = record.headers().lastHeader("ce_id");
        return id == null || id.value() == null ? Optional.empty() : Optional.of(new String(id.value(), StandardCharsets.UTF_8));
    }
}
