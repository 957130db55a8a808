package org.buddycloud.servicekit.kafka;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.buddycloud.servicekit.events.TopicNames;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Creates the event topics and the dead-letter topic at start, with the configured partitions, replication
 * and retention, before the consumers subscribe and the outbox relay publishes: nothing relies on a broker
 * that creates topics on first use. Topics that exist are left as they are (their partition count is not
 * changed: that would move channels to other partitions and break their order), but a difference is logged.
 * When the cluster cannot be reached the service starts anyway and keeps trying; readiness waits for it.
 */
@ApplicationScoped
public class KafkaTopics {

    private static final Logger LOG = Logger.getLogger(KafkaTopics.class);
    private static final Duration RETRY = Duration.ofSeconds(5);

    private final Map<String, Object> kafka;
    private final TopicNames names;
    private final KafkaTopicSettings settings;
    private final String clientId;
    private volatile boolean ready;
    private volatile boolean stopping;

    KafkaTopics(@Identifier("default-kafka-broker") Map<String, Object> kafka, TopicNames names, KafkaTopicSettings settings,
                @ConfigProperty(name = "quarkus.application.name") String application) {
        this.kafka = kafka;
        this.names = names;
        this.settings = settings;
        this.clientId = application + "-topics";
    }

    /** Before SmallRye Reactive Messaging starts the consumers ({@code LIBRARY_BEFORE}). */
    void start(@Observes @Priority(Interceptor.Priority.LIBRARY_BEFORE - 1) StartupEvent event) {
        if (!settings.create()) {
            ready = true;
            return;
        }
        if (!tryEnsure()) {
            Thread retry = new Thread(this::retryUntilCreated, "kafka-topics");
            retry.setDaemon(true);
            retry.start();
        }
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    /** True once every topic exists (or creation is left to the operator). */
    public boolean ready() {
        return ready;
    }

    private void retryUntilCreated() {
        while (!stopping && !tryEnsure()) {
            LockSupport.parkNanos(RETRY.toNanos());
        }
    }

    private boolean tryEnsure() {
        try (Admin admin = Admin.create(adminConfig())) {
            ensure(admin);
            ready = true;
            return true;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.warnf("could not create the Kafka topics yet (%s); trying again in %d s", rootMessage(e), RETRY.toSeconds());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    void ensure(Admin admin) throws ExecutionException, InterruptedException, TimeoutException {
        long timeout = settings.timeout().toMillis();
        Set<String> existing = admin.listTopics().names().get(timeout, TimeUnit.MILLISECONDS);
        List<NewTopic> missing = new ArrayList<>();
        for (String topic : names.events()) {
            if (!existing.contains(topic)) {
                missing.add(topic(topic, settings.retentionMs()));
            }
        }
        if (!existing.contains(names.deadLetters())) {
            missing.add(topic(names.deadLetters(), settings.deadLetterRetention().toMillis()));
        }
        names.serviceDeadLetters().filter(topic -> !existing.contains(topic))
                .ifPresent(topic -> missing.add(topic(topic, settings.deadLetterRetention().toMillis())));
        for (NewTopic topic : missing) {
            try {
                admin.createTopics(List.of(topic)).all().get(timeout, TimeUnit.MILLISECONDS);
                LOG.infof("created Kafka topic %s (%d partitions, replication %d)", topic.name(), topic.numPartitions(),
                        topic.replicationFactor());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
                // another service created it meanwhile
            }
        }
        warnAboutDifferences(admin, existing, timeout);
    }

    private NewTopic topic(String name, long retentionMs) {
        Map<String, String> config = new HashMap<>(settings.config());
        config.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retentionMs));
        config.putIfAbsent(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
        return new NewTopic(name, settings.partitions(), settings.replicationFactor()).configs(config);
    }

    private void warnAboutDifferences(Admin admin, Set<String> existing, long timeout)
            throws ExecutionException, InterruptedException, TimeoutException {
        List<String> known = names.events().stream().filter(existing::contains).toList();
        if (known.isEmpty()) {
            return;
        }
        Map<String, TopicDescription> described = admin.describeTopics(known).allTopicNames().get(timeout, TimeUnit.MILLISECONDS);
        described.values().stream().filter(d -> d.partitions().size() != settings.partitions()).forEach(d ->
                LOG.infof("Kafka topic %s has %d partitions (new topics get %d); left as it is", d.name(), d.partitions().size(),
                        settings.partitions()));
    }

    private Map<String, Object> adminConfig() {
        Map<String, Object> config = KafkaClients.adminConfig(kafka, clientId);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) settings.timeout().toMillis());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) settings.timeout().toMillis());
        return config;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
