package org.buddycloud.testsupport;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/** The pause between two polls of something starting up (not a test waiting on the clock). */
public final class LockSupportPause {

    private LockSupportPause() {
    }

    public static void pause(Duration duration) {
        LockSupport.parkNanos(duration.toNanos());
    }
}
