package org.buddycloud.xmppkit.component;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.buddycloud.xmppkit.SerialExecutor;
import org.buddycloud.xmppkit.StanzaReplies;
import org.buddycloud.xmppkit.XmppNamespaces;
import org.buddycloud.xmppkit.xml.StreamParser;
import org.buddycloud.xmppkit.xml.XmlElement;
import org.buddycloud.xmppkit.xml.XmppStreamException;
import org.jboss.logging.Logger;

/**
 * A component's link to an XMPP server (XEP-0114): one TCP connection to the server's component
 * port, a {@code jabber:component:accept} stream to the component's domain, the SHA-1 handshake,
 * then every stanza the server routes to the domain goes to the {@link ComponentHandler}.
 *
 * <p>A lost link, a refused handshake or an unreachable server is retried with back-off (doubling
 * up to {@link ComponentSettings#lastRetry()}), until {@link #close()}. What the server sends is
 * bounded as in the channel server's own streams; what we send waits in a bounded queue, and a
 * server that stops reading makes {@link #send} drop stanzas rather than hold them without end.
 *
 * <pre>{@code
 * ComponentConnection directory = new ComponentConnection(vertx, ComponentSettings.of("127.0.0.1", 5347,
 *         "directory.example.org", secret), workers, IqTable.of("directory", "channel", "Channel directory")
 *         .get("query", "jabber:iq:search", search::answer));
 * directory.start();
 * }</pre>
 */
