package org.buddycloud.media.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.buddycloud.media.domain.PendingUpload;
import org.buddycloud.media.storage.ObjectStore;
import org.buddycloud.media.storage.StorageException;
import org.jboss.logging.Logger;

/**
 * Removes what uploads that never finished left in S3: a crash between the bytes and the row, a
 * presigned upload never confirmed. Each abandoned upload's object goes first, then its pending note,
 * so a failure leaves the note for the next sweep. Replicas sweep side by side: each skips the rows
 * another holds.
 */
@ApplicationScoped
public class AbandonedUploads {

    private static final Logger LOG = Logger.getLogger(AbandonedUploads.class);
    private static final int BATCH = 100;

    private final PendingUploads pending;
    private final ObjectStore objects;
    private final Clock clock;

    AbandonedUploads(PendingUploads pending, ObjectStore objects, Clock clock) {
        this.pending = pending;
        this.objects = objects;
        this.clock = clock;
    }

    @Scheduled(every = "${buddycloud.media.sweep-interval:1m}", delayed = "30s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        int removed = sweep(clock.instant());
        if (removed > 0) {
            LOG.infof("removed %d abandoned upload(s)", removed);
        }
    }

    /** Removes the uploads abandoned at {@code now}; answers how many. */
    public int sweep(Instant now) {
        int total = 0;
        int batch;
        do {
            batch = QuarkusTransaction.requiringNew().call(() -> sweepBatch(now));
            total += batch;
        } while (batch == BATCH);
        return total;
    }

    private int sweepBatch(Instant now) {
        List<PendingUpload> abandoned = pending.lockAbandoned(now, BATCH);
        int removed = 0;
        for (PendingUpload upload : abandoned) {
            try {
                objects.remove(upload.objectKey());
                pending.finish(upload.channel(), upload.id());
                removed++;
            } catch (StorageException e) {
                LOG.warnf("could not remove the abandoned upload %s (next sweep): %s", upload.objectKey(), e.getMessage());
                return removed;
            }
        }
        return removed;
    }
}
