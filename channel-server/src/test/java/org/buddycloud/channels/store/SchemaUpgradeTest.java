package org.buddycloud.channels.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
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
            assertEquals(migrations(), database.count("SELECT count(*) FROM flyway_schema_history WHERE success AND version IS NOT NULL"),
                    "every migration of this build applied");
        }
    }

    /** The versioned migrations of this build, counted rather than written down, so that a new one needs no change here. */
    private static long migrations() throws Exception {
        Path directory = Path.of(SchemaUpgradeTest.class.getClassLoader().getResource("db/migration").toURI());
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.getFileName().toString().matches("V\\d+__.+\\.sql")).count();
        }
    }
}
