package org.buddycloud.channels.xmpp.component;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.buddycloud.channels.xmpp.Namespaces;
import org.buddycloud.channels.xmpp.SerialExecutor;
import org.buddycloud.channels.xmpp.StanzaSink;
import org.buddycloud.channels.xmpp.Stanzas;
import org.buddycloud.channels.xmpp.XmppAddresses;
import org.buddycloud.channels.xmpp.XmppConfig;
import org.buddycloud.channels.xmpp.XmppServer;
import org.buddycloud.channels.xmpp.pubsub.ChannelServiceEndpoint;
import org.buddycloud.channels.xmpp.stream.SessionRegistry;
import org.buddycloud.channels.xmpp.xml.StreamParser;
import org.buddycloud.channels.xmpp.xml.XmlElement;
import org.buddycloud.channels.xmpp.xml.XmppStreamException;
import org.buddycloud.contracts.jid.Jid;
import org.jboss.logging.Logger;

/**
 * The channel service as an external component (XEP-0114) of another XMPP server such as Prosody:
 * one TCP connection, the SHA-1 handshake, then every stanza the server routes to the channel
 * service is handled exactly as a local client's would be.
 *
 * <p>The link carries every user's stanzas, so one user must not be able to break it: a stanza
 * over the size or depth limit is skipped and answered with {@code policy-violation}, and the link
 * stays (the XMPP server bounds the size of its users' stanzas, but not their depth). Lost
 * connections are retried with back-off; the delivery targets reached through the link are kept
 * meanwhile, since the server keeps its users' sessions and their presence to us, and on every
 * handshake their users are sent a presence probe, so that the server can tell us again who is
 * online (it answers for users who share presence with the channel service). A server that stops
 * reading makes us drop stanzas, not buffer them without end.
 */
@ApplicationScoped
public class ComponentLink implements StanzaSink, StreamParser.Listener {

    private static final Logger LOG = Logger.getLogger(ComponentLink.class);
    private static final int SHARDS = 16;
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration LAST_RETRY = Duration.ofSeconds(30);
    /** Users probed after a handshake at most: a bound on the burst, not a limit on who is served. */
    private static final int MAX_PROBES = 10_000;

    private final Vertx vertx;
    private final XmppConfig.Component config;
    private final String name;
    private final SessionRegistry registry;
    private final ChannelServiceEndpoint channels;
    private final StreamParser parser;
    private final SerialExecutor input;
    private final SerialExecutor[] shards = new SerialExecutor[SHARDS];
    private final Counter dropped;
    private final AtomicBoolean dropping = new AtomicBoolean();
    private NetClient client;
    private volatile NetSocket socket;
    private volatile boolean ready;
    private volatile boolean stopping;
    private Duration retry = FIRST_RETRY;

