package org.buddycloud.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Path;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.buddycloud.localstack.KafkaNode;

/**
 * A real KRaft broker inside the test JVM, on a free port, with its data in a scratch folder.
 * Tests can take the {@link KafkaNode} with {@link InjectKafka} to stop and restart it.
 */
public class KafkaTestResource implements QuarkusTestResourceLifecycleManager {

    private Path dataDir;
    private KafkaNode kafka;
    private org.testcontainers.kafka.KafkaContainer container;

    @Override
    public Map<String, String> start() {
        if (Containers.requested()) {
            container = Containers.kafka();
            return Map.of("kafka.bootstrap.servers", container.getBootstrapServers());
        }
        quietBrokerLogs();
        dataDir = TestDirectories.create("kafka-");
        kafka = KafkaNode.start(dataDir, 0, 0);
        return Map.of("kafka.bootstrap.servers", kafka.bootstrapServers());
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(kafka, new TestInjector.AnnotatedAndMatchesType(InjectKafka.class, KafkaNode.class));
    }

    @Override
    public void stop() {
        Containers.stop(container);
        if (kafka != null) {
            kafka.close();
        }
        TestDirectories.delete(dataDir);
    }

    /** A broker start logs about a thousand INFO lines; the build log needs only its warnings. */
    public static void quietBrokerLogs() {
        for (String name : new String[] {"kafka", "org.apache.kafka", "state.change.logger"}) {
            Logger.getLogger(name).setLevel(Level.WARNING);
        }
    }
}
