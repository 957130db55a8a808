package org.buddycloud.media.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Uploads that never finished (a crash between the bytes and the row, a presigned upload never
 * confirmed): past its deadline, a pending note turns into a note that its bytes are doomed, in one
 * transaction, and {@link DoomedObjects} removes them. Replicas sweep side by side: each skips the
 * rows another holds.
 */
@ApplicationScoped
public class AbandonedUploads {

    private static final Logger LOG = Logger.getLogger(AbandonedUploads.class);
    private static final int BATCH = 100;

    private final PendingUploads pending;
    private final DoomedObjects doomed;
    private final Clock clock;

    AbandonedUploads(PendingUploads pending, DoomedObjects doomed, Clock clock) {
        this.pending = pending;
        this.doomed = doomed;
        this.clock = clock;
    }

    @Scheduled(every = "${buddycloud.media.sweep-interval:1m}", delayed = "30s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        int abandoned = sweep(clock.instant());
        if (abandoned > 0) {
            LOG.infof("cleared %d abandoned upload(s)", abandoned);
        }
    }

    /** Clears the uploads abandoned at {@code now}; answers how many. */
    public int sweep(Instant now) {
        int total = 0;
        List<DoomedObjects.Doomed> batch;
        do {
            batch = QuarkusTransaction.requiringNew().call(() -> {
                List<DoomedObjects.Doomed> bytes = pending.takeAbandoned(now, BATCH).stream()
                        .map(upload -> DoomedObjects.Doomed.object(upload.objectKey())).toList();
                doomed.doom(bytes);
                return bytes;
            });
            doomed.removeNow(batch);
            total += batch.size();
        } while (batch.size() == BATCH);
        return total;
    }
}
