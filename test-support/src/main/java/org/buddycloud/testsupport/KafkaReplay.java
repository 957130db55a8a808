package org.buddycloud.testsupport;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes a topic's records once more, as they are — same key, headers and value, so the same event ids —
 * at new offsets: what an outbox relay retrying after a lost acknowledgement, or an operator mirroring a topic
 * back, does to the consumers. Also writes single hand-made records (malformed ones, for the dead-letter path).
 */
public final class KafkaReplay {

    private KafkaReplay() {
    }

    /** Publishes again every record the topic holds now; returns how many. */
    public static int republishAll(Map<String, Object> client, String topic) {
        int count = 0;
        try (TopicReader reader = new TopicReader(client, topic);
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerSettings(client), new ByteArraySerializer(), new ByteArraySerializer())) {
            Map<TopicPartition, Long> ends = reader.endOffsets();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (ends.entrySet().stream().anyMatch(e -> reader.position(e.getKey()) < e.getValue()) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : reader.poll(Duration.ofMillis(200))) {
                    if (record.offset() < ends.get(new TopicPartition(record.topic(), record.partition()))) {
                        producer.send(new ProducerRecord<>(topic, record.partition(), record.key(), record.value(), record.headers()));
                        count++;
                    }
                }
            }
            producer.flush();
        }
        return count;
    }

    /** Publishes one record as given. */
    public static void publish(Map<String, Object> client, ProducerRecord<byte[], byte[]> record) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerSettings(client), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(record).get();
        }
    }

    private static Map<String, Object> producerSettings(Map<String, Object> client) {
        Map<String, Object> config = new HashMap<>(client);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        return config;
    }
}
