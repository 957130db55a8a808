package org.buddycloud.channels.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.buddycloud.servicekit.schema.KitSchema;
import org.buddycloud.testsupport.SchemaUpgrade;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A channel database of version 0.1 — whose first migration still created the outbox — takes today's
 * migrations: validation passes (the history takes V1's new checksum), the kit adopts the outbox, and the
 * events waiting in it are kept.
 */
class SchemaUpgradeTest {

    @BeforeEach
    void aServiceThatRelaysEvents() {
        System.setProperty("buddycloud.outbox.enabled", "true");
    }

    @AfterEach
    void forgetIt() {
        System.clearProperty("buddycloud.outbox.enabled");
    }

    @Test
    void aVersion01DatabaseKeepsItsWaitingEvents() throws Exception {
        try (SchemaUpgrade database = SchemaUpgrade.start()) {
            database.migrateAsEarlierVersion("classpath:db/channel-server-0.1");
            database.execute("INSERT INTO outbox (event_id, topic, event_type, subject, source, event_time, data) "
                    + "VALUES ('e1', 'ACCOUNTS', 'org.buddycloud.account.registered', 'juliet@localhost', '//test', now(), '{}')");
            database.upgrade(new KitSchema());
            assertEquals(1, database.count("SELECT count(*) FROM outbox WHERE event_id = 'e1'"), "the waiting event is kept");
            assertEquals(1, database.count("SELECT count(*) FROM kit_outbox_history WHERE version = '1' AND success"));
            // every versioned migration of today ran once (counted from the folder: a new migration needs no change here)
            assertEquals(versionedMigrations(), database.count("SELECT count(*) FROM flyway_schema_history WHERE success AND version IS NOT NULL"));
        }
    }

    private static long versionedMigrations() throws java.io.IOException {
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of("src/main/resources/db/migration"))) {
            return files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql")).count();
        }
    }
}