public final class ComponentConnection implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ComponentConnection.class);

    private final Vertx vertx;
    private final ComponentSettings settings;
    private final ComponentHandler handler;
    private final SerialExecutor input;
    private final StreamParser parser;
    private final AtomicBoolean dropping = new AtomicBoolean();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicBoolean started = new AtomicBoolean();
    private NetClient client;
    /** The event loop the link lives on: connecting, timers and the back-off. */
    private Context loop;
    private volatile NetSocket socket;
    private volatile boolean online;
    private volatile boolean closed;
    /** The next wait before reconnecting; changed on the link's event loop only. */
    private Duration retry;
    private long keepAliveTimer = -1;

    /**
     * @param executor where the stanzas are parsed and handed to the handler (one at a time, in order):
     *                 a worker pool, never the event loop, since handlers may block
     */
    public ComponentConnection(Vertx vertx, ComponentSettings settings, Executor executor, ComponentHandler handler) {
        this.vertx = vertx;
        this.settings = settings;
        this.handler = handler;
        this.input = new SerialExecutor(executor);
        Input listener = new Input();
        this.parser = settings.skipOversizedStanzas()
                ? StreamParser.skippingOversizedStanzas(listener, settings.maxStanzaBytes(), settings.maxDepth())
                : new StreamParser(listener, settings.maxStanzaBytes(), settings.maxDepth());
        this.retry = settings.firstRetry();
    }

    /** Connects, and keeps connecting until closed. */
    public void start() {
        if (!started.compareAndSet(false, true)) {
            return;
        }
        client = vertx.createNetClient(new NetClientOptions().setConnectTimeout((int) settings.handshakeTimeout().toMillis())
                .setTcpKeepAlive(true));
        loop = vertx.getOrCreateContext();
        loop.runOnContext(v -> connect());
    }

    /** True from the server's acceptance of the handshake until the link is lost. */
    public boolean online() {
        return online;
    }

    public String domain() {
        return settings.domain();
    }

    /** Stanzas dropped so far because the server did not read. */
    public long dropped() {
        return dropped.get();
    }

    /**
     * Sends a stanza (in {@code jabber:client}, as built with {@link StanzaReplies}); false when it was
     * not sent: the link is down, or the server does not read what was written before.
     */
    public boolean send(XmlElement stanza) {
        NetSocket current = socket;
        if (!online || current == null) {
            return false;
        }
        if (current.writeQueueFull()) {
            dropped.incrementAndGet();
            if (dropping.compareAndSet(false, true)) {
                LOG.warnf("the XMPP server %s:%d does not read: %d bytes wait; %s drops its stanzas until it does", settings.host(),
                        settings.port(), settings.maxOutboundBytes(), settings.domain());
            }
            handler.dropped(stanza);
            return false;
        }
        write(current, stanza.toXml(XmppNamespaces.COMPONENT));
        return true;
    }

    /** Ends the stream and stops reconnecting. */
    @Override
    public void close() {
        closed = true;
        NetSocket current = socket;
        if (current != null) {
            current.end(Buffer.buffer("</stream:stream>"));
        }
        if (client != null) {
            client.close();
        }
    }

    // ---- the link, on the event loop

    private void connect() {
        if (closed) {
            return;
        }
        client.connect(settings.port(), settings.host()).onSuccess(this::connected).onFailure(e -> {
            LOG.warnf("component %s cannot reach the XMPP server at %s:%d: %s", settings.domain(), settings.host(), settings.port(),
                    e.getMessage());
            reconnectLater();
        });
    }

    private void connected(NetSocket connection) {
        if (closed) {
            connection.close();
            return;
        }
        connection.setWriteQueueMaxSize(settings.maxOutboundBytes());
        connection.drainHandler(v -> {
            if (dropping.compareAndSet(true, false)) {
                LOG.infof("the XMPP server %s:%d reads again; %s sends again", settings.host(), settings.port(), settings.domain());
            }
        });
        socket = connection;
        input.execute(parser::restart);
        connection.handler(buffer -> {
            byte[] bytes = buffer.getBytes();
            input.execute(() -> feed(connection, bytes));
        });
        connection.closeHandler(v -> lost(connection));
        connection.exceptionHandler(e -> {
            LOG.debugf("component %s: %s", settings.domain(), e.getMessage());
            connection.close();
        });
        vertx.setTimer(settings.handshakeTimeout().toMillis(), id -> {
            if (socket == connection && !online) {
                LOG.warnf("the XMPP server %s:%d did not accept the handshake of %s within %s", settings.host(), settings.port(),
                        settings.domain(), settings.handshakeTimeout());
                connection.close();
            }
        });
        write(connection, "<?xml version='1.0'?><stream:stream xmlns='" + XmppNamespaces.COMPONENT + "' xmlns:stream='"
                + XmppNamespaces.STREAMS + "' to='" + settings.domain() + "'>");
    }

    private void lost(NetSocket connection) {
        if (socket != connection) {
            return;
        }
        boolean wasOnline = online;
        online = false;
        socket = null;
        dropping.set(false);
        if (keepAliveTimer >= 0) {
            vertx.cancelTimer(keepAliveTimer);
            keepAliveTimer = -1;
        }
        if (closed) {
            return;
        }
        if (wasOnline) {
            LOG.warnf("component %s lost its link to %s:%d", settings.domain(), settings.host(), settings.port());
            input.execute(() -> handler.offline("connection lost"));
        }
        reconnectLater();
    }

    private void reconnectLater() {
        if (closed) {
            return;
        }
        Duration wait = retry;
        retry = retry.multipliedBy(2).compareTo(settings.lastRetry()) > 0 ? settings.lastRetry() : retry.multipliedBy(2);
        LOG.infof("component %s reconnects to %s:%d in %d ms", settings.domain(), settings.host(), settings.port(), wait.toMillis());
        vertx.setTimer(wait.toMillis(), id -> connect());
    }

    /** The handshake was accepted: on the event loop, since the back-off and the keep-alive timer live there. */
    private void accepted(NetSocket connection) {
        if (socket != connection) {
            return;
        }
        retry = settings.firstRetry();
        keepAliveTimer = vertx.setPeriodic(settings.keepAlive().toMillis(), id -> {
            if (socket == connection && !connection.writeQueueFull()) {
                connection.write(" ");
            }
        });
    }

    private static void write(NetSocket connection, String xml) {
        connection.write(Buffer.buffer(xml.getBytes(StandardCharsets.UTF_8)));
    }

    // ---- what the server sends, on the executor

    private void feed(NetSocket connection, byte[] bytes) {
        if (socket != connection) {
            return;
        }
        try {
            parser.feed(bytes, 0, bytes.length);
        } catch (XmppStreamException e) {
            LOG.errorf("the XMPP server %s:%d sent %s what it cannot read (%s); reconnecting", settings.host(), settings.port(),
                    settings.domain(), e.getMessage());
            connection.close();
        }
    }

    private void handle(XmlElement stanza) {
        try {
            if (!handler.stanza(stanza, this) && StanzaReplies.isRequest(stanza)) {
                send(StanzaReplies.error(stanza, "cancel", "service-unavailable", null));
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "component %s failed to handle <%s id='%s'/> from %s", settings.domain(), stanza.name(), stanza.attr("id"),
                    stanza.attr("from"));
            if (StanzaReplies.isRequest(stanza)) {
                send(StanzaReplies.error(stanza, "wait", "internal-server-error", null));
            }
        }
    }

    /** The stream as the parser reads it: header, handshake answer, stanzas. */
    private final class Input implements StreamParser.Listener {

        @Override
        public void streamOpened(XmlElement header) {
            NetSocket current = socket;
            String id = header.attr("id");
            if (current == null) {
                return;
            }
            if (id == null) {
                LOG.errorf("the XMPP server %s:%d sent no stream id; %s cannot do the XEP-0114 handshake", settings.host(),
                        settings.port(), settings.domain());
                current.close();
                return;
            }
            write(current, "<handshake>" + Handshake.digest(id, settings.secret()) + "</handshake>");
        }

        @Override
        public void stanza(XmlElement stanza) {
            NetSocket current = socket;
            if (current == null) {
                return;
            }
            if (stanza.is("handshake", XmppNamespaces.COMPONENT)) {
                online = true;
                LOG.infof("component %s is connected to %s:%d", settings.domain(), settings.host(), settings.port());
                loop.runOnContext(v -> accepted(current));
                handler.online(ComponentConnection.this);
                return;
            }
            if (stanza.is("error", XmppNamespaces.STREAMS)) {
                String condition = stanza.elements().stream().filter(e -> e.namespace().equals(XmppNamespaces.STREAM_ERRORS))
                        .map(XmlElement::name).filter(name -> !name.equals("text")).findFirst().orElse("undefined-condition");
                LOG.errorf("the XMPP server %s:%d ended the stream of %s: %s %s", settings.host(), settings.port(), settings.domain(),
                        condition, stanza.childText("text", XmppNamespaces.STREAM_ERRORS).orElse(""));
                return;
            }
            if (online) {
                handle(stanza.inNamespace(XmppNamespaces.COMPONENT, XmppNamespaces.CLIENT));
            }
        }

        @Override
        public void skipped(XmlElement stanza, String reason) {
            LOG.warnf("component %s skipped <%s id='%s'/> from %s: %s", settings.domain(), stanza.name(), stanza.attr("id"),
                    stanza.attr("from"), reason);
            if (online) {
                handler.skipped(stanza.inNamespace(XmppNamespaces.COMPONENT, XmppNamespaces.CLIENT), reason, ComponentConnection.this);
            }
        }

        @Override
        public void streamClosed() {
            NetSocket current = socket;
            if (current != null) {
                current.end(Buffer.buffer("</stream:stream>"));
            }
        }
    }
}
