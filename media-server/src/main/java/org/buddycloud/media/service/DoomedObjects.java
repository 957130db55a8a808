package org.buddycloud.media.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.media.domain.MediaIds;
import org.buddycloud.media.storage.ObjectStore;
import org.buddycloud.servicekit.jdbc.Sql;
import org.jboss.logging.Logger;

/**
 * Bytes to remove because their rows are gone. Deleting a row and removing its object cannot be one
 * transaction, so the deletion also notes the object here; right after the commit the object is
 * removed and the note dropped. A note that outlives that (S3 unreachable, a crash in between) is
 * retried by the sweep, so deleted files never linger in the bucket.
 */
@ApplicationScoped
public class DoomedObjects {

    /** One object, or every object under a prefix (a file's previews, a deleted channel). */
    public record Doomed(String key, boolean prefix) {
        public static Doomed object(String key) {
            return new Doomed(key, false);
        }

        public static Doomed prefix(String prefix) {
            return new Doomed(prefix, true);
        }

        /** A file's bytes: the original and every preview made of it. */
        public static List<Doomed> file(Jid channel, String id) {
            return List.of(object(MediaIds.objectKey(channel, id)), prefix(MediaIds.previewPrefix(channel, id)));
        }
    }

    private static final Logger LOG = Logger.getLogger(DoomedObjects.class);
    /** Notes younger than this belong to a removal that is probably still under way. */
    private static final Duration SETTLE = Duration.ofMinutes(1);
    private static final int BATCH = 100;

    private final Sql sql;
    private final ObjectStore objects;
    private final Clock clock;

    DoomedObjects(DataSource dataSource, ObjectStore objects, Clock clock) {
        this.sql = new Sql(dataSource);
        this.objects = objects;
        this.clock = clock;
    }

    /** Inside the transaction that deletes the rows. */
    public void doom(List<Doomed> doomed) {
        for (Doomed d : doomed) {
            sql.update("INSERT INTO doomed_objects (object_key, prefix, doomed_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                    d.key(), d.prefix(), clock.instant());
        }
    }

    /** After the commit: removes the bytes, then the notes; what fails stays noted for the sweep. */
    public void removeNow(List<Doomed> doomed) {
        for (Doomed d : doomed) {
            try {
                remove(d);
                QuarkusTransaction.requiringNew().run(() -> forget(d));
            } catch (RuntimeException e) {
                LOG.warnf("could not remove %s now; the sweep will: %s", d.key(), e.getMessage());
            }
        }
    }

    @Scheduled(every = "${buddycloud.media.sweep-interval:1m}", delayed = "45s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        int removed = sweep(clock.instant().minus(SETTLE));
        if (removed > 0) {
            LOG.infof("removed the bytes of %d deleted file(s) or channel(s) left behind", removed);
        }
    }

    /** Removes what was doomed before {@code before}; answers how many notes were settled. */
    public int sweep(Instant before) {
        int total = 0;
        int batch;
        do {
            batch = QuarkusTransaction.requiringNew().call(() -> sweepBatch(before));
            total += batch;
        } while (batch == BATCH);
        return total;
    }

    private int sweepBatch(Instant before) {
        List<Doomed> doomed = sql.list("SELECT object_key, prefix FROM doomed_objects WHERE doomed_at < ? ORDER BY doomed_at LIMIT ? "
                + "FOR UPDATE SKIP LOCKED", rs -> new Doomed(rs.getString(1), rs.getBoolean(2)), before, BATCH);
        int removed = 0;
        for (Doomed d : doomed) {
            try {
                remove(d);
            } catch (RuntimeException e) {
                LOG.warnf("could not remove %s (next sweep): %s", d.key(), e.getMessage());
                return removed;
            }
            forget(d);
            removed++;
        }
        return removed;
    }

    private void remove(Doomed d) {
        if (d.prefix()) {
            objects.removePrefix(d.key());
        } else {
            objects.remove(d.key());
        }
    }

    private void forget(Doomed d) {
        sql.update("DELETE FROM doomed_objects WHERE object_key = ? AND prefix = ?", d.key(), d.prefix());
    }
}
