package org.buddycloud.channels.rest;

import jakarta.inject.Inject;
import org.buddycloud.channels.ShiftableClock;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;

/** For tests that move the server's clock to see things expire, and read the events it publishes. */
abstract class ClockedTest {

    @Inject
    ShiftableClock clock;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @AfterEach
    void backToRealTime() {
        clock.reset();
    }
}
