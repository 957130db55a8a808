package org.buddycloud.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What docker-compose.yml must hold (as parsed, merge keys resolved), as a list of problems: each service's image is
 * built from the one Dockerfile with its name and port, publishes the port ./buddycloud up uses, is given every
 * required variable, and starts after what it needs is healthy (or, for a one-off job, done).
 */
final class ComposeRules {

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
