package org.buddycloud.media.events;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.time.Clock;
import javax.sql.DataSource;
import org.buddycloud.contracts.events.EventCodec;
import org.buddycloud.contracts.events.EventOutbox;
import org.buddycloud.servicekit.jdbc.Sql;
import org.buddycloud.servicekit.outbox.JdbcEventOutbox;
import org.buddycloud.servicekit.outbox.OutboxRelay;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The media events ({@code buddycloud.media}) leave through an outbox in the media database. */
@ApplicationScoped
class MediaOutbox {

    @Produces
    @Singleton
    EventOutbox outbox(DataSource dataSource, @ConfigProperty(name = "buddycloud.domain") String domain, Clock clock,
                       TransactionSynchronizationRegistry transactions, OutboxRelay relay) {
        return new JdbcEventOutbox(new Sql(dataSource), new EventCodec(), "//buddycloud/media-server/" + domain, clock,
                transactions, event -> { }, relay::wake);
    }
}
