package org.buddycloud.testsupport;

import java.nio.file.Path;
import org.buddycloud.localstack.KafkaNode;

/**
 * {@link ServiceTestStack} on a broker whose only client listener demands SASL SCRAM-SHA-256: the channel server
 * and the service under test get the login as {@code kafka.security.protocol}, {@code kafka.sasl.mechanism} and
 * {@code kafka.sasl.jaas.config}, like any production setting, and every Kafka client they create must use it.
 */
public class SecuredServiceTestStack extends ServiceTestStack {

    /** The broker's one user. */
    public static final KafkaNode.ScramUser USER = new KafkaNode.ScramUser("buddycloud", "scram-secret-for-tests");

    @Override
    protected KafkaNode startKafka(Path dataDir) {
        return KafkaNode.startSecured(dataDir, USER);
    }
}
