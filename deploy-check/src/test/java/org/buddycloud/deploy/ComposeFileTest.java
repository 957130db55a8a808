package org.buddycloud.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** docker-compose.yml, read as Docker Compose reads it (YAML merge keys resolved), holds the whole stack. */
class ComposeFileTest {

    private static Map<String, Object> compose() {
        return new Yaml().load(Repository.read(Repository.ROOT.resolve("docker-compose.yml")));
    }

    private static List<String> problems(Map<String, Object> compose) {
        ComposeRules rules = new ComposeRules(compose);
        List<String> problems = new ArrayList<>();
        Repository.services().forEach((service, port) -> problems.addAll(rules.service(service, port, Repository.requiredEnvironment(service))));
        return problems;
    }

    @Test
    void everyServiceIsBuiltConfiguredAndStartedInOrder() {
        Map<String, Object> compose = compose();
        assertEquals(List.of(), problems(compose));
        @SuppressWarnings("unchecked")
        Map<String, Object> services = (Map<String, Object>) compose.get("services");
        assertTrue(services.keySet().containsAll(List.of("kafka", "postgres", "minio", "minio-bucket", "elasticsearch")), services.keySet().toString());
        assertTrue(Repository.read(Repository.ROOT.resolve("deploy/compose/postgres-init.sql")).contains("CREATE DATABASE push"),
                "each service's database is created");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theChecksCatchAMissingVariableAndAnUnconditionalDependency() {
        Map<String, Object> compose = compose();
        Map<String, Object> services = (Map<String, Object>) compose.get("services");
        ((Map<String, Object>) ((Map<String, Object>) services.get("media-server")).get("environment")).remove("BUDDYCLOUD_S3_ENDPOINT");
        // a copy: the services share their depends_on through a YAML anchor
        Map<String, Object> push = (Map<String, Object>) services.get("push-server");
        Map<String, Object> dependsOn = new java.util.LinkedHashMap<>((Map<String, Object>) push.get("depends_on"));
        dependsOn.put("kafka", Map.of());
        push.put("depends_on", dependsOn);
        ((Map<String, Object>) services.get("taste-engine")).put("ports", List.of("18085:8085"));
        String found = String.join("\n", problems(compose));
        assertTrue(found.contains("media-server: required BUDDYCLOUD_S3_ENDPOINT is not set"), found);
        assertTrue(found.contains("push-server: depends on kafka without a health condition"), found);
        assertTrue(found.contains("taste-engine: does not publish 8085"), found);
        assertEquals(3, found.lines().count(), found);
    }
}
