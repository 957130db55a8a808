package org.buddycloud.channels.xmpp.cluster;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;
import org.buddycloud.servicekit.jdbc.Sql;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.postgresql.Driver;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Stanzas and answers from one replica to another, over PostgreSQL {@code LISTEN/NOTIFY}: every replica listens on a
 * channel named after it, on a connection of its own. A notification arrives in well under a millisecond on a local
 * network, in the order it was sent, and needs nothing beyond the database the replicas share anyway. A payload too
 * large for {@code NOTIFY} (8,000 bytes) waits in {@code xmpp_relayed_stanzas} and only its id is sent.
 *
 * <p>What is sent while the receiving replica's connection is down is lost, as a stanza to a client whose TCP
 * connection breaks would be: chat messages are also archived (XEP-0313) and the clients catch up from there.
 */
@ApplicationScoped
public class ReplicaBus {

    /** What a message asks of the replica that receives it. */
    public enum Kind {
        /** A stanza for one of its sessions; arguments: the full JID. */
        DELIVER,
        /** End one of its sessions with a stream error; arguments: the full JID, the condition, the text. */
        CLOSE,
        /** A client's answer to an XEP-0070 confirmation another replica asked for; arguments: who answered. */
        CONFIRMATION,
        /** A stanza for an external component connected to it; arguments: the component's name. */
        COMPONENT,
        /** Another domain's answer to a request this replica sent it, which came in on a stream another replica holds. */
        FEDERATION_ANSWER
    }

    /** One message: its kind, its arguments, and its body (a stanza's XML). */
    public record Message(Kind kind, List<String> args, String body) {
    }

    private static final Logger LOG = Logger.getLogger(ReplicaBus.class);
    private static final int MAX_NOTIFY_BYTES = 7_900;
    private static final String STORED = "@";
    /** The channel every replica listens on for "joined ID" and "left ID". */
    private static final String MEMBERSHIP = "xmpp_replicas";

    private final Sql sql;
    private final Replicas replicas;
    private final String url;
    private final String user;
    private final Optional<String> password;
    private final Map<Kind, Consumer<Message>> handlers = new EnumMap<>(Kind.class);
    private final Counter sent;
    private final Counter received;
    private volatile boolean running;
    private Thread listener;

    ReplicaBus(Sql sql, Replicas replicas, MeterRegistry metrics,
               @ConfigProperty(name = "quarkus.datasource.jdbc.url") String url,
               @ConfigProperty(name = "quarkus.datasource.username") String user,
               @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.sql = sql;
        this.replicas = replicas;
        this.url = url;
        this.user = user;
        this.password = password;
        this.sent = metrics.counter("buddycloud.replicas.sent");
        this.received = metrics.counter("buddycloud.replicas.received");
    }

    /** The handler of one kind of message; set once, at start. */
    public synchronized void on(Kind kind, Consumer<Message> handler) {
        handlers.put(kind, handler);
    }

    /** Sends to one replica. */
    public void send(String replica, Kind kind, String body, String... args) {
        String payload = encode(kind, body, args);
        if (payload.getBytes(StandardCharsets.UTF_8).length > MAX_NOTIFY_BYTES) {
            long id = sql.one("INSERT INTO xmpp_relayed_stanzas (payload) VALUES (?) RETURNING id", rs -> rs.getLong(1), payload).orElseThrow();
            payload = STORED + id;
        }
        sql.one("SELECT pg_notify(?, ?) IS NULL", rs -> rs.getBoolean(1), channel(replica), payload);
        sent.increment();
    }

    /** Sends to every other replica alive. */
    public void broadcast(Kind kind, String body, String... args) {
        replicas.others().forEach(replica -> send(replica, kind, body, args));
    }