    ComponentLink(Vertx vertx, XmppConfig config, XmppAddresses addresses, SessionRegistry registry, ChannelServiceEndpoint channels,
                  XmppServer server, MeterRegistry metrics) {
        this.vertx = vertx;
        this.config = config.component();
        this.name = addresses.channelService();
        this.registry = registry;
        this.channels = channels;
        // the XMPP server bounds the size of what its users send (Prosody: 256 KiB from clients, 512 KiB from servers)
        this.parser = StreamParser.skippingOversizedStanzas(this, config.maxStanzaBytes() * 4, config.maxDepth());
        this.dropped = metrics.counter("buddycloud.xmpp.component.dropped");
        this.input = new SerialExecutor(server.pool());
        for (int i = 0; i < SHARDS; i++) {
            shards[i] = new SerialExecutor(server.pool());
        }
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            return;
        }
        if (config.secret().isEmpty()) {
            throw new IllegalStateException("buddycloud.xmpp.component.enabled needs buddycloud.xmpp.component.secret");
        }
        client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(5000).setTcpKeepAlive(true));
        connect();
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        NetSocket current = socket;
        if (current != null) {
            current.write("</stream:stream>");
            current.close();
        }
    }

    /** True once the server accepted the handshake and until the connection is lost. */
    public boolean ready() {
        return ready;
    }

    public boolean enabled() {
        return config.enabled();
    }

    private void connect() {
        client.connect(config.port(), config.host()).onSuccess(this::connected).onFailure(e -> {
            LOG.warnf("cannot reach the XMPP server's component port %s:%d: %s", config.host(), config.port(), e.getMessage());
            reconnectLater();
        });
    }

    private void connected(NetSocket connection) {
        connection.setWriteQueueMaxSize(config.maxOutboundBytes());
        connection.drainHandler(v -> {
            if (dropping.compareAndSet(true, false)) {
                LOG.infof("the XMPP server %s:%d reads again; the channel service's stanzas flow again", config.host(), config.port());
            }
        });
        socket = connection;
        input.execute(parser::restart);
        connection.handler(buffer -> {
            byte[] bytes = buffer.getBytes();
            input.execute(() -> feed(bytes));
        });
        connection.closeHandler(v -> lost("closed by the server"));
        connection.exceptionHandler(e -> connection.close());
        connection.write("<?xml version='1.0'?><stream:stream xmlns='" + Namespaces.COMPONENT + "' xmlns:stream='" + Namespaces.STREAMS
                + "' to='" + name + "'>");
    }

    private void feed(byte[] bytes) {
        try {
            parser.feed(bytes, 0, bytes.length);
        } catch (XmppStreamException e) {
            LOG.errorf("the XMPP server sent what we cannot read (%s); reconnecting", e.getMessage());
            closeSocket();
        }
    }

    @Override
    public void streamOpened(XmlElement header) {
        String id = header.attr("id");
        if (id == null) {
            LOG.error("the XMPP server's stream header has no id; cannot do the XEP-0114 handshake");
            closeSocket();
            return;
        }
        write("<handshake>" + handshake(id, config.secret().orElseThrow()) + "</handshake>");
    }

    @Override
    public void stanza(XmlElement stanza) {
        if (stanza.is("handshake", Namespaces.COMPONENT)) {
            ready = true;
            retry = FIRST_RETRY;
            LOG.infof("channel service %s is a component of %s:%d", name, config.host(), config.port());
            probeKnownUsers();
            return;
        }
        if (stanza.is("error", Namespaces.STREAMS)) {
            LOG.errorf("the XMPP server refused the component %s: %s", name, stanza.toXml());
            return;
        }
        if (!ready) {
            return;
        }
        XmlElement asClient = stanza.inNamespace(Namespaces.COMPONENT, Namespaces.CLIENT);
        String from = asClient.attr("from");
        int shard = Math.floorMod((from == null ? "" : from.split("/", 2)[0]).hashCode(), SHARDS);
        shards[shard].execute(() -> channels.handle(asClient, this));
    }

    /** One user's stanza broke a limit: it gets an error where one is due, and the link carries on. */
    @Override
    public void skipped(XmlElement stanza, String reason) {
        LOG.warnf("skipped <%s id='%s'/> from %s to %s: %s", stanza.name(), stanza.attr("id"), stanza.attr("from"), stanza.attr("to"), reason);
        String type = stanza.attr("type");
        boolean request = stanza.name().equals("iq") && ("get".equals(type) || "set".equals(type));
        boolean message = stanza.name().equals("message") && !"error".equals(type);
        if (ready && (request || message) && stanza.attr("from") != null) {
            send(Stanzas.error(stanza.inNamespace(Namespaces.COMPONENT, Namespaces.CLIENT), "modify", "policy-violation", reason, null));
        }
    }

    @Override
    public void streamClosed() {
        closeSocket();
    }

    /**
     * Stanzas from the channel service to users of the other server; dropped while the server does
     * not read what was written before.
     */
    @Override
    public void send(XmlElement stanza) {
        NetSocket current = socket;
        if (!ready || current == null) {
            return;
        }
        if (current.writeQueueFull()) {
            dropped.increment();
            if (dropping.compareAndSet(false, true)) {
                LOG.warnf("the XMPP server %s:%d does not read: %d bytes wait; dropping the channel service's stanzas until it does",
                        config.host(), config.port(), config.maxOutboundBytes());
            }
            return;
        }
        write(stanza.toXml(Namespaces.COMPONENT));
    }

    /**
     * Asks the server for the presence of the users we deliver to: after the link was lost, it
     * answers for those who share presence with the channel service, and who went offline meanwhile
     * is forgotten (see {@link ChannelServiceEndpoint}).
     */
    private void probeKnownUsers() {
        Set<Jid> users = registry.channelUsersVia(this, MAX_PROBES);
        for (Jid user : users) {
            send(XmlElement.of("presence", Namespaces.CLIENT).attr("from", name).attr("to", user).attr("type", "probe"));
        }
        if (!users.isEmpty()) {
            LOG.infof("probed the presence of %d users after the component handshake", users.size());
        }
    }

    private void write(String xml) {
        NetSocket current = socket;
        if (current != null) {
            current.write(Buffer.buffer(xml.getBytes(StandardCharsets.UTF_8)));
        }
    }

    private void closeSocket() {
        NetSocket current = socket;
        if (current != null) {
            current.close();
        }
    }

    private void lost(String why) {
        boolean wasReady = ready;
        ready = false;
        socket = null;
        dropping.set(false);
        if (wasReady && !stopping) {
            LOG.warnf("component connection to %s:%d lost (%s)", config.host(), config.port(), why);
        }
        reconnectLater();
    }

    private void reconnectLater() {
        if (stopping) {
            return;
        }
        Duration wait = retry;
        retry = retry.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : retry.multipliedBy(2);
        vertx.setTimer(wait.toMillis(), id -> connect());
    }

    /** XEP-0114 §3: lower-case hex SHA-1 of the stream id followed by the shared secret. */
    static String handshake(String streamId, String secret) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            return HexFormat.of().formatHex(sha1.digest((streamId + secret).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every JDK", e);
        }
    }

    Map<String, Object> describe() {
        return Map.of("host", config.host(), "port", config.port(), "name", name, "ready", ready);
    }
}
