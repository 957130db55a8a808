package org.buddycloud.servicekit.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class PartitionProgressTest {

    private static final TopicPartition P0 = new TopicPartition("buddycloud.accounts", 0);
    private static final TopicPartition P1 = new TopicPartition("buddycloud.accounts", 1);

    @Test
    void caughtUpOnceEveryPartitionReachedWhereItEndedAtAssignment() {
        PartitionProgress progress = new PartitionProgress();
        assertFalse(progress.caughtUp(), "nothing assigned yet");
        progress.assigned(P0, 3, 5);
        progress.assigned(P1, 7, 7);
        assertFalse(progress.caughtUp());
        progress.handled(P0, 3);
        assertFalse(progress.caughtUp());
        progress.handled(P0, 4);
        assertTrue(progress.caughtUp());
    }

    @Test
    void aRecordBeforeOneHandledIsHandledAlready() {
        PartitionProgress progress = new PartitionProgress();
        progress.assigned(P0, 10, 10);
        assertTrue(progress.handledBefore(P0, 9), "before where this consumer began");
        assertFalse(progress.handledBefore(P0, 10));
        progress.handled(P0, 10);
        assertTrue(progress.handledBefore(P0, 10), "read again after a seek back");
        assertEquals(Optional.of(11L), progress.next(P0));
        assertFalse(progress.handledBefore(P1, 0), "a partition never assigned");
    }

    @Test
    void aRestartForgetsWhatWasHandled() {
        PartitionProgress progress = new PartitionProgress();
        progress.assigned(P0, 0, 0);
        progress.handled(P0, 4);
        progress.restart(List.of(P0));
        assertFalse(progress.handledBefore(P0, 0));
    }
}
