package org.buddycloud.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.buddycloud.localstack.PostgresNode;

/** A real PostgreSQL for the service under test, with a fresh cluster in a scratch folder (a container in -Pcontainers). */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    static final String DATABASE = "buddycloud";

    private Path dataDir;
    private PostgresNode postgres;
    private org.testcontainers.postgresql.PostgreSQLContainer container;

    @Override
    public Map<String, String> start() {
        if (Containers.requested()) {
            container = Containers.postgres(DATABASE);
            return Map.of("quarkus.datasource.jdbc.url", container.getJdbcUrl(), "quarkus.datasource.username", container.getUsername(),
                    "quarkus.datasource.password", container.getPassword());
        }
        dataDir = TestDirectories.create("postgres-");
        postgres = PostgresNode.start(dataDir, TestDirectories.postgresBinaries(), 0);
        postgres.ensureDatabases(List.of(DATABASE));
        return Map.of(
                "quarkus.datasource.jdbc.url", postgres.jdbcUrl(DATABASE),
                "quarkus.datasource.username", PostgresNode.USER,
                "quarkus.datasource.password", "");
    }

    @Override
    public void stop() {
        Containers.stop(container);
        if (postgres != null) {
            postgres.close();
        }
        TestDirectories.delete(dataDir);
    }
}
