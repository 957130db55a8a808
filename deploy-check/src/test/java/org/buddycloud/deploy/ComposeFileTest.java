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
    void theChannelServerRunsAsASecondReplicaOnRequest() {
        Map<String, Object> compose = compose();
        assertEquals(List.of(), new ComposeRules(compose).replica("channel-server-2", "channel-server"));
        Map<String, Object> services = (Map<String, Object>) compose.get("services");
        Map<String, Object> replica = (Map<String, Object>) services.get("channel-server-2");
        assertEquals(List.of("replicas"), replica.get("profiles"), "a second replica with --profile replicas");
        assertEquals("replica-2", ((Map<String, Object>) replica.get("environment")).get("BUDDYCLOUD_CLUSTER_REPLICA_ID"));
        assertEquals(List.of("8181:8081", "5232:5222", "5279:5269"), replica.get("ports"), "the ports of ./buddycloud up --replicas 2");
        assertEquals("http://channel-server:8081",
                ((Map<String, Object>) ((Map<String, Object>) services.get("api-gateway")).get("environment")).get("BUDDYCLOUD_GATEWAY_UPSTREAM_CHANNEL_SERVER"),
                "the gateway's upstream stays replica 1");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theReplicaChecksCatchASharedIdAHostPortTakenAndAnEarlyStart() {
        Map<String, Object> compose = compose();
        Map<String, Object> services = (Map<String, Object>) compose.get("services");
        Map<String, Object> replica = (Map<String, Object>) services.get("channel-server-2");
        Map<String, Object> environment = new java.util.LinkedHashMap<>((Map<String, Object>) replica.get("environment"));
        environment.put("BUDDYCLOUD_CLUSTER_REPLICA_ID", "replica-1");
        environment.put("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://postgres:5432/other");
        replica.put("environment", environment);
        replica.put("ports", List.of("8181:8081", "5222:5222", "5279:5269"));
        Map<String, Object> dependsOn = new java.util.LinkedHashMap<>((Map<String, Object>) replica.get("depends_on"));
        dependsOn.remove("channel-server");
        replica.put("depends_on", dependsOn);
        replica.put("volumes", List.of("channel-server-2-data:/deployments/data"));
        String found = String.join("\n", new ComposeRules(compose).replica("channel-server-2", "channel-server"));
        assertTrue(found.contains("channel-server-2: BUDDYCLOUD_CLUSTER_REPLICA_ID is not set on both, or not unique"), found);
        assertTrue(found.contains("channel-server-2: QUARKUS_DATASOURCE_JDBC_URL differs from channel-server's"), found);
        assertTrue(found.contains("channel-server-2: publishes host port [5222] as channel-server does"), found);
        assertTrue(found.contains("channel-server-2: starts before channel-server is healthy"), found);
        assertTrue(found.contains("channel-server-2: does not mount the volumes of channel-server"), found);
        assertEquals(5, found.lines().count(), found);
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
