package org.buddycloud.deploy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What docker-compose.yml must hold (as parsed, merge keys resolved), as a list of problems: each service's image is
 * built from the one Dockerfile with its name and port, publishes the port ./buddycloud up uses, is given every
 * required variable, and starts after what it needs is healthy (or, for a one-off job, done). A replica of the channel
 * server is the same service under another replica id and other host ports.
 */
final class ComposeRules {

    private static final String REPLICA_ID = "BUDDYCLOUD_CLUSTER_REPLICA_ID";

    private final Map<String, Object> services;

    @SuppressWarnings("unchecked")
    ComposeRules(Map<String, Object> compose) {
        this.services = (Map<String, Object>) compose.get("services");
    }

    List<String> service(String name, int port, Set<String> required) {
        List<String> problems = new ArrayList<>();
        Map<String, Object> service = map(services.get(name));
        if (service == null) {
            return List.of("no service " + name);
        }
        Map<String, Object> build = map(service.get("build"));
        Map<String, Object> args = build == null ? null : map(build.get("args"));
        if (build == null || !"deploy/docker/Dockerfile".equals(build.get("dockerfile")) || args == null
                || !name.equals(args.get("SERVICE")) || !String.valueOf(port).equals(String.valueOf(args.get("PORT")))) {
            problems.add(name + ": not built from deploy/docker/Dockerfile with SERVICE=" + name + " and PORT=" + port);
        }
        Object ports = service.get("ports");
        if (!(ports instanceof List<?> list) || !list.contains(port + ":" + port)) {
            problems.add(name + ": does not publish " + port + " as ./buddycloud up does");
        }
        Map<String, Object> environment = map(service.get("environment"));
        for (String variable : required) {
            if (environment == null || environment.get(variable) == null || environment.get(variable).toString().isBlank()) {
                problems.add(name + ": required " + variable + " is not set");
            }
        }
        problems.addAll(startOrder(name));
        return problems;
    }

    /**
     * {@code replica} is another replica of the channel server {@code primary}: the same image built the same way, the
     * same configuration but for a replica id of its own, the same data volumes (so one generated XMPP certificate),
     * the same container ports on host ports no other service publishes, and it starts once {@code primary} is healthy
     * (its key store then exists, its database is migrated). No other service talks to it: they keep the name of
     * {@code primary}, which Compose's DNS resolves to that one container.
     */
    List<String> replica(String replica, String primary) {
        Map<String, Object> service = map(services.get(replica));
        Map<String, Object> first = map(services.get(primary));
        if (service == null || first == null) {
            return List.of("no services " + primary + " and " + replica);
        }
        List<String> problems = new ArrayList<>();
        if (!Objects.equals(service.get("image"), first.get("image")) || !Objects.equals(service.get("build"), first.get("build"))) {
            problems.add(replica + ": not the image of " + primary + ", built the same way");
        }
        Map<String, Object> environment = map(service.get("environment"));
        Map<String, Object> primaryEnvironment = map(first.get("environment"));
        Object id = environment == null ? null : environment.get(REPLICA_ID);
        Object primaryId = primaryEnvironment == null ? null : primaryEnvironment.get(REPLICA_ID);
        if (id == null || primaryId == null || id.toString().isBlank() || id.equals(primaryId)) {
            problems.add(replica + ": " + REPLICA_ID + " is not set on both, or not unique (" + primary + ": " + primaryId + ", " + replica + ": " + id + ")");
        }
        if (environment != null && primaryEnvironment != null) {
            Set<String> keys = new HashSet<>(environment.keySet());
            keys.addAll(primaryEnvironment.keySet());
            keys.remove(REPLICA_ID);
            keys.stream().filter(k -> !Objects.equals(environment.get(k), primaryEnvironment.get(k))).sorted()
                    .forEach(k -> problems.add(replica + ": " + k + " differs from " + primary + "'s"));
        }
        if (!Objects.equals(service.get("volumes"), first.get("volumes"))) {
            problems.add(replica + ": does not mount the volumes of " + primary + " (its generated XMPP certificate)");
        }
        List<String> ports = strings(service.get("ports"));
        if (!containerPorts(ports).equals(containerPorts(strings(first.get("ports"))))) {
            problems.add(replica + ": does not publish the container ports of " + primary);
        }
        services.forEach((name, other) -> {
            if (!name.equals(replica)) {
                Set<String> shared = hostPorts(ports);
                shared.retainAll(hostPorts(strings(map(other).get("ports"))));
                if (!shared.isEmpty()) {
                    problems.add(replica + ": publishes host port " + shared + " as " + name + " does");
                }
                Map<String, Object> otherEnvironment = map(map(other).get("environment"));
                if (otherEnvironment != null && otherEnvironment.values().stream().anyMatch(v -> String.valueOf(v).contains("//" + replica + ":"))) {
                    problems.add(name + ": talks to " + replica + " instead of " + primary);
                }
            }
        });
        Map<String, Object> dependsOn = map(service.get("depends_on"));
        Map<String, Object> onPrimary = dependsOn == null ? null : map(dependsOn.get(primary));
        if (onPrimary == null || !"service_healthy".equals(onPrimary.get("condition"))) {
            problems.add(replica + ": starts before " + primary + " is healthy (its XMPP key store may not exist yet)");
        }
        problems.addAll(startOrder(replica));
        return problems;
    }

    private static List<String> strings(Object list) {
        return list instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
    }

    /** "8181:8081" → 8081 */
    private static Set<String> containerPorts(List<String> ports) {
        Set<String> container = new HashSet<>();
        ports.forEach(p -> container.add(p.substring(p.lastIndexOf(':') + 1)));
        return container;
    }

    /** "8181:8081" → 8181 (an address before it kept) */
    private static Set<String> hostPorts(List<String> ports) {
        Set<String> host = new HashSet<>();
        ports.stream().filter(p -> p.contains(":")).forEach(p -> host.add(p.substring(0, p.lastIndexOf(':'))));
        return host;
    }

    /** Every dependency has a condition, and a service_healthy one has something to report health. */
    List<String> startOrder(String name) {
        List<String> problems = new ArrayList<>();
        Map<String, Object> dependsOn = map(map(services.get(name)).get("depends_on"));
        if (dependsOn == null) {
            return List.of(name + ": starts with nothing to wait for");
        }
        dependsOn.forEach((dependency, how) -> {
            Object condition = map(how) == null ? null : map(how).get("condition");
            Map<String, Object> target = map(services.get(dependency));
            if (target == null) {
                problems.add(name + ": depends on " + dependency + ", which is not a service");
            } else if ("service_healthy".equals(condition)) {
                if (target.get("healthcheck") == null && target.get("build") == null) {
                    problems.add(name + ": waits for " + dependency + " to be healthy, but it has no health check");
                }
            } else if (!"service_completed_successfully".equals(condition)) {
                problems.add(name + ": depends on " + dependency + " without a health condition");
            }
        });
        return problems;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> ? (Map<String, Object>) value : null;
    }
}
