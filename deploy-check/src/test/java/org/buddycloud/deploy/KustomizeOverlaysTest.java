package org.buddycloud.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.buddycloud.contracts.events.Topic;
import org.junit.jupiter.api.Test;

/**
 * The kustomize overlays render (kubectl's kustomize) into documents of known kinds that hold what an operator relies
 * on — and the checks catch each kind of mistake when one is made on purpose.
 */
class KustomizeOverlaysTest {

    /** Secrets the production overlay leaves to the operator (its kustomization says which keys). */
    private static final Set<String> OPERATOR_SECRETS = Set.of("buddycloud-secrets", "buddycloud-kafka-credentials", "buddycloud-xmpp-tls");

    private static List<HasMetadata> render(String overlay) throws Exception {
        return Kustomize.parse(Kustomize.render(Repository.ROOT.resolve("deploy/k8s/overlays").resolve(overlay)));
    }

    /** The production overlay and, applied beside it into the Strimzi namespace, the topics. */
    private static List<HasMetadata> renderProduction() throws Exception {
        List<HasMetadata> documents = new ArrayList<>(render("production"));
        documents.addAll(Kustomize.parse(Kustomize.render(Repository.ROOT.resolve("deploy/k8s/components/strimzi-topics"))));
        return documents;
    }

    /** Every topic the code uses: the event topics, the shared dead letters and each service's own. */
    static Set<String> topicsTheCodeUses() throws Exception {
        Set<String> topics = new TreeSet<>();
        for (Topic topic : Topic.values()) {
            topics.add(topic.defaultName());
        }
        topics.add("buddycloud.dead-letters");
        for (String service : Repository.services().keySet()) {
            Properties properties = new Properties();
            properties.load(new java.io.StringReader(Repository.read(Repository.ROOT.resolve(service)
                    .resolve("src/main/resources/application.properties"))));
            String own = properties.getProperty("buddycloud.topics.service-dead-letters");
            if (own != null) {
                topics.add(own);
            }
        }
        return topics;
    }

    private static List<String> problems(List<HasMetadata> documents, boolean strimzi) throws Exception {
        ManifestRules rules = new ManifestRules(documents, OPERATOR_SECRETS);
        List<String> problems = new ArrayList<>(rules.workloads());
        problems.addAll(rules.servicesSelectPods());
        problems.addAll(rules.channelServerReplicas(Repository.resumptionTimeout()));
        for (String service : Repository.services().keySet()) {
            problems.addAll(rules.environment(service, Repository.requiredEnvironment(service)));
        }
        if (strimzi) {
            problems.addAll(rules.topics(topicsTheCodeUses()));
        }
        return problems;
    }

    @Test
    void theProductionOverlayHoldsWhatAnOperatorReliesOn() throws Exception {
        List<HasMetadata> documents = renderProduction();
        assertEquals(List.of(), problems(documents, true));
        Set<String> kinds = new HashSet<>();
        documents.forEach(d -> kinds.add(d.getKind()));
        assertTrue(kinds.containsAll(Set.of("Deployment", "Service", "Ingress", "ConfigMap", "PodDisruptionBudget", "HorizontalPodAutoscaler",
                "NetworkPolicy", "KafkaTopic", "ServiceMonitor")), kinds.toString());
        assertTrue(documents.stream().filter(d -> d instanceof Service).map(d -> (Service) d)
                .anyMatch(s -> "LoadBalancer".equals(s.getSpec().getType()) && s.getSpec().getPorts().get(0).getPort() == 5222), "XMPP from outside");
        assertEquals(2, deployment(documents, "channel-server").getSpec().getReplicas(), "two channel server replicas");
        assertTrue(documents.stream().allMatch(d -> !(d instanceof GenericKubernetesResource)
                || Set.of("KafkaTopic", "ServiceMonitor").contains(d.getKind())), "every other document parsed into its own kind");
        assertTrue(documents.stream().allMatch(d -> "KafkaTopic".equals(d.getKind()) ? "kafka".equals(d.getMetadata().getNamespace())
                : "buddycloud".equals(d.getMetadata().getNamespace())), "the services in theirs, the topics in Strimzi's namespace");
    }

