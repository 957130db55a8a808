package org.buddycloud.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresNodeTest {

    @TempDir
    Path dataDir;

    @Test
    void keepsDataAcrossARestart() throws SQLException {
        Path binaries = Path.of(System.getProperty("java.io.tmpdir"), "buddycloud-postgres-binaries");
        String url;
        try (PostgresNode postgres = PostgresNode.start(dataDir, binaries, 0)) {
            postgres.ensureDatabases(List.of("restart_test", "restart_test"));
            url = postgres.jdbcUrl("restart_test");
            try (Connection c = DriverManager.getConnection(url, PostgresNode.USER, ""); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE kept (v text)");
                s.execute("INSERT INTO kept VALUES ('before restart')");
            }
        }
        try (PostgresNode postgres = PostgresNode.start(dataDir, binaries, 0)) {
            postgres.ensureDatabases(List.of("restart_test"));
            try (Connection c = DriverManager.getConnection(postgres.jdbcUrl("restart_test"), PostgresNode.USER, "");
                 Statement s = c.createStatement(); ResultSet rows = s.executeQuery("SELECT v FROM kept")) {
                rows.next();
                assertEquals("before restart", rows.getString(1));
            }
            assertThrows(IllegalArgumentException.class, () -> postgres.ensureDatabases(List.of("bad; DROP")));
        }
    }
}
