package org.buddycloud.xmppkit.component;

import io.vertx.core.Vertx;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.jboss.logging.Logger;

/**
 * A service's face on XMPP as a XEP-0114 component of the channel server (the directory, the friend finder): it
 * joins the domain when a secret is configured, and keeps reconnecting; without one it is off and says so once.
 */
public final class OptionalComponent implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(OptionalComponent.class);

    private final ComponentConnection connection;

    private OptionalComponent(ComponentConnection connection) {
        this.connection = connection;
    }

    /** Connects as {@code domain} to the channel server's component port if there is a secret; off otherwise. */
    public static OptionalComponent start(Vertx vertx, String host, int port, String domain, Optional<String> secret,
                                          Executor workers, IqTable table, String secretKey) {
        Optional<String> given = secret.filter(s -> !s.isBlank());
        if (given.isEmpty()) {
            LOG.infof("%s is not on XMPP: no %s", domain, secretKey);
            return new OptionalComponent(null);
        }
        ComponentConnection connection = new ComponentConnection(vertx, ComponentSettings.of(host, port, domain, given.get()), workers, table);
        connection.start();
        return new OptionalComponent(connection);
    }

    /** Connected to the channel server (the handshake accepted); false when off. */
    public boolean online() {
        return connection != null && connection.online();
    }

    public boolean configured() {
        return connection != null;
    }

    @Override
    public void close() {
        if (connection != null) {
            connection.close();
        }
    }
}
