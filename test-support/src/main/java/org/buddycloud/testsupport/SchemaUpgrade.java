package org.buddycloud.testsupport;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.buddycloud.localstack.PostgresNode;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.callback.Callback;

/**
 * A database as an earlier version left it, upgraded by today's migrations: the earlier scripts (kept as they
 * shipped, in a test location) run first, then today's {@code db/migration} with the given callbacks, validation
 * included — what happens when an operator installs a new version over an old database.
 */
public final class SchemaUpgrade implements AutoCloseable {

    private final Path dataDir;
    private final PostgresNode postgres;
    private final String jdbcUrl;

    private SchemaUpgrade(Path dataDir, PostgresNode postgres) {
        this.dataDir = dataDir;
        this.postgres = postgres;
        this.jdbcUrl = postgres.jdbcUrl("upgrade");
    }

    public static SchemaUpgrade start() {
        Path dataDir = TestDirectories.create("postgres-upgrade-");
        PostgresNode postgres = PostgresNode.start(dataDir, TestDirectories.postgresBinaries(), 0);
        postgres.ensureDatabases(List.of("upgrade"));
        return new SchemaUpgrade(dataDir, postgres);
    }

    /** Migrates with the scripts of an earlier version, found at {@code location} (e.g. {@code classpath:db/media-0.1}). */
    public void migrateAsEarlierVersion(String location) {
        flyway(location).load().migrate();
    }

    /** Migrates with today's scripts and callbacks, validating what the earlier version applied. */
    public void upgrade(Callback... callbacks) {
        flyway("classpath:db/migration").callbacks(callbacks).load().migrate();
    }

    /** Runs statements in the database, e.g. to leave rows the upgrade must keep. */
    public void execute(String... statements) throws SQLException {
        try (Connection db = DriverManager.getConnection(jdbcUrl, PostgresNode.USER, ""); Statement statement = db.createStatement()) {
            for (String sql : statements) {
                statement.executeUpdate(sql);
            }
        }
    }

    /** The number a {@code SELECT count(*) …} answers. */
    public long count(String query) throws SQLException {
        try (Connection db = DriverManager.getConnection(jdbcUrl, PostgresNode.USER, "");
             Statement statement = db.createStatement(); ResultSet rs = statement.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private org.flywaydb.core.api.configuration.FluentConfiguration flyway(String location) {
        return Flyway.configure().dataSource(jdbcUrl, PostgresNode.USER, "").locations(location);
    }

    @Override
    public void close() {
        postgres.close();
        TestDirectories.delete(dataDir);
    }
}
