package org.buddycloud.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaNodeTest {

    @TempDir
    Path dataDir;

    @Test
    void keepsRecordsAcrossARestartOnTheSamePorts() throws Exception {
        try (KafkaNode kafka = KafkaNode.start(dataDir, 0, 0)) {
            Map<String, Object> client = new HashMap<>(kafka.clientConfig());
            createTopic(client, "restart-test");
            send(client, "restart-test", "before restart");
            kafka.stop();
            kafka.start();
            assertEquals(List.of("before restart"), readAll(client, "restart-test", 1));
        }
    }

    @Test
    void createsNoTopicOnFirstUseAsAProductionClusterWouldNot() {
        try (KafkaNode kafka = KafkaNode.start(dataDir, 0, 0)) {
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> send(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                            ProducerConfig.MAX_BLOCK_MS_CONFIG, 3000), "never-created", "lost"));
            assertTrue(refused.getCause() instanceof org.apache.kafka.common.errors.TimeoutException
                    || refused.getCause() instanceof UnknownTopicOrPartitionException, refused.toString());
        }
    }

    @Test
    void aSecuredNodeServesClientsThatLogInWithScram() throws Exception {
        try (KafkaNode kafka = KafkaNode.startSecured(dataDir, new KafkaNode.ScramUser("romeo", "montague-secret"))) {
            Map<String, Object> client = new HashMap<>(kafka.clientConfig());
            assertEquals("SASL_PLAINTEXT", client.get("security.protocol"));
            createTopic(client, "secured");
            send(client, "secured", "by SCRAM");
            assertEquals(List.of("by SCRAM"), readAll(client, "secured", 1));

            Map<String, Object> wrongPassword = new HashMap<>(client);
            wrongPassword.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                    + "username=\"romeo\" password=\"capulet\";");
            wrongPassword.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5000);
            assertThrows(Exception.class, () -> send(wrongPassword, "secured", "refused"));
        }
    }

    private static void createTopic(Map<String, Object> client, String topic) throws Exception {
        try (Admin admin = Admin.create(client)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
    }

    private static void send(Map<String, Object> client, String topic, String value) throws Exception {
        Map<String, Object> config = new HashMap<>(client);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        try (var producer = new KafkaProducer<String, String>(config, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "k", value)).get();
        }
    }

    private static List<String> readAll(Map<String, Object> client, String topic, int expected) {
        Map<String, Object> config = new HashMap<>(client);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, topic + "-test");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (var consumer = new KafkaConsumer<String, String>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            List<String> values = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (values.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    values.add(record.value());
                }
            }
            return values;
        }
    }
}
