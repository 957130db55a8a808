package org.buddycloud.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a rendered overlay must hold, as a list of problems (empty: fine). Workloads: probes, resources, non-root.
 * Services' configuration: every required variable set, directly or from a ConfigMap or Secret that exists (or
 * that the operator is documented to create). Services select pods that exist. Topics: a KafkaTopic for every topic
 * the code uses, where the overlay uses Strimzi. The channel server's replicas: each names itself, a client stays on
 * one, and several serve one certificate.
 */
final class ManifestRules {

    private final List<HasMetadata> documents;
    private final Set<String> operatorSecrets;

    /** {@code operatorSecrets}: Secrets the overlay expects the operator to create before applying it. */
    ManifestRules(List<HasMetadata> documents, Set<String> operatorSecrets) {
        this.documents = documents;
        this.operatorSecrets = operatorSecrets;
    }

    List<String> workloads() {
        List<String> problems = new ArrayList<>();
        for (HasMetadata document : documents) {
            PodTemplateSpec template = template(document);
            if (template == null) {
                continue;
            }
            String name = document.getKind() + " " + document.getMetadata().getName();
            boolean service = "service".equals(template.getMetadata().getLabels().get("app.kubernetes.io/component"));
            var security = template.getSpec().getSecurityContext();
            if (security == null || !Boolean.TRUE.equals(security.getRunAsNonRoot())) {
                problems.add(name + ": the pod does not require a non-root user (securityContext.runAsNonRoot)");
            }
            for (Container c : template.getSpec().getContainers()) {
                if (c.getReadinessProbe() == null || c.getLivenessProbe() == null || service && c.getStartupProbe() == null) {
                    problems.add(name + "/" + c.getName() + ": missing " + (c.getReadinessProbe() == null ? "readiness" : c.getLivenessProbe() == null ? "liveness" : "startup") + " probe");
                }
                if (service && !java.util.stream.Stream.of(c.getReadinessProbe(), c.getLivenessProbe(), c.getStartupProbe()).filter(Objects::nonNull)
                        .allMatch(p -> p.getHttpGet() != null && p.getHttpGet().getPath().startsWith("/q/health"))) {
                    problems.add(name + "/" + c.getName() + ": probes must ask /q/health");
                }
                if (c.getResources() == null || c.getResources().getRequests() == null || c.getResources().getLimits() == null
                        || !c.getResources().getLimits().containsKey("memory")) {
                    problems.add(name + "/" + c.getName() + ": resources need requests and a memory limit");
                }
            }
        }
        return problems;
    }

    /** Every variable of {@code required} is set on the container of {@code workload}, from something that exists. */
    List<String> environment(String workload, Set<String> required) {
        HasMetadata document = documents.stream().filter(d -> template(d) != null && d.getMetadata().getName().equals(workload))
                .findFirst().orElse(null);
        if (document == null) {
            return List.of("no workload " + workload);
        }
        List<String> problems = new ArrayList<>();
        Set<String> set = new HashSet<>();
        for (Container c : template(document).getSpec().getContainers()) {
            for (EnvVar env : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
                String missing = source(env);
                if (missing != null) {
                    problems.add(workload + ": " + env.getName() + " comes from " + missing + ", which does not exist");
                } else {
                    set.add(env.getName());
                }
            }
            for (EnvFromSource from : c.getEnvFrom() == null ? List.<EnvFromSource>of() : c.getEnvFrom()) {
                if (from.getConfigMapRef() != null) {
                    configMap(from.getConfigMapRef().getName()).ifPresent(map -> set.addAll(map.getData().keySet()));
                }
            }
        }
        for (String name : required) {
            if (!set.contains(name)) {
                problems.add(workload + ": required " + name + " is not set");
            }
        }
        return problems;
    }

    /** Every Service selects the pods of some workload. */
    List<String> servicesSelectPods() {
        List<String> problems = new ArrayList<>();
        for (HasMetadata document : documents) {
            if (document instanceof Service service && service.getSpec().getSelector() != null) {
                Map<String, String> selector = service.getSpec().getSelector();
                boolean found = documents.stream().map(ManifestRules::template).filter(Objects::nonNull)
                        .anyMatch(t -> t.getMetadata().getLabels().entrySet().containsAll(selector.entrySet()));
                if (!found) {
                    problems.add("Service " + service.getMetadata().getName() + " selects no pods: " + selector);
                }
            }
        }
        return problems;
    }

