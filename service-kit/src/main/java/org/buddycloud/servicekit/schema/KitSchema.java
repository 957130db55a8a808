package org.buddycloud.servicekit.schema;

import java.util.List;
import javax.sql.DataSource;
import org.buddycloud.servicekit.events.TransactionalConsumer;
import org.buddycloud.servicekit.outbox.OutboxRelay;
import org.buddycloud.servicekit.readmodel.ChannelReadModel;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.migration.JavaMigration;
import org.flywaydb.core.api.resource.LoadableResource;
import org.jboss.logging.Logger;

/**
 * The tables the service kit owns in a service's database, migrated right after the service's own migrations:
 * a Flyway callback the service names ({@code quarkus.flyway.callbacks=org.buddycloud.servicekit.schema.KitSchema}).
 * Each part the service uses (the outbox when it relays events, the consumer state and the channel read model
 * when it declares the read model) has its own history table, so the kit's versions never mix with the service's.
 */
public class KitSchema implements Callback {

    private static final Logger LOG = Logger.getLogger(KitSchema.class);

    /** A part of the kit's schema, used by a service when its switch is on; its scripts, oldest first. */
    enum Part {
        OUTBOX("outbox", OutboxRelay.ENABLED, "V1__outbox.sql"),
        CONSUMER_STATE("consumer-state", ChannelReadModel.ENABLED + "," + TransactionalConsumer.SCHEMA_ENABLED, "V1__consumer_state.sql"),
        CHANNEL_READ_MODEL("channel-read-model", ChannelReadModel.ENABLED, "V1__channel_read_model.sql", "V2__members_by_jid.sql");

        private final String name;
        /** The switches, any of which makes a service use this part. */
        private final List<String> enabledBy;
        private final List<String> scripts;

        Part(String name, String enabledBy, String... scripts) {
            this.name = name;
            this.enabledBy = List.of(enabledBy.split(","));
            this.scripts = List.of(scripts);
        }

        boolean usedBy(Config config) {
            return enabledBy.stream().anyMatch(key -> config.getOptionalValue(key, Boolean.class).orElse(false));
        }

        JavaMigration[] migrations() {
            return scripts.stream().map(script -> KitMigration.of("/db/kit/" + name + "/" + script)).toArray(JavaMigration[]::new);
        }

        String historyTable() {
            return "kit_" + name.replace('-', '_') + "_history";
        }
    }

    @Override
    public boolean supports(Event event, Context context) {
        return event == Event.AFTER_MIGRATE;
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
        return true;
    }

    @Override
    public void handle(Event event, Context context) {
        migrate(context.getConfiguration().getDataSource(), ConfigProvider.getConfig());
    }

    @Override
    public String getCallbackName() {
        return "service-kit schema";
    }

    static void migrate(DataSource dataSource, Config config) {
        for (Part part : Part.values()) {
            if (part.usedBy(config)) {
                var result = Flyway.configure(Thread.currentThread().getContextClassLoader())
                        .dataSource(dataSource)
                        .table(part.historyTable())
                        // the service's tables are there already: the kit's history starts empty beside them
                        .baselineOnMigrate(true)
                        .baselineVersion("0")
                        .javaMigrations(part.migrations())
                        .resourceProvider(NO_SCRIPTS)
                        .javaMigrationClassProvider(List::of)
                        .skipDefaultCallbacks(true)
                        .load()
                        .migrate();
                if (result.migrationsExecuted > 0) {
                    LOG.infof("service kit schema: %s migrated to version %s", part.name, result.targetSchemaVersion);
                }
            }
        }
    }

    /** Nothing to find by scanning: the kit names its migrations. */
    private static final org.flywaydb.core.api.ResourceProvider NO_SCRIPTS = new org.flywaydb.core.api.ResourceProvider() {
        @Override
        public LoadableResource getResource(String name) {
            return null;
        }

        @Override
        public java.util.Collection<LoadableResource> getResources(String prefix, String[] suffixes) {
            return List.of();
        }
    };
}
