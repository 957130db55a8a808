package org.buddycloud.channels.xmpp.cluster;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.buddycloud.channels.xmpp.XmppConfig;
import org.buddycloud.channels.xmpp.stream.OtherReplicas;
import org.buddycloud.channels.xmpp.stream.RemoteSession;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.servicekit.jdbc.Sql;
import org.buddycloud.xmppkit.xml.XmlElement;

/**
 * Which replica holds which session, and what the others need to know of it (presence, carbons, which pushes it
 * asked for), in {@code xmpp_sessions}. This replica writes only its own rows; it reads the others' rows only while
 * other replicas are alive, so a single replica pays one write per change of a session's state and no reads.
 */
@ApplicationScoped
public class SessionDirectory implements OtherReplicas {

    private static final String COLUMNS = "full_jid, replica, encrypted, available_since, presence, carbons, roster_pushes, "
            + "blocklist_pushes, pep_notify";

    private final Sql sql;
    private final Replicas replicas;
    private final ReplicaBus bus;
    private final XmppConfig config;

    SessionDirectory(Sql sql, Replicas replicas, ReplicaBus bus, XmppConfig config) {
        this.sql = sql;
        this.replicas = replicas;
        this.bus = bus;
        this.config = config;
    }

    /** The address is free, or held by this replica's past or a replica that is not alive: it becomes this one's. */
    @Override
    public boolean claim(Jid full, boolean encrypted) {
        return sql.update("""
                INSERT INTO xmpp_sessions (full_jid, bare_jid, replica, encrypted) VALUES (?, ?, ?, ?)
                ON CONFLICT (full_jid) DO UPDATE SET replica = EXCLUDED.replica, encrypted = EXCLUDED.encrypted,
                    available_since = NULL, presence = NULL, carbons = false, roster_pushes = false, blocklist_pushes = false,
                    pep_notify = ''
                 WHERE xmpp_sessions.replica = EXCLUDED.replica OR NOT xmpp_sessions.replica = ANY (?)""",
                full, full.toBare(), replicas.id(), encrypted, replicas.others().toArray(String[]::new)) == 1;
    }

    @Override
    public void release(Jid full) {
        sql.update("DELETE FROM xmpp_sessions WHERE full_jid = ? AND replica = ?", full, replicas.id());
    }

    @Override
    public List<RemoteSession> sessionsOf(Jid user) {
        Set<String> others = replicas.others();
        if (others.isEmpty()) {
            return List.of();
        }
        return sql.list("SELECT " + COLUMNS + " FROM xmpp_sessions WHERE bare_jid = ? AND replica = ANY (?)",
                this::entry, user.toBare(), others.toArray(String[]::new));
    }

    @Override
    public Map<Jid, List<RemoteSession>> sessionsOf(Collection<Jid> users) {
        Set<String> others = replicas.others();
        if (others.isEmpty() || users.isEmpty()) {
            return Map.of();
        }
        String[] bare = users.stream().map(user -> user.toBare().toString()).distinct().toArray(String[]::new);
        return sql.list("SELECT " + COLUMNS + " FROM xmpp_sessions WHERE bare_jid = ANY (?) AND replica = ANY (?)",
                        this::entry, bare, others.toArray(String[]::new)).stream()
                .collect(Collectors.groupingBy(session -> session.fullJid().toBare()));
    }

    @Override
    public Optional<RemoteSession> session(Jid full) {
        Set<String> others = replicas.others();
        if (others.isEmpty()) {
            return Optional.empty();
        }
        return sql.one("SELECT " + COLUMNS + " FROM xmpp_sessions WHERE full_jid = ? AND replica = ANY (?)",
                this::entry, full, others.toArray(String[]::new));
    }

    /**
     * Available presence of a session here. Under the user's lock ({@link #lockUser}), so that a message kept offline
     * on another replica at the same moment is either kept before (and delivered at this login) or goes to this session.
     */
    @Transactional
    public void available(Jid full, XmlElement presence) {
        lockUser(full.toBare());
        sql.update("UPDATE xmpp_sessions SET available_since = coalesce(available_since, now()), presence = ? WHERE full_jid = ? AND replica = ?",
                presence.toXml(), full, replicas.id());
    }

    public void unavailable(Jid full) {
        sql.update("UPDATE xmpp_sessions SET available_since = NULL, presence = NULL WHERE full_jid = ? AND replica = ?", full, replicas.id());
    }

    public void carbons(Jid full, boolean enabled) {
        sql.update("UPDATE xmpp_sessions SET carbons = ? WHERE full_jid = ? AND replica = ?", enabled, full, replicas.id());
    }

    public void askedForRoster(Jid full) {
        sql.update("UPDATE xmpp_sessions SET roster_pushes = true WHERE full_jid = ? AND replica = ? AND NOT roster_pushes", full, replicas.id());
    }

    public void askedForBlocklist(Jid full) {
        sql.update("UPDATE xmpp_sessions SET blocklist_pushes = true WHERE full_jid = ? AND replica = ? AND NOT blocklist_pushes",
                full, replicas.id());
    }

    public void pepNotify(Jid full, Set<String> nodes) {
        sql.update("UPDATE xmpp_sessions SET pep_notify = ? WHERE full_jid = ? AND replica = ?",
                nodes.stream().sorted().collect(Collectors.joining("\n")), full, replicas.id());
    }

    /**
     * Whether the user is available on another replica, asked in a transaction that holds the user's lock: then she
     * cannot become available there before this transaction ends.
     */
    public boolean availableElsewhere(Jid user) {
        lockUser(user.toBare());
        Set<String> others = replicas.others();
        return !others.isEmpty() && sql.one("""
                SELECT EXISTS (SELECT 1 FROM xmpp_sessions WHERE bare_jid = ? AND available_since IS NOT NULL
                                  AND replica = ANY (?))""",
                rs -> rs.getBoolean(1), user.toBare(), others.toArray(String[]::new)).orElse(false);
    }

    /** Held until the end of the caller's transaction. */
    private void lockUser(Jid user) {
        sql.one("SELECT pg_advisory_xact_lock(hashtextextended('xmpp-availability ' || ?, 0)) IS NULL", rs -> rs.getBoolean(1), user);
    }

    private RemoteSession entry(ResultSet rs) throws SQLException {
        String pep = rs.getString("pep_notify");
        return new RemoteEntry(bus, Jid.parse(rs.getString("full_jid")), rs.getString("replica"), rs.getBoolean("encrypted"),
                Sql.instant(rs, "available_since"), presence(rs.getString("presence")), rs.getBoolean("carbons"),
                rs.getBoolean("roster_pushes"), rs.getBoolean("blocklist_pushes"),
                pep.isEmpty() ? Set.of() : Set.copyOf(Arrays.asList(pep.split("\n"))));
    }

    private XmlElement presence(String xml) {
        return xml == null ? null : RelayedXml.parse(xml, config).orElse(null);
    }
}
