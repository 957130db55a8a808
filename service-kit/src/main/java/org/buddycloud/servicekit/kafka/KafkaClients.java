package org.buddycloud.servicekit.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The configuration of the Kafka clients the kit creates itself (the outbox relay's producer, the topic
 * creator's admin client), from every {@code kafka.*} setting of the service — the same settings
 * SmallRye Reactive Messaging gives its consumers: bootstrap servers, {@code security.protocol},
 * {@code sasl.*}, {@code ssl.*}, … A setting the client type does not know is left out rather than warned about.
 */
public final class KafkaClients {

    private KafkaClients() {
    }

    public static Map<String, Object> adminConfig(Map<String, Object> kafka, String clientId) {
        Map<String, Object> config = known(kafka, AdminClientConfig.configNames());
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        return config;
    }

    public static Map<String, Object> producerConfig(Map<String, Object> kafka, String clientId) {
        Map<String, Object> config = known(kafka, ProducerConfig.configNames());
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        return config;
    }

    private static Map<String, Object> known(Map<String, Object> kafka, Set<String> names) {
        Map<String, Object> config = new HashMap<>();
        kafka.forEach((key, value) -> {
            if (names.contains(key) || key.startsWith("sasl.") || key.startsWith("ssl.")) {
                config.put(key, value);
            }
        });
        return config;
    }
}
