package org.buddycloud.search.xmpp;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.buddycloud.search.SearchConfig;
import org.buddycloud.search.service.Searches;
import org.buddycloud.search.taste.TasteEngineClient;
import org.buddycloud.xmppkit.component.OptionalComponent;

/**
 * Joins the channel server's domain as the directory ({@code directory.<domain>}, a XEP-0114 component), so that any
 * XMPP client asks it like any other entity. Connects at start when a secret is configured and keeps reconnecting.
 */
@ApplicationScoped
public class DirectoryComponent {

    private final Vertx vertx;
    private final SearchConfig.Xmpp config;
    private final Searches searches;
    private final TasteEngineClient taste;
    private volatile OptionalComponent component;

    DirectoryComponent(Vertx vertx, SearchConfig config, Searches searches, TasteEngineClient taste) {
        this.vertx = vertx;
        this.config = config.xmpp();
        this.searches = searches;
        this.taste = taste;
    }

    void start(@Observes StartupEvent event) {
        component = OptionalComponent.start(vertx, config.host(), config.port(), config.domain(), config.secret(),
                Infrastructure.getDefaultWorkerPool(), new DirectoryIqs(searches, taste).table(), "buddycloud.search.xmpp.secret");
    }

    /** Connected to the channel server (the handshake accepted); false when not configured. */
    public boolean online() {
        return component != null && component.online();
    }

    public boolean configured() {
        return component != null && component.configured();
    }

    void stop(@Observes ShutdownEvent event) {
        if (component != null) {
            component.close();
        }
    }
}
