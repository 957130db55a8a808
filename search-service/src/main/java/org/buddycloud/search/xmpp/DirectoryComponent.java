package org.buddycloud.search.xmpp;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import org.buddycloud.search.SearchConfig;
import org.buddycloud.search.service.Searches;
import org.buddycloud.search.taste.TasteEngineClient;
import org.buddycloud.xmppkit.component.ComponentConnection;
import org.buddycloud.xmppkit.component.ComponentSettings;
import org.jboss.logging.Logger;

/**
 * Joins the channel server's domain as the directory ({@code directory.<domain>}, a XEP-0114 component), so that any
 * XMPP client asks it like any other entity. Connects at start when a secret is configured and keeps reconnecting.
 */
@ApplicationScoped
public class DirectoryComponent {

    private static final Logger LOG = Logger.getLogger(DirectoryComponent.class);

    private final Vertx vertx;
    private final SearchConfig.Xmpp config;
    private final Searches searches;
    private final TasteEngineClient taste;
    private ComponentConnection connection;

    DirectoryComponent(Vertx vertx, SearchConfig config, Searches searches, TasteEngineClient taste) {
        this.vertx = vertx;
        this.config = config.xmpp();
        this.searches = searches;
        this.taste = taste;
    }

    void start(@Observes StartupEvent event) {
        Optional<String> secret = config.secret().filter(s -> !s.isBlank());
        if (secret.isEmpty()) {
            LOG.infof("the directory is not on XMPP: no buddycloud.search.xmpp.secret for %s", config.domain());
            return;
        }
        connection = new ComponentConnection(vertx, ComponentSettings.of(config.host(), config.port(), config.domain(), secret.get()),
                Infrastructure.getDefaultWorkerPool(), new DirectoryIqs(searches, taste).table());
        connection.start();
    }

    /** Connected to the channel server (the handshake accepted); false when not configured. */
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
