package org.buddycloud.channels.xmpp.im;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.buddycloud.channels.xmpp.cluster.SessionDirectory;
import org.buddycloud.channels.xmpp.stream.ClientSession;
import org.buddycloud.channels.xmpp.stream.RemoteSession;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.xmppkit.xml.XmlElement;

/**
 * What this replica knows of its sessions' presence: each available resource's last presence (to
 * answer probes and tell a new resource who is online), where a resource sent directed presence (to
 * tell them when it goes, RFC 6121 §4.6.3), and which resources asked for the roster or the
 * blocklist (only they get pushes, RFC 6121 §2.1.6, XEP-0191 §3.2). The other replicas learn what they need of
 * it from the {@link SessionDirectory}.
 */
@ApplicationScoped
public class LivePresence {

    private final Map<Jid, XmlElement> presence = new ConcurrentHashMap<>();
    private final Map<Jid, Set<Jid>> directed = new ConcurrentHashMap<>();
    private final Set<Jid> rosterInterested = ConcurrentHashMap.newKeySet();
    private final Set<Jid> blocklistInterested = ConcurrentHashMap.newKeySet();
    private final SessionDirectory directory;

    LivePresence(SessionDirectory directory) {
        this.directory = directory;
    }

    public void available(Jid full, XmlElement stanza) {
        presence.put(full, stanza);
    }

    public XmlElement presence(Jid full) {
        return presence.get(full);
    }

    public void directedTo(Jid full, Jid target) {
        directed.computeIfAbsent(full, k -> ConcurrentHashMap.newKeySet()).add(target);
    }

    public void directedUnavailableTo(Jid full, Jid target) {
        directed.computeIfPresent(full, (k, targets) -> {
            targets.remove(target);
            return targets.isEmpty() ? null : targets;
        });
    }

    /** The resource went unavailable: its presence is forgotten; returns where it had sent directed presence. */
    public Set<Jid> unavailable(Jid full) {
        presence.remove(full);
        Set<Jid> targets = directed.remove(full);
        return targets == null ? Set.of() : targets;
    }

    public void askedForRoster(Jid full) {
        if (rosterInterested.add(full)) {
            directory.askedForRoster(full);
        }
    }

    /** Whether the session, here or on another replica, asked for the roster. */
    public boolean getsRosterPushes(ClientSession session) {
        return session instanceof RemoteSession remote ? remote.rosterPushes() : rosterInterested.contains(session.fullJid());
    }

    public void askedForBlocklist(Jid full) {
        if (blocklistInterested.add(full)) {
            directory.askedForBlocklist(full);
        }
    }

    /** Whether the session, here or on another replica, asked for the blocklist. */
    public boolean getsBlocklistPushes(ClientSession session) {
        return session instanceof RemoteSession remote ? remote.blocklistPushes() : blocklistInterested.contains(session.fullJid());
    }

    /** The session ended: nothing of it is kept. */
    public void forget(Jid full) {
        presence.remove(full);
        directed.remove(full);
        rosterInterested.remove(full);
        blocklistInterested.remove(full);
    }
}