    /**
     * The channel server as replicas of one domain: the replica id, unique among them, is the pod's name; a Service
     * that takes XMPP clients keeps each client address on one replica for longer than {@code resumptionTimeout}
     * (XEP-0198 resumes a session only on the replica that holds it); and where more than one replica runs, they
     * serve one XMPP certificate from a mounted key store instead of each generating its own.
     */
    List<String> channelServerReplicas(Duration resumptionTimeout) {
        Deployment deployment = documents.stream().filter(d -> d instanceof Deployment && d.getMetadata().getName().equals("channel-server"))
                .map(d -> (Deployment) d).findFirst().orElse(null);
        if (deployment == null) {
            return List.of("no Deployment channel-server");
        }
        List<String> problems = new ArrayList<>();
        PodTemplateSpec template = deployment.getSpec().getTemplate();
        Container container = template.getSpec().getContainers().stream().filter(c -> c.getName().equals("channel-server")).findFirst()
                .orElse(template.getSpec().getContainers().get(0));
        List<EnvVar> env = container.getEnv() == null ? List.of() : container.getEnv();
        EnvVar replicaId = env.stream().filter(e -> e.getName().equals("BUDDYCLOUD_CLUSTER_REPLICA_ID")).findFirst().orElse(null);
        if (replicaId == null || replicaId.getValueFrom() == null || replicaId.getValueFrom().getFieldRef() == null
                || !"metadata.name".equals(replicaId.getValueFrom().getFieldRef().getFieldPath())) {
            problems.add("channel-server: BUDDYCLOUD_CLUSTER_REPLICA_ID is not the pod's name (valueFrom.fieldRef metadata.name)");
        }
        for (HasMetadata document : documents) {
            if (document instanceof Service service && service.getSpec().getSelector() != null
                    && template.getMetadata().getLabels().entrySet().containsAll(service.getSpec().getSelector().entrySet())
                    && service.getSpec().getPorts().stream().anyMatch(ManifestRules::xmppClients)) {
                var config = service.getSpec().getSessionAffinityConfig();
                Integer timeout = config == null || config.getClientIP() == null ? null : config.getClientIP().getTimeoutSeconds();
                // unset: Kubernetes' default for ClientIP affinity, 10800 s
                long seconds = timeout == null ? 10800 : timeout;
                if (!"ClientIP".equals(service.getSpec().getSessionAffinity())) {
                    problems.add("Service " + service.getMetadata().getName() + ": XMPP clients without ClientIP session affinity");
                } else if (seconds < resumptionTimeout.toSeconds()) {
                    problems.add("Service " + service.getMetadata().getName() + ": session affinity of " + seconds
                            + " s, shorter than the XEP-0198 resumption timeout (" + resumptionTimeout.toSeconds() + " s)");
                }
            }
        }
        int replicas = deployment.getSpec().getReplicas() == null ? 1 : deployment.getSpec().getReplicas();
        if (replicas > 1 && !mountedKeyStore(template, container, env)) {
            problems.add("Deployment channel-server: " + replicas + " replicas would each generate their own XMPP certificate"
                    + " (BUDDYCLOUD_XMPP_TLS_KEY_STORE must name a key store mounted from a Secret)");
        }
        return problems;
    }

    /** The port XMPP clients connect to (c2s), by number or by the container port's name. */
    private static boolean xmppClients(ServicePort port) {
        return port.getPort() == 5222 || port.getTargetPort() != null && "xmpp".equals(port.getTargetPort().getStrVal());
    }

    /** BUDDYCLOUD_XMPP_TLS_KEY_STORE is set and lies in a volume mounted from a Secret: the same file in every pod. */
    private static boolean mountedKeyStore(PodTemplateSpec template, Container container, List<EnvVar> env) {
        String path = env.stream().filter(e -> e.getName().equals("BUDDYCLOUD_XMPP_TLS_KEY_STORE")).map(EnvVar::getValue)
                .filter(Objects::nonNull).findFirst().orElse(null);
        if (path == null || container.getVolumeMounts() == null || template.getSpec().getVolumes() == null) {
            return false;
        }
        for (VolumeMount mount : container.getVolumeMounts()) {
            String directory = mount.getMountPath().endsWith("/") ? mount.getMountPath() : mount.getMountPath() + "/";
            if (path.startsWith(directory) && template.getSpec().getVolumes().stream()
                    .anyMatch(v -> v.getName().equals(mount.getName()) && v.getSecret() != null)) {
                return true;
            }
        }
        return false;
    }

    /** A KafkaTopic (Strimzi) for each of {@code topics}. */
    List<String> topics(Set<String> topics) {
        Set<String> declared = new HashSet<>();
        for (HasMetadata document : documents) {
            if ("KafkaTopic".equals(document.getKind()) && document instanceof GenericKubernetesResource topic) {
                Object spec = topic.getAdditionalProperties().get("spec");
                if (spec instanceof Map<?, ?> map && map.get("topicName") != null && map.get("partitions") != null) {
                    declared.add(map.get("topicName").toString());
                }
            }
        }
        List<String> problems = new ArrayList<>();
        topics.stream().filter(t -> !declared.contains(t)).sorted().forEach(t -> problems.add("no KafkaTopic for " + t));
        return problems;
    }

    /** Null when the variable's value exists; else what is missing. */
    private String source(EnvVar env) {
        if (env.getValueFrom() == null) {
            return env.getValue() == null ? "nothing" : null;
        }
        var configKey = env.getValueFrom().getConfigMapKeyRef();
        if (configKey != null) {
            var map = configMap(configKey.getName());
            if (map.isEmpty()) {
                return "ConfigMap " + configKey.getName();
            }
            return map.get().getData().containsKey(configKey.getKey()) ? null : "key " + configKey.getKey() + " of ConfigMap " + configKey.getName();
        }
        var secretKey = env.getValueFrom().getSecretKeyRef();
        if (secretKey != null) {
            if (operatorSecrets.contains(secretKey.getName())) {
                return null;
            }
            var secret = documents.stream().filter(d -> d instanceof Secret && d.getMetadata().getName().equals(secretKey.getName()))
                    .map(d -> (Secret) d).findFirst();
            if (secret.isEmpty()) {
                return "Secret " + secretKey.getName();
            }
            Secret s = secret.get();
            boolean has = s.getData() != null && s.getData().containsKey(secretKey.getKey())
                    || s.getStringData() != null && s.getStringData().containsKey(secretKey.getKey());
            return has ? null : "key " + secretKey.getKey() + " of Secret " + secretKey.getName();
        }
        return null;
    }

    private java.util.Optional<ConfigMap> configMap(String name) {
        return documents.stream().filter(d -> d instanceof ConfigMap && d.getMetadata().getName().equals(name)).map(d -> (ConfigMap) d)
                .findFirst();
    }

    private static PodTemplateSpec template(HasMetadata document) {
        if (document instanceof Deployment d) {
            return d.getSpec().getTemplate();
        }
        if (document instanceof StatefulSet s) {
            return s.getSpec().getTemplate();
        }
        return null;
    }
}
