package org.buddycloud.channels.xmpp.pep;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.buddycloud.channels.xmpp.Namespaces;
import org.buddycloud.channels.xmpp.server.ServerRequests;
import org.buddycloud.channels.xmpp.cluster.SessionDirectory;
import org.buddycloud.channels.xmpp.stream.ClientSession;
import org.buddycloud.channels.xmpp.stream.RemoteSession;
import org.buddycloud.channels.xmpp.stream.SessionEnded;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.xmppkit.xml.XmlElement;

/**
 * Which PEP nodes each online resource wants to hear of (XEP-0163 §4.3: the {@code node+notify}
 * features of its XEP-0115 capabilities). A {@code ver} is asked of the first client that sends it
 * and, once its hash checks out, believed for every other; a client's answer that does not match
 * its {@code ver} serves that session only.
 */
@ApplicationScoped
public class NotifyInterests {

    private static final String NOTIFY = "+notify";
    private static final int MAX_KNOWN_VERS = 5_000;

    private final Map<String, Set<String>> byVer = new ConcurrentHashMap<>();
    private final Map<Jid, Set<String>> bySession = new ConcurrentHashMap<>();
    private final ServerRequests requests;
    private final SessionDirectory directory;

    NotifyInterests(ServerRequests requests, SessionDirectory directory) {
        this.requests = requests;
        this.directory = directory;
    }

    /** The nodes the resource wants, once known; a session of another replica says them in the directory. */
    public Set<String> of(ClientSession session) {
        return session instanceof RemoteSession remote ? remote.pepNotify() : bySession.getOrDefault(session.fullJid(), Set.of());
    }

    /**
     * Available presence from a resource: learn its interests from the caps it carries, asking it
     * when the {@code ver} is new; {@code known} runs when they are known (maybe at once).
     */
    public void presence(ClientSession session, XmlElement presence, Consumer<Set<String>> known) {
        Optional<XmlElement> caps = presence.element("c", Namespaces.CAPS);
        if (caps.isEmpty() || caps.get().attr("ver") == null || caps.get().attr("node") == null) {
            return;
        }
        String ver = caps.get().attr("ver");
        String hash = caps.get().attr("hash");
        Set<String> cached = byVer.get(hash + " " + ver);
        if (cached != null) {
            learnt(session.fullJid(), cached, known);
            return;
        }
        XmlElement iq = XmlElement.of("iq", Namespaces.CLIENT).attr("type", "get").attr("from", session.fullJid().domain());
        iq.add("query", Namespaces.DISCO_INFO).attr("node", caps.get().attr("node") + "#" + ver);
        requests.send(session, iq, result -> result.element("query", Namespaces.DISCO_INFO).ifPresent(query -> {
            Set<String> nodes = query.elements("feature", Namespaces.DISCO_INFO).stream().map(f -> f.attr("var"))
                    .filter(var -> var != null && var.endsWith(NOTIFY) && var.length() > NOTIFY.length())
                    .map(var -> var.substring(0, var.length() - NOTIFY.length())).collect(Collectors.toUnmodifiableSet());
            if (CapsVerification.ver(query, hash).filter(ver::equals).isPresent() && byVer.size() < MAX_KNOWN_VERS) {
                byVer.put(hash + " " + ver, nodes);
            }
            learnt(session.fullJid(), nodes, known);
        }));
    }

    private void learnt(Jid full, Set<String> nodes, Consumer<Set<String>> known) {
        Set<String> before = bySession.put(full, nodes);
        if (!nodes.equals(before)) {
            directory.pepNotify(full, nodes);
            known.accept(nodes);
        }
    }

    void ended(@Observes SessionEnded ended) {
        bySession.remove(ended.session().fullJid());
    }
}
