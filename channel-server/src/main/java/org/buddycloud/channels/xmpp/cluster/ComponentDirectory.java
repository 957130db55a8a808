package org.buddycloud.channels.xmpp.cluster;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.Set;
import org.buddycloud.servicekit.jdbc.Sql;

/**
 * Which replica holds each external component's connection (XEP-0114), in {@code xmpp_components}: a name is
 * connected once across the replicas, and the others send what is addressed to it to that replica.
 */
@ApplicationScoped
public class ComponentDirectory {

    private final Sql sql;
    private final Replicas replicas;

    ComponentDirectory(Sql sql, Replicas replicas) {
        this.sql = sql;
        this.replicas = replicas;
    }

    /** The name is free, or held by this replica's past or by a replica that is not alive: it becomes this one's. */
    public boolean claim(String name) {
        return sql.update("""
                INSERT INTO xmpp_components (name, replica) VALUES (?, ?)
                ON CONFLICT (name) DO UPDATE SET replica = EXCLUDED.replica
                 WHERE xmpp_components.replica = EXCLUDED.replica OR NOT xmpp_components.replica = ANY (?)""",
                name, replicas.id(), replicas.others().toArray(String[]::new)) == 1;
    }

    public void release(String name) {
        sql.update("DELETE FROM xmpp_components WHERE name = ? AND replica = ?", name, replicas.id());
    }

    /** The other replica alive that holds the component's connection, if one does. */
    public Optional<String> replicaOf(String name) {
        Set<String> others = replicas.others();
        if (others.isEmpty()) {
            return Optional.empty();
        }
        return sql.one("SELECT replica FROM xmpp_components WHERE name = ? AND replica = ANY (?)", rs -> rs.getString(1), name,
                others.toArray(String[]::new));
    }
}
