package org.buddycloud.xmppkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SerialExecutorTest {

    @Test
    void aSessionWithEndlessWorkLetsTheOthersTakeTheirTurn() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            CountDownLatch gate = new CountDownLatch(1);
            pool.execute(() -> await(gate));
            List<String> ran = new ArrayList<>();
            CountDownLatch finished = new CountDownLatch(1);
            SerialExecutor flooding = new SerialExecutor(pool);
            SerialExecutor quiet = new SerialExecutor(pool);
            for (int i = 0; i < 100; i++) {
                int n = i;
                flooding.execute(() -> ran.add("flood " + n));
            }
            quiet.execute(() -> ran.add("quiet"));
            flooding.execute(finished::countDown);
            gate.countDown();
            assertTrue(finished.await(10, TimeUnit.SECONDS));
            int quietAt = ran.indexOf("quiet");
            assertTrue(quietAt >= 0 && quietAt <= SerialExecutor.TURN, "the quiet session waited for " + quietAt + " tasks of another");
            List<String> flood = ran.stream().filter(t -> t.startsWith("flood")).toList();
            assertEquals(100, flood.size());
            for (int i = 0; i < 100; i++) {
                assertEquals("flood " + i, flood.get(i), "a session's tasks stay in order");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void await(CountDownLatch gate) {
        try {
            gate.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
