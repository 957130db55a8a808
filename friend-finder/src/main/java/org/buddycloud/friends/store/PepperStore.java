package org.buddycloud.friends.store;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.buddycloud.servicekit.jdbc.Sql;

/** The peppers ({@code friend_peppers}), newest first. */
@ApplicationScoped
public class PepperStore {

    private final Sql sql;

    PepperStore(DataSource dataSource) {
        this.sql = new Sql(dataSource);
    }

    public record Pepper(int id, String value, Instant createdAt) {
    }

    /** The newest two: the current pepper and the one before it. */
    public List<Pepper> latest() {
        return sql.list("SELECT id, pepper, created_at FROM friend_peppers ORDER BY id DESC LIMIT 2",
                rs -> new Pepper(rs.getInt(1), rs.getString(2), Sql.instant(rs, "created_at")));
    }

    /** The newest pepper, locked until the transaction ends: one replica at a time turns it. */
    public Optional<Pepper> lockCurrent() {
        return sql.one("SELECT id, pepper, created_at FROM friend_peppers ORDER BY id DESC LIMIT 1 FOR UPDATE",
                rs -> new Pepper(rs.getInt(1), rs.getString(2), Sql.instant(rs, "created_at")));
    }

    /** Every pepper but those kept: the ones whose hashes are to go. */
    public List<Integer> allBut(List<Integer> kept) {
        return sql.list("SELECT id FROM friend_peppers WHERE NOT (id = ANY(?::int[]))", rs -> rs.getInt(1),
                (Object) kept.stream().map(String::valueOf).toArray(String[]::new));
    }

    public void remove(List<Integer> ids) {
        ids.forEach(id -> sql.update("DELETE FROM friend_peppers WHERE id = ?", id));
    }

    public Pepper add(String value, Instant at) {
        return sql.one("INSERT INTO friend_peppers (pepper, created_at) VALUES (?, ?) RETURNING id, pepper, created_at",
                rs -> new Pepper(rs.getInt(1), rs.getString(2), Sql.instant(rs, "created_at")), value, at).orElseThrow();
    }
}
