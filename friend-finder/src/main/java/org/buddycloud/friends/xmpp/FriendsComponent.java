package org.buddycloud.friends.xmpp;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.buddycloud.friends.FriendsConfig;
import org.buddycloud.friends.service.Lookups;
import org.buddycloud.friends.service.Peppers;
import org.buddycloud.xmppkit.component.OptionalComponent;

/** Joins the channel server's domain as {@code friends.<domain>} (a XEP-0114 component) when a secret is configured. */
@ApplicationScoped
public class FriendsComponent {

    private final Vertx vertx;
    private final FriendsConfig.Xmpp config;
    private final Lookups lookups;
    private final Peppers peppers;
    private volatile OptionalComponent component;

    FriendsComponent(Vertx vertx, FriendsConfig config, Lookups lookups, Peppers peppers) {
        this.vertx = vertx;
        this.config = config.xmpp();
        this.lookups = lookups;
        this.peppers = peppers;
    }

    void start(@Observes StartupEvent event) {
        component = OptionalComponent.start(vertx, config.host(), config.port(), config.domain(), config.secret(),
                Infrastructure.getDefaultWorkerPool(), new FriendsIqs(lookups, peppers).table(), "buddycloud.friends.xmpp.secret");
    }

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