    /**
     * Before the XMPP listener opens: this replica listens, and tells the others it is here, so that they route to its
     * clients from their first stanza rather than after their next heartbeat.
     */
    void start(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE + 10) StartupEvent event) throws SQLException {
        running = true;
        Connection first = listening();
        listener = new Thread(() -> listen(first), "replica-bus");
        listener.setDaemon(true);
        listener.start();
        announce("joined");
    }

    /** A replica that stops cleanly says so: the others stop routing to it at once. */
    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        if (listener != null) {
            listener.interrupt();
            listener.join(Duration.ofSeconds(5).toMillis());
        }
        // once its listening connection is closed, so that the others see it gone when they look
        announce("left");
    }

    private void announce(String what) {
        try {
            sql.one("SELECT pg_notify(?, ?) IS NULL", rs -> rs.getBoolean(1), MEMBERSHIP, what + " " + replicas.id());
        } catch (RuntimeException e) {
            LOG.warnf("could not tell the other replicas that %s %s: %s; they learn it at their next heartbeat", replicas.id(), what,
                    e.getMessage());
        }
    }

    /** A connection that listens on this replica's channel and on the replicas' common one. */
    private Connection listening() throws SQLException {
        Connection connection = connect();
        try (Statement statement = connection.createStatement()) {
            statement.execute("LISTEN \"" + channel(replicas.id()) + "\"");
            statement.execute("LISTEN " + MEMBERSHIP);
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    /** Listens until the replica stops, connecting again after a failure (what was sent meanwhile is lost). */
    private void listen(Connection first) {
        Connection connection = first;
        Duration backoff = Duration.ofMillis(100);
        while (running) {
            try {
                if (connection == null) {
                    connection = listening();
                    replicas.refresh();
                }
                backoff = Duration.ofMillis(100);
                PGConnection notifications = connection.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] batch = notifications.getNotifications(500);
                    if (batch != null) {
                        for (PGNotification notification : batch) {
                            if (notification.getName().equals(MEMBERSHIP)) {
                                membership(notification.getParameter());
                            } else {
                                dispatch(notification.getParameter());
                            }
                        }
                    }
                }
            } catch (SQLException e) {
                if (!running) {
                    break;
                }
                LOG.warnf("replica bus: listening failed (%s); again in %d ms", e.getMessage(), backoff.toMillis());
                close(connection);
                connection = null;
                try {
                    Thread.sleep(backoff.toMillis());
                } catch (InterruptedException interrupted) {
                    break;
                }
                backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(5)) > 0 ? Duration.ofSeconds(5) : backoff.multipliedBy(2);
            }
        }
        close(connection);
    }

    /** Another replica came or goes: who is alive is asked again now. */
    private void membership(String announcement) {
        if (!announcement.endsWith(" " + replicas.id())) {
            try {
                replicas.refresh();
            } catch (RuntimeException e) {
                LOG.warnf("replica bus: could not learn who is alive after '%s': %s", announcement, e.getMessage());
            }
        }
    }

    private static void close(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debugf("closing the listening connection: %s", e.getMessage());
        }
    }

    /** A connection of its own, outside the pool: it is held for as long as the replica runs. */
    private Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        password.ifPresent(secret -> properties.setProperty("password", secret));
        properties.setProperty("ApplicationName", Replicas.listenerName(replicas.id()));
        Connection connection = new Driver().connect(url, properties);
        if (connection == null) {
            throw new SQLException("not a PostgreSQL URL: " + url);
        }
        return connection;
    }

    private void dispatch(String payload) {
        try {
            String text = payload;
            if (payload.startsWith(STORED)) {
                long id = Long.parseLong(payload.substring(1));
                Optional<String> stored = sql.one("DELETE FROM xmpp_relayed_stanzas WHERE id = ? RETURNING payload", rs -> rs.getString(1), id);
                if (stored.isEmpty()) {
                    return;
                }
                text = stored.get();
            }
            Message message = decode(text);
            Consumer<Message> handler;
            synchronized (this) {
                handler = handlers.get(message.kind());
            }
            received.increment();
            if (handler == null) {
                LOG.warnf("replica bus: no handler for %s yet; dropped", message.kind());
            } else {
                handler.accept(message);
            }
        } catch (RuntimeException e) {
            // one bad message must not stop the listener
            LOG.errorf(e, "replica bus: a message could not be handled");
        }
    }

    /** Kind, arguments and body on lines of their own; JIDs and conditions hold no line breaks, the body comes last. */
    static String encode(Kind kind, String body, String... args) {
        StringBuilder text = new StringBuilder(kind.name()).append('\n').append(args.length).append('\n');
        for (String arg : args) {
            if (arg.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("an argument with a line break: " + arg);
            }
            text.append(arg).append('\n');
        }
        return text.append(body == null ? "" : body).toString();
    }

    static Message decode(String text) {
        String[] lines = text.split("\n", -1);
        Kind kind = Kind.valueOf(lines[0]);
        int count = Integer.parseInt(lines[1]);
        List<String> args = List.of(lines).subList(2, 2 + count);
        int bodyStart = 0;
        for (int i = 0; i < 2 + count; i++) {
            bodyStart = text.indexOf('\n', bodyStart) + 1;
        }
        return new Message(kind, args, text.substring(bodyStart));
    }

    /** A channel name PostgreSQL takes as an identifier whatever the replica is called. */
    static String channel(String replica) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(replica.getBytes(StandardCharsets.UTF_8));
            return "xmpp_replica_" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
