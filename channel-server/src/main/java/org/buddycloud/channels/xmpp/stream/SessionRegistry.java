package org.buddycloud.channels.xmpp.stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.buddycloud.channels.xmpp.StanzaSink;
import org.buddycloud.contracts.jid.Jid;

/**
 * Who is online: the client sessions bound on this replica, with those of the other replicas of the domain
 * ({@link OtherReplicas}) added where a user's sessions are asked for; and the delivery targets of this replica's
 * channel service — full JIDs that sent presence to it (PROTOCOL.md §1.12), local or reached through the component
 * connection (every replica hears every channel event, so each serves its own).
 */
@ApplicationScoped
public class SessionRegistry {

    private final Map<Jid, ClientSession> sessions = new ConcurrentHashMap<>();
    private final Map<Jid, Set<Jid>> resources = new ConcurrentHashMap<>();
    private final Map<Jid, StanzaSink> channelTargets = new ConcurrentHashMap<>();
    private final Map<Jid, Set<Jid>> channelTargetsByUser = new ConcurrentHashMap<>();
    private final Event<SessionEnded> ended;
    private final OtherReplicas others;

    SessionRegistry(Event<SessionEnded> ended, OtherReplicas others) {
        this.ended = ended;
        this.others = others;
    }

    /**
     * Binds a resource for the user; a resource in use, here or on another replica, gets a random suffix (RFC 6120
     * §7.7.2.2).
     */
    public Jid bind(ClientSession session, Jid user, String requested) {
        String resource = requested == null || requested.isBlank() ? UUID.randomUUID().toString().substring(0, 8) : requested.trim();
        Jid full = Jid.parse(user + "/" + resource);
        while (sessions.putIfAbsent(full, session) != null || !claimed(full, session)) {
            full = Jid.parse(user + "/" + resource + "-" + UUID.randomUUID().toString().substring(0, 6));
        }
        Jid bound = full;
        resources.compute(user, (k, set) -> with(set, bound));
        return bound;
    }

    /** Claims the address among the replicas; if another holds it, this replica lets go of it again. */
    private boolean claimed(Jid full, ClientSession session) {
        if (others.claim(full, session.encrypted())) {
            return true;
        }
        sessions.remove(full, session);
        return false;
    }

    public void unbind(ClientSession session) {
        Jid full = session.fullJid();
        if (full == null || !sessions.remove(full, session)) {
            return;
        }
        others.release(full);
        resources.computeIfPresent(full.toBare(), (user, set) -> without(set, full));
        channelPresence(full, null, false);
        ended.fire(new SessionEnded(session));
    }

    /**
     * A session resumed on a new connection (XEP-0198): its address, and the channel service's delivery target
     * through it, now lead to the new one.
     */
    void transfer(Jid full, ClientSession from, ClientSession to) {
        sessions.replace(full, from, to);
        channelTargets.replace(full, from, to);
    }

    /** The session of a full JID, on this replica or another. */
    public Optional<ClientSession> session(Jid full) {
        ClientSession local = sessions.get(full);
        return local != null ? Optional.of(local) : others.session(full).map(ClientSession.class::cast);
    }

    /** The session of a full JID if this replica holds it. */
    public Optional<ClientSession> localSession(Jid full) {
        return Optional.ofNullable(sessions.get(full));
    }

    /** The user's sessions on every replica. */
    public List<ClientSession> sessionsOf(Jid user) {
        List<ClientSession> remote = others.sessionsOf(user.toBare()).stream().map(ClientSession.class::cast).toList();
        List<ClientSession> local = localSessionsOf(user);
        if (remote.isEmpty()) {
            return local;
        }
        List<ClientSession> all = new java.util.ArrayList<>(local);
        all.addAll(remote);
        return all;
    }

    /**
     * The sessions of each of those users on every replica, with one question to the others for all of them (a
     * presence broadcast to a roster); a user without sessions is left out.
     */
    public Map<Jid, List<ClientSession>> sessionsOf(java.util.Collection<Jid> users) {
        Map<Jid, List<RemoteSession>> remote = others.sessionsOf(users);
        Map<Jid, List<ClientSession>> all = new java.util.HashMap<>();
        for (Jid user : users) {
            List<ClientSession> local = localSessionsOf(user);
            List<RemoteSession> elsewhere = remote.getOrDefault(user.toBare(), List.of());
            if (local.isEmpty() && elsewhere.isEmpty()) {
                continue;
            }
            List<ClientSession> sessionsOfUser = new java.util.ArrayList<>(local);
            sessionsOfUser.addAll(elsewhere);
            all.put(user.toBare(), sessionsOfUser);
        }
        return all;
    }

