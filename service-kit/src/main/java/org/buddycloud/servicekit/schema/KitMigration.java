package org.buddycloud.servicekit.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Statement;
import java.util.zip.CRC32;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * One SQL script of the kit, named explicitly rather than found by scanning the class path (which would also
 * find the service's own migrations). Its checksum is the script's, so that a changed script is noticed.
 */
final class KitMigration implements JavaMigration {

    private final MigrationVersion version;
    private final String description;
    private final String resource;
    private final String script;

    /** The migration of a script named as Flyway names them, {@code V<version>__<description>.sql}. */
    static KitMigration of(String resource) {
        String name = resource.substring(resource.lastIndexOf('/') + 1, resource.length() - ".sql".length());
        int separator = name.indexOf("__");
        return new KitMigration(name.substring(1, separator), name.substring(separator + 2).replace('_', ' '), resource);
    }

    private KitMigration(String version, String description, String resource) {
        this.version = MigrationVersion.fromVersion(version);
        this.description = description;
        this.resource = resource;
        this.script = read(resource);
    }

    @Override
    public MigrationVersion getVersion() {
        return version;
    }

    @Override
    public String getDescription() {
        return description;
    }

    @Override
    public Integer getChecksum() {
        CRC32 crc = new CRC32();
        crc.update(script.getBytes(StandardCharsets.UTF_8));
        return (int) crc.getValue();
    }

    @Override
    public boolean canExecuteInTransaction() {
        return true;
    }

    @Override
    public void migrate(Context context) throws Exception {
        try (Statement statement = context.getConnection().createStatement()) {
            statement.execute(script);
        }
    }

    @Override
    public String toString() {
        return resource;
    }

    private static String read(String resource) {
        try (InputStream in = KitMigration.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the service kit lacks its migration " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
