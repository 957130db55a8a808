package org.buddycloud.servicekit.events;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** After a rebuild sends a consumer back to the beginning, records of the old sequence still on their way are not applied. */
class ReplayGuardTest {

    private static final TopicPartition P0 = new TopicPartition("buddycloud.memberships", 0);
    private static final TopicPartition P1 = new TopicPartition("buddycloud.memberships", 1);

    @Test
    void recordsFetchedBeforeTheSeekAreStaleUntilTheReplayStarts() {
        ReplayGuard guard = new ReplayGuard();
        guard.assigned(P0, 0);
        for (long offset = 0; offset <= 5; offset++) {
            assertFalse(guard.stale(P0, offset));
        }
        guard.restart(List.of(P0));
        assertTrue(guard.stale(P0, 6), "fetched before the seek");
        assertTrue(guard.stale(P0, 7), "fetched before the seek");
        assertFalse(guard.stale(P0, 0), "the replay starts over");
        assertFalse(guard.stale(P0, 1));
        assertFalse(guard.stale(P0, 6), "the replay goes on past where the old sequence was");
        assertFalse(guard.stale(P0, 8));
    }

    @Test
    void aPartitionThatStartedAtAStoredPositionGuardsWhatCameAfterIt() {
        ReplayGuard guard = new ReplayGuard();
        guard.assigned(P1, 500);
        guard.restart(List.of(P1));
        assertTrue(guard.stale(P1, 500), "on its way from the stored position when the rebuild came");
        assertFalse(guard.stale(P1, 0));
    }

    @Test
    void aPartitionReadFromItsBeginningNeedsNoGuard() {
        ReplayGuard guard = new ReplayGuard();
        guard.assigned(P0, 0);
        guard.restart(List.of(P0));
        assertFalse(guard.stale(P0, 0), "what comes is the beginning either way; positions skip what repeats");
        assertFalse(guard.stale(P0, 1));
    }
}
