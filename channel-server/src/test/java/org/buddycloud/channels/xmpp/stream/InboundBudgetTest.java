package org.buddycloud.channels.xmpp.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InboundBudgetTest {

    private final List<String> calls = new ArrayList<>();
    private final InboundBudget budget = new InboundBudget(new Recording(), 1000, 4);

    @Test
    void readingPausesOverTheByteBudgetAndResumesAtHalf() {
        budget.queued(600);
        budget.queued(600);
        budget.queued(600);
        assertEquals(List.of("pause"), calls, "paused once, when over budget");
        budget.handled(600);
        budget.handled(600);
        assertEquals(List.of("pause"), calls, "600 bytes still wait: more than half the budget");
        budget.handled(600);
        assertEquals(List.of("pause", "resume"), calls);
    }

    @Test
    void manySmallChunksCountToo() {
        for (int i = 0; i < 5; i++) {
            budget.queued(1);
        }
        assertEquals(List.of("pause"), calls);
        for (int i = 0; i < 3; i++) {
            budget.handled(1);
        }
        assertEquals(List.of("pause", "resume"), calls);
    }

    /** Only records pausing and resuming. */
    private final class Recording implements Transport {
        @Override
        public void pauseInput() {
            calls.add("pause");
        }

        @Override
        public void resumeInput() {
            calls.add("resume");
        }

        @Override
        public void send(String xml) {
        }

        @Override
        public boolean writable() {
            return true;
        }

        @Override
        public void close() {
        }

        @Override
        public boolean encrypted() {
            return false;
        }

        @Override
        public boolean tlsAvailable() {
            return false;
        }

        @Override
        public void startTls(String proceed) {
        }

        @Override
        public String remoteAddress() {
            return "test";
        }

        @Override
        public boolean framed() {
            return false;
        }
    }
}