    @Test
    void theLocalOverlayRunsEverythingInTheClusterOnOneReplica() throws Exception {
        List<HasMetadata> documents = render("local");
        assertEquals(List.of(), problems(documents, false));
        assertTrue(documents.stream().filter(d -> d instanceof Deployment).map(d -> (Deployment) d)
                .allMatch(d -> d.getSpec().getReplicas() == 1), "one replica each");
        Set<String> names = new HashSet<>();
        documents.forEach(d -> names.add(d.getKind() + "/" + d.getMetadata().getName()));
        assertTrue(names.containsAll(Set.of("StatefulSet/postgres", "StatefulSet/minio", "StatefulSet/kafka", "Secret/buddycloud-secrets",
                "Job/minio-bucket")), names.toString());
    }

    @Test
    void theChannelServerChecksCatchAFixedReplicaIdNoAffinityAndACertificatePerPod() throws Exception {
        List<HasMetadata> documents = renderProduction();
        Deployment channelServer = deployment(documents, "channel-server");
        var container = channelServer.getSpec().getTemplate().getSpec().getContainers().get(0);
        container.getEnv().removeIf(e -> e.getName().equals("BUDDYCLOUD_CLUSTER_REPLICA_ID"));
        container.getEnv().add(new EnvVar("BUDDYCLOUD_CLUSTER_REPLICA_ID", "channel-server", null));
        container.getEnv().removeIf(e -> e.getName().equals("BUDDYCLOUD_XMPP_TLS_KEY_STORE"));
        Service xmpp = documents.stream().filter(d -> d instanceof Service && d.getMetadata().getName().equals("channel-server-xmpp"))
                .map(d -> (Service) d).findFirst().orElseThrow();
        xmpp.getSpec().setSessionAffinity("None");

        String found = String.join("\n", problems(documents, true));
        assertTrue(found.contains("channel-server: BUDDYCLOUD_CLUSTER_REPLICA_ID is not the pod's name"), found);
        assertTrue(found.contains("Service channel-server-xmpp: XMPP clients without ClientIP session affinity"), found);
        assertTrue(found.contains("Deployment channel-server: 2 replicas would each generate their own XMPP certificate"), found);
        assertEquals(3, found.lines().count(), found);

        xmpp.getSpec().setSessionAffinity("ClientIP");
        xmpp.getSpec().getSessionAffinityConfig().getClientIP().setTimeoutSeconds(60);
        found = String.join("\n", problems(documents, true));
        assertTrue(found.contains("Service channel-server-xmpp: session affinity of 60 s, shorter than the XEP-0198 resumption timeout ("
                + Repository.resumptionTimeout().toSeconds() + " s)"), found);
    }

    private static Deployment deployment(List<HasMetadata> documents, String name) {
        return documents.stream().filter(d -> d instanceof Deployment && d.getMetadata().getName().equals(name)).map(d -> (Deployment) d)
                .findFirst().orElseThrow();
    }

    @Test
    void theChecksCatchAMistakeOfEachKind() throws Exception {
        List<HasMetadata> documents = renderProduction();
        Deployment push = documents.stream().filter(d -> d instanceof Deployment && d.getMetadata().getName().equals("push-server"))
                .map(d -> (Deployment) d).findFirst().orElseThrow();
        var container = push.getSpec().getTemplate().getSpec().getContainers().get(0);
        container.setReadinessProbe(null);
        container.getEnv().removeIf(e -> e.getName().equals("KAFKA_BOOTSTRAP_SERVERS"));
        push.getSpec().getTemplate().getSpec().getSecurityContext().setRunAsNonRoot(false);
        Service media = documents.stream().filter(d -> d instanceof Service && d.getMetadata().getName().equals("media-server"))
                .map(d -> (Service) d).findFirst().orElseThrow();
        media.getSpec().setSelector(Map.of("app.kubernetes.io/name", "media-sever"));
        documents.removeIf(d -> "KafkaTopic".equals(d.getKind()) && d.getMetadata().getName().equals("buddycloud.posts"));

        String found = String.join("\n", problems(documents, true));
        assertTrue(found.contains("Deployment push-server/push-server: missing readiness probe"), found);
        assertTrue(found.contains("push-server: required KAFKA_BOOTSTRAP_SERVERS is not set"), found);
        assertTrue(found.contains("Deployment push-server: the pod does not require a non-root user"), found);
        assertTrue(found.contains("Service media-server selects no pods"), found);
        assertTrue(found.contains("no KafkaTopic for buddycloud.posts"), found);
        assertFalse(found.contains("channel-server"), "only what was broken: " + found);
    }
}
