package org.buddycloud.channels.xmpp.cluster;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.servicekit.jdbc.Sql;
import org.jboss.logging.Logger;

/**
 * The replicas of the domain, as the shared database knows them: each one beats every
 * {@link ClusterConfig#heartbeat()}, learns which others are alive, and one of them at a time (an advisory lock)
 * removes the sessions of a replica silent for {@link ClusterConfig#deadAfter()} — their contacts then hear that
 * they went ({@link SessionsLost}).
 */
@ApplicationScoped
public class Replicas {

    private static final Logger LOG = Logger.getLogger(Replicas.class);
    private static final long REAPER_LOCK = 0x7265706c696361L;

    private final Sql sql;
    private final ClusterConfig config;
    private final Event<SessionsLost> lost;
    private final String id;
    private volatile Set<String> others = Set.of();

    Replicas(Sql sql, ClusterConfig config, Event<SessionsLost> lost) {
        this.sql = sql;
        this.config = config;
        this.lost = lost;
        this.id = config.replicaId().filter(name -> !name.isBlank()).orElseGet(() -> "replica-" + UUID.randomUUID());
    }

    /** Before the XMPP listener opens: what this name held before a crash is gone, and the others know it is alive. */
    @Transactional
    void start(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        sql.update("DELETE FROM xmpp_components WHERE replica = ?", id);
        int stale = sql.update("DELETE FROM xmpp_sessions WHERE replica = ?", id);
        if (stale > 0) {
            LOG.infof("replica %s restarted: forgot the %d sessions it held before", id, stale);
        }
        beat();
        LOG.infof("replica %s started; %d other replicas alive", id, others.size());
    }

    @Transactional
    void stop(@Observes ShutdownEvent event) {
        sql.update("DELETE FROM xmpp_components WHERE replica = ?", id);
        sql.update("DELETE FROM xmpp_sessions WHERE replica = ?", id);
        sql.update("DELETE FROM xmpp_replicas WHERE replica = ?", id);
    }

    @Scheduled(every = "${buddycloud.cluster.heartbeat:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void heartbeat() {
        beat();
        List<Jid> gone = reapDead();
        if (!gone.isEmpty()) {
            // after the commit: their contacts are told by this replica, like any other presence
            lost.fire(new SessionsLost(gone));
        }
    }

    /** How a replica's listening connection is called in {@code pg_stat_activity}. */
    static String listenerName(String replica) {
        return "replica-bus " + ReplicaBus.channel(replica);
    }

    public String id() {
        return id;
    }

    /** The other replicas alive at the last heartbeat. */
    public Set<String> others() {
        return others;
    }

    private void beat() {
        sql.update("INSERT INTO xmpp_replicas (replica, seen_at) VALUES (?, now()) ON CONFLICT (replica) DO UPDATE SET seen_at = now()", id);
        refresh();
    }

    /** Learns again which other replicas are alive: at each heartbeat, and at once when one says it came or goes. */
    void refresh() {
        // alive: beating, and listening — a replica killed outright loses its database connections at once, so the
        // others stop routing to it within a heartbeat rather than after dead-after
        List<String> beating = sql.list("SELECT replica FROM xmpp_replicas WHERE replica <> ? AND seen_at > now() - make_interval(secs => ?)",
                rs -> rs.getString(1), id, config.deadAfter().toMillis() / 1000.0);
        Set<String> listening = Set.copyOf(sql.list("SELECT application_name FROM pg_stat_activity WHERE application_name LIKE 'replica-bus %'",
                rs -> rs.getString(1)));
        others = beating.stream().filter(replica -> listening.contains(listenerName(replica))).collect(Collectors.toUnmodifiableSet());
    }

    /** Removes what dead replicas held; returns the sessions that were available, to be announced gone. */
    @Transactional
    List<Jid> reapDead() {
        boolean reaper = sql.one("SELECT pg_try_advisory_xact_lock(?)", rs -> rs.getBoolean(1), REAPER_LOCK).orElse(false);
        if (!reaper) {
            return List.of();
        }
        List<String> dead = sql.list("DELETE FROM xmpp_replicas WHERE seen_at <= now() - make_interval(secs => ?) RETURNING replica",
                rs -> rs.getString(1), config.deadAfter().toMillis() / 1000.0);
        if (dead.isEmpty()) {
            return List.of();
        }
        sql.update("DELETE FROM xmpp_components WHERE replica = ANY (?)", (Object) dead.toArray(String[]::new));
        List<Jid> available = sql.list("DELETE FROM xmpp_sessions WHERE replica = ANY (?) "
                        + "RETURNING full_jid, available_since IS NOT NULL AS available",
                rs -> rs.getBoolean("available") ? Jid.parse(rs.getString("full_jid")) : null, (Object) dead.toArray(String[]::new)).stream()
                .filter(jid -> jid != null).toList();
        sql.update("DELETE FROM xmpp_relayed_stanzas WHERE created_at < now() - interval '5 minutes'");
        LOG.warnf("replicas %s stopped beating; %d of their sessions were available and are announced gone", dead, available.size());
        return available;
    }
}
