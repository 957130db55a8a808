package org.buddycloud.channels.xmpp.accept;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.buddycloud.channels.xmpp.StanzaSink;
import org.buddycloud.channels.xmpp.Stanzas;
import org.buddycloud.channels.xmpp.XmppAddresses;
import org.buddycloud.channels.xmpp.XmppConfig;
import org.buddycloud.channels.xmpp.cluster.ComponentDirectory;
import org.buddycloud.channels.xmpp.cluster.RelayedXml;
import org.buddycloud.channels.xmpp.cluster.ReplicaBus;
import org.buddycloud.channels.xmpp.stream.SessionRegistry;
import org.buddycloud.contracts.jid.InvalidJidException;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.xmppkit.xml.XmlElement;
import org.jboss.logging.Logger;

/**
 * The external components this server accepts (XEP-0114), and which of them are connected: each
 * serves its domain and every JID at it. One connection per name across the replicas of the domain: a second one is
 * refused while the first is up (see {@link #claim}), and stanzas for a component connected to another replica go
 * there ({@link ComponentDirectory}).
 */
@ApplicationScoped
public class ConnectedComponents {

    private static final Logger LOG = Logger.getLogger(ConnectedComponents.class);

    /** Name (the component's domain, normalised) to shared secret. */
    private final Map<String, String> accepted;
    private final Map<String, ComponentStream> connected = new ConcurrentHashMap<>();
    private final SessionRegistry registry;
    private final ComponentDirectory directory;
    private final ReplicaBus replicas;
    private final XmppConfig config;

    ConnectedComponents(XmppConfig config, XmppAddresses addresses, SessionRegistry registry, ComponentDirectory directory,
                        ReplicaBus replicas) {
        this.registry = registry;
        this.directory = directory;
        this.replicas = replicas;
        this.config = config;
        this.accepted = accepted(config.components(), addresses.domain(), addresses.channelService());
    }

    /** Stanzas that users of other replicas send to a component connected here. */
    void listen(@Observes StartupEvent event) {
        replicas.on(ReplicaBus.Kind.COMPONENT, message -> {
            ComponentStream component = connected.get(message.args().get(0));
            if (component == null) {
                LOG.debugf("a stanza for %s came from another replica after the component left", message.args().get(0));
                return;
            }
            RelayedXml.parse(message.body(), config).ifPresent(component::send);
        });
    }

    /**
     * The configured names, checked: a domain of its own each, with a secret. A name without a dot is a subdomain of
     * the server's ({@code accept.directory.secret} accepts {@code directory.<domain>}): deployments then name it
     * without knowing the domain, and its environment variable has no quoted part.
     */
    static Map<String, String> accepted(XmppConfig.Components config, String serverDomain, String channelService) {
        Map<String, String> accepted = new TreeMap<>();
        config.accept().forEach((name, component) -> {
            String domain = domainOf(name.contains(".") ? name : name + "." + serverDomain);
            if (domain.equals(serverDomain) || domain.equals(channelService)) {
                throw new IllegalStateException("buddycloud.xmpp.components.accept.\"" + name + "\": the server and the channel service"
                        + " have that address already; a component needs a domain of its own, e.g. directory." + serverDomain);
            }
            if (component.secret().isBlank()) {
                throw new IllegalStateException("buddycloud.xmpp.components.accept.\"" + name + "\".secret is empty");
            }
            accepted.put(domain, component.secret());
        });
        return Map.copyOf(accepted);
    }

    private static String domainOf(String name) {
        try {
            Jid jid = Jid.parse(name);
            if (jid.localpart().isPresent() || jid.resource().isPresent()) {
                throw new IllegalStateException("buddycloud.xmpp.components.accept.\"" + name + "\": a component's name is a domain");
            }
            return jid.domain();
        } catch (InvalidJidException e) {
            throw new IllegalStateException("buddycloud.xmpp.components.accept.\"" + name + "\" is not a valid domain", e);
        }
    }

    /** Whether any component is accepted (the listener runs only then). */
    public boolean any() {
        return !accepted.isEmpty();
    }

    public List<String> acceptedNames() {
        return List.copyOf(accepted.keySet());
    }

    /** The shared secret of a component we accept; empty for any other name. */
    Optional<String> secret(String name) {
        return Optional.ofNullable(accepted.get(name));
    }

    /** Whether the address belongs to an accepted component, connected or not. */
    public boolean serves(Jid address) {
        return accepted.containsKey(address.domain());
    }

    /** The connected components' names, for service discovery. */
    public List<String> connectedNames() {
        return connected.keySet().stream().sorted().toList();
    }

    /**
     * Registers the stream as the component's connection; false when the component is connected
     * already. The newcomer is refused rather than the first replaced: two replicas of a service with
     * the same name would otherwise take the name from each other at every retry, and a component
     * whose link died is free again as soon as the server notices (TCP close, or the idle timeout
     * that the component's keep-alive stays under), when its retry gets in.
     */
    boolean claim(String name, ComponentStream stream) {
        if (connected.putIfAbsent(name, stream) != null) {
            return false;
        }
        if (!directory.claim(name)) {
            // connected to another replica of the domain
            connected.remove(name, stream);
            return false;
        }
        return true;
    }

    /** The stream ended: the name is free, and the delivery targets reached through it are forgotten. */
    void release(String name, ComponentStream stream) {
        if (connected.remove(name, stream)) {
            directory.release(name);
            for (Jid user : registry.channelUsersVia(stream, Integer.MAX_VALUE)) {
                registry.dropChannelTargets(user, stream);
            }
        }
    }

    /**
     * A stanza for a component's address. While no component of that name is connected, an IQ
     * request or a message is answered with {@code service-unavailable} (RFC 6120 §8.3.3.19: the
     * recipient cannot be reached now); presence, results and errors are dropped.
     */
    public void deliver(StanzaSink from, Jid to, XmlElement stanza) {
        ComponentStream component = connected.get(to.domain());
        if (component != null) {
            component.send(stanza);
            return;
        }
        Optional<String> elsewhere = directory.replicaOf(to.domain());
        if (elsewhere.isPresent()) {
            replicas.send(elsewhere.get(), ReplicaBus.Kind.COMPONENT, stanza.toXml(), to.domain());
            return;
        }
        String type = stanza.attr("type");
        boolean request = stanza.name().equals("iq") && ("get".equals(type) || "set".equals(type));
        boolean message = stanza.name().equals("message") && !"error".equals(type);
        if (request || message) {
            from.send(Stanzas.error(stanza, "cancel", "service-unavailable", to.domain() + " is not connected", null));
        }
    }

    /** Ends a component's stream (at shutdown, or to make it reconnect); false when it is not connected. */
    public boolean disconnect(String name, String condition, String text) {
        ComponentStream component = connected.get(name);
        if (component == null) {
            return false;
        }
        LOG.infof("ending the stream of component %s: %s", name, condition);
        component.close(condition, text);
        return true;
    }

    void disconnectAll(String condition, String text) {
        connected.keySet().forEach(name -> disconnect(name, condition, text));
    }
}
