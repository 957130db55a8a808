package org.buddycloud.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A test's look at a topic, record by record from its beginning, as raw bytes: not a consumer of a service (those
 * go through SmallRye Reactive Messaging) but a probe of what is on the broker. A topic that does not exist yet is
 * looked for again at every poll.
 */
public final class TopicReader implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;

    /** {@code client}: the broker's client settings ({@code bootstrap.servers}, and a secured broker's login). */
    public TopicReader(Map<String, Object> client, String topic) {
        Map<String, Object> config = new HashMap<>(client);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "test-reader-" + topic);
        this.consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.topic = topic;
        assignWhenTheTopicExists();
    }

    /** The records that arrived within {@code timeout} (none while the topic does not exist). */
    public List<ConsumerRecord<byte[], byte[]>> poll(Duration timeout) {
        if (!assignWhenTheTopicExists()) {
            LockSupportPause.pause(timeout);
            return List.of();
        }
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        consumer.poll(timeout).forEach(records::add);
        return records;
    }

    /** Goes on from these offsets rather than from the beginning. */
    public void seek(Map<TopicPartition, Long> offsets) {
        assignWhenTheTopicExists();
        offsets.forEach(consumer::seek);
    }

    /** Where each partition ends now. */
    public Map<TopicPartition, Long> endOffsets() {
        assignWhenTheTopicExists();
        return consumer.endOffsets(consumer.assignment());
    }

    /** Where this reader is on each partition. */
    public long position(TopicPartition partition) {
        return consumer.position(partition);
    }

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

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
