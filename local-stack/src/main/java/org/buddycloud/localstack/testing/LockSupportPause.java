package org.buddycloud.localstack.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/** The pause between two polls of something starting up (not a test waiting on the clock). */
final class LockSupportPause {

    private LockSupportPause() {
    }

    static void pause(Duration duration) {
        LockSupport.parkNanos(duration.toNanos());
    }
}