    /** Another replica believed this one held the address, and it does not (any more): the directory forgets it. */
    public void forgetStale(Jid full) {
        if (!sessions.containsKey(full)) {
            others.release(full);
        }
    }

    /** The user's sessions on this replica. */
    public List<ClientSession> localSessionsOf(Jid user) {
        return resources.getOrDefault(user.toBare(), Set.of()).stream().map(sessions::get).filter(s -> s != null).toList();
    }

    /**
     * Presence to the channel service: available adds the full JID as a delivery target, unavailable
     * removes it. True when an available full JID was not a target through this sink before.
     */
    public boolean channelPresence(Jid full, StanzaSink sink, boolean available) {
        if (available) {
            StanzaSink before = channelTargets.put(full, sink);
            channelTargetsByUser.compute(full.toBare(), (k, set) -> with(set, full));
            return before != sink;
        }
        if (channelTargets.remove(full) != null) {
            channelTargetsByUser.computeIfPresent(full.toBare(), (user, set) -> without(set, full));
        }
        return false;
    }

    /** Where the channel service delivers to this user now: its full JIDs that sent presence, and how to reach them. */
    public Map<Jid, StanzaSink> channelTargets(Jid user) {
        Map<Jid, StanzaSink> targets = new java.util.HashMap<>();
        forEachChannelTarget(user, targets::put);
        return targets;
    }

    /** Whether the channel service has anywhere to deliver to this user now. */
    public boolean hasChannelTarget(Jid user) {
        return channelTargetsByUser.getOrDefault(user.toBare(), Set.of()).stream().anyMatch(channelTargets::containsKey);
    }

    /** As {@link #channelTargets}, without a map: what a fan-out asks of every follower. */
    public void forEachChannelTarget(Jid user, java.util.function.BiConsumer<Jid, StanzaSink> action) {
        for (Jid full : channelTargetsByUser.getOrDefault(user.toBare(), Set.of())) {
            StanzaSink sink = channelTargets.get(full);
            if (sink != null) {
                action.accept(full, sink);
            }
        }
    }

    /** The users (bare JIDs) with a delivery target reached through the sink, at most {@code limit} of them. */
    public Set<Jid> channelUsersVia(StanzaSink sink, int limit) {
        Set<Jid> users = new java.util.LinkedHashSet<>();
        for (Map.Entry<Jid, StanzaSink> target : channelTargets.entrySet()) {
            if (users.size() >= limit) {
                break;
            }
            if (target.getValue() == sink) {
                users.add(target.getKey().toBare());
            }
        }
        return users;
    }

    /** Forgets the user's delivery targets reached through the sink (the user's server says it is offline). */
    public void dropChannelTargets(Jid user, StanzaSink sink) {
        for (Jid full : channelTargetsByUser.getOrDefault(user.toBare(), Set.of())) {
            if (channelTargets.remove(full, sink)) {
                channelTargetsByUser.computeIfPresent(full.toBare(), (bare, set) -> without(set, full));
            }
        }
    }

    public int sessionCount() {
        return sessions.size();
    }

    /**
     * A user's addresses with one more. The sets are immutable and replaced whole inside the map's compute, which is
     * atomic per user: most users have one address, which a set of one holds in a few bytes where a concurrent set
     * took about 200 (it is per session), and an address is never added to a set that was just removed.
     */
    private static Set<Jid> with(Set<Jid> addresses, Jid full) {
        if (addresses == null) {
            return Set.of(full);
        }
        if (addresses.contains(full)) {
            return addresses;
        }
        Set<Jid> more = new HashSet<>(addresses);
        more.add(full);
        return Set.copyOf(more);
    }

    /** A user's addresses with one fewer; null (the user leaves the map) when none is left. */
    private static Set<Jid> without(Set<Jid> addresses, Jid full) {
        if (!addresses.contains(full)) {
            return addresses;
        }
        if (addresses.size() == 1) {
            return null;
        }
        Set<Jid> fewer = new HashSet<>(addresses);
        fewer.remove(full);
        return Set.copyOf(fewer);
    }
}
