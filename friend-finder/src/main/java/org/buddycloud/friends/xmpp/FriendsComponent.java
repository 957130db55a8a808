package org.buddycloud.friends.xmpp;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import org.buddycloud.friends.FriendsConfig;
import org.buddycloud.friends.service.Lookups;
import org.buddycloud.friends.service.Peppers;
import org.buddycloud.xmppkit.component.ComponentConnection;
import org.buddycloud.xmppkit.component.ComponentSettings;
import org.jboss.logging.Logger;

/**
 * Joins the channel server's domain as {@code friends.<domain>} (a XEP-0114 component), so that XMPP clients ask it
 * like any other entity. Connects at start when a secret is configured and keeps reconnecting.
 */
@ApplicationScoped
public class FriendsComponent {

    private static final Logger LOG = Logger.getLogger(FriendsComponent.class);

    private final Vertx vertx;
    private final FriendsConfig.Xmpp config;
    private final Lookups lookups;
    private final Peppers peppers;
    private ComponentConnection connection;

    FriendsComponent(Vertx vertx, FriendsConfig config, Lookups lookups, Peppers peppers) {
        this.vertx = vertx;
        this.config = config.xmpp();
        this.lookups = lookups;
        this.peppers = peppers;
    }

    void start(@Observes StartupEvent event) {
        Optional<String> secret = config.secret().filter(s -> !s.isBlank());
        if (secret.isEmpty()) {
            LOG.infof("the friend finder is not on XMPP: no buddycloud.friends.xmpp.secret for %s", config.domain());
            return;
        }
        connection = new ComponentConnection(vertx, ComponentSettings.of(config.host(), config.port(), config.domain(), secret.get()),
                Infrastructure.getDefaultWorkerPool(), new FriendsIqs(lookups, peppers).table());
        connection.start();
    }

    public boolean online() {
        return connection != null && connection.online();
    }

    public boolean configured() {
        return connection != null;
    }

    void stop(@Observes ShutdownEvent event) {
        if (connection != null) {
            connection.close();
        }
    }
}
