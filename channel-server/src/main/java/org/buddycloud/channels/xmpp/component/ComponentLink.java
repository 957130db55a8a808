package org.buddycloud.channels.xmpp.component;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import org.buddycloud.channels.xmpp.Namespaces;
import org.buddycloud.channels.xmpp.StanzaSink;
import org.buddycloud.channels.xmpp.Stanzas;
import org.buddycloud.channels.xmpp.XmppAddresses;
import org.buddycloud.channels.xmpp.XmppConfig;
import org.buddycloud.channels.xmpp.pubsub.ChannelServiceEndpoint;
import org.buddycloud.channels.xmpp.stream.SessionRegistry;
import org.buddycloud.channels.xmpp.stream.XmppServer;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.xmppkit.SerialExecutor;
import org.buddycloud.xmppkit.component.ComponentConnection;
import org.buddycloud.xmppkit.component.ComponentHandler;
import org.buddycloud.xmppkit.component.ComponentSettings;
import org.buddycloud.xmppkit.xml.XmlElement;
import org.jboss.logging.Logger;

/**
 * The channel service as an external component (XEP-0114) of another XMPP server such as Prosody:
 * the xmpp-kit's {@link ComponentConnection} (one TCP connection, the SHA-1 handshake, reconnection
 * with back-off), and every stanza the server routes to the channel service is handled exactly as
 * a local client's would be.
 *
 * <p>The link carries every user's stanzas, so one user must not be able to break it: a stanza
 * over the size or depth limit is skipped and answered with {@code policy-violation}, and the link
 * stays (the XMPP server bounds the size of its users' stanzas, but not their depth). While the
 * link is down the delivery targets reached through it are kept, since the server keeps its users'
 * sessions and their presence to us, and on every handshake their users are sent a presence probe,
 * so that the server can tell us again who is online (it answers for users who share presence with
 * the channel service). A server that stops reading makes us drop stanzas, not buffer them without end.
 */
@ApplicationScoped
public class ComponentLink implements StanzaSink, ComponentHandler {

    private static final Logger LOG = Logger.getLogger(ComponentLink.class);
    private static final int SHARDS = 16;
    /** Users probed after a handshake at most: a bound on the burst, not a limit on who is served. */
    private static final int MAX_PROBES = 10_000;

    private final Vertx vertx;
    private final XmppConfig.Component config;
    private final String name;
    private final int maxStanzaBytes;
    private final int maxDepth;
    private final SessionRegistry registry;
    private final ChannelServiceEndpoint channels;
    private final ExecutorService pool;
    private final SerialExecutor[] shards = new SerialExecutor[SHARDS];
    private final Counter dropped;
    private volatile ComponentConnection connection;

    ComponentLink(Vertx vertx, XmppConfig config, XmppAddresses addresses, SessionRegistry registry, ChannelServiceEndpoint channels,
                  XmppServer server, MeterRegistry metrics) {
        this.vertx = vertx;
        this.config = config.component();
        this.name = addresses.channelService();
        // the XMPP server bounds the size of what its users send (Prosody: 256 KiB from clients, 512 KiB from servers)
        this.maxStanzaBytes = config.maxStanzaBytes() * 4;
        this.maxDepth = config.maxDepth();
        this.registry = registry;
        this.channels = channels;
        this.pool = server.pool();
        this.dropped = metrics.counter("buddycloud.xmpp.component.dropped");
        for (int i = 0; i < SHARDS; i++) {
            shards[i] = new SerialExecutor(pool);
        }
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            return;
        }
        String secret = config.secret().orElseThrow(() ->
                new IllegalStateException("buddycloud.xmpp.component.enabled needs buddycloud.xmpp.component.secret"));
        ComponentSettings settings = ComponentSettings.of(config.host(), config.port(), name, secret)
                .withStanzaLimits(maxStanzaBytes, maxDepth, true).withMaxOutboundBytes(config.maxOutboundBytes());
        connection = new ComponentConnection(vertx, settings, pool, this);
        connection.start();
    }

    void stop(@Observes ShutdownEvent event) {
        ComponentConnection current = connection;
        if (current != null) {
            current.close();
        }
    }

    /** True once the server accepted the handshake and until the connection is lost. */
    public boolean ready() {
        ComponentConnection current = connection;
        return current != null && current.online();
    }

    public boolean enabled() {
        return config.enabled();
    }

    /** The handshake was accepted (again): ask who is online. */
    @Override
    public void online(ComponentConnection link) {
        probeKnownUsers();
    }

    /** A user's stanza, handled in order with the other stanzas of the same user, in parallel with other users'. */
    @Override
    public boolean stanza(XmlElement stanza, ComponentConnection link) {
        String from = stanza.attr("from");
        int shard = Math.floorMod((from == null ? "" : from.split("/", 2)[0]).hashCode(), SHARDS);
        shards[shard].execute(() -> channels.handle(stanza, this));
        return true;
    }

    /** One user's stanza broke a limit: it gets an error where one is due, and the link carries on. */
    @Override
    public void skipped(XmlElement stanza, String reason, ComponentConnection link) {
        String type = stanza.attr("type");
        boolean request = stanza.name().equals("iq") && ("get".equals(type) || "set".equals(type));
        boolean message = stanza.name().equals("message") && !"error".equals(type);
        if ((request || message) && stanza.attr("from") != null) {
            send(Stanzas.error(stanza, "modify", "policy-violation", reason, null));
        }
    }

    @Override
    public void dropped(XmlElement stanza) {
        dropped.increment();
    }

    /**
     * Stanzas from the channel service to users of the other server; dropped while the link is down
     * or the server does not read what was written before.
     */
    @Override
    public void send(XmlElement stanza) {
        ComponentConnection current = connection;
        if (current != null) {
            current.send(stanza);
        }
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

    Map<String, Object> describe() {
        return Map.of("host", config.host(), "port", config.port(), "name", name, "ready", ready());
    }
}
