package org.buddycloud.media.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.buddycloud.servicekit.schema.KitSchema;
import org.buddycloud.testsupport.SchemaUpgrade;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A media database of version 0.1 — with the read model's tables (V1) and the outbox (V4) among its own —
 * takes today's migrations: validation passes, the kit adopts the tables and what they hold, and the old
 * positions table goes (the model is applied again from the start, which leaves it as it was).
 */
class SchemaUpgradeTest {

    @BeforeEach
    void aServiceWithOutboxAndReadModel() {
        System.setProperty("buddycloud.outbox.enabled", "true");
        System.setProperty("buddycloud.channel-read-model.enabled", "true");
    }

    @AfterEach
    void forgetIt() {
        System.clearProperty("buddycloud.outbox.enabled");
        System.clearProperty("buddycloud.channel-read-model.enabled");
    }

    @Test
    void aVersion01DatabaseKeepsItsReadModelAndWaitingEvents() throws Exception {
        try (SchemaUpgrade database = SchemaUpgrade.start()) {
            database.migrateAsEarlierVersion("classpath:db/media-0.1");
            database.execute("INSERT INTO channel_access VALUES ('juliet@localhost', 'AUTHORIZE', now())",
                    "INSERT INTO channel_members VALUES ('juliet@localhost', 'romeo@localhost', 'OUTCAST', 'NONE')",
                    "INSERT INTO outbox (event_id, topic, event_type, subject, source, event_time, data) "
                    + "VALUES ('e1', 'MEDIA', 'org.buddycloud.media.stored', 'juliet@localhost', '//test', now(), '{}')");
            database.upgrade(new KitSchema());
            assertEquals(1, database.count("SELECT count(*) FROM channel_members WHERE affiliation = 'OUTCAST'"), "the ban is kept");
            assertEquals(1, database.count("SELECT count(*) FROM outbox"), "the waiting event is kept");
            assertEquals(0, database.count("SELECT count(*) FROM consumer_positions"));
            assertEquals(0, database.count("SELECT count(*) FROM pg_tables WHERE tablename = 'event_positions'"));
            assertEquals(1, database.count("SELECT count(*) FROM kit_channel_read_model_history WHERE version = '1' AND success"));
        }
    }
}
