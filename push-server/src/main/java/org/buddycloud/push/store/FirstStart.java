package org.buddycloud.push.store;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import javax.sql.DataSource;
import org.buddycloud.servicekit.jdbc.Sql;

/** The {@code push_started} row: when this push server's database was created, at its first start. */
@ApplicationScoped
public class FirstStart {

    private final Sql sql;

    FirstStart(DataSource dataSource) {
        this.sql = new Sql(dataSource);
    }

    /** A partition the push server has no position for is read from this instant: no one is told of the past. */
    public Instant at() {
        return sql.one("SELECT started_at FROM push_started WHERE id = 1", rs -> Sql.instant(rs, "started_at")).orElseThrow();
    }
}
