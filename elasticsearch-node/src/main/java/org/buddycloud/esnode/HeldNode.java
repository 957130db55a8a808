package org.buddycloud.esnode;

import com.carrotsearch.randomizedtesting.annotations.ThreadLeakScope;
import com.carrotsearch.randomizedtesting.annotations.ThreadLeakScope.Scope;
import com.carrotsearch.randomizedtesting.annotations.Timeout;
import com.carrotsearch.randomizedtesting.annotations.TimeoutSuite;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.http.HttpServerTransport;
import org.elasticsearch.index.mapper.MockFieldFilterPlugin;
import org.elasticsearch.node.NodeMocksPlugin;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.search.MockSearchService;
import org.elasticsearch.test.ESIntegTestCase;
import org.elasticsearch.test.ESIntegTestCase.ClusterScope;
import org.elasticsearch.test.transport.MockTransportService;
import org.elasticsearch.transport.netty4.Netty4Plugin;
import org.junit.runner.JUnitCore;
import org.junit.runner.Result;
import org.junit.runner.notification.Failure;

/**
 * A real Elasticsearch 8.19 node (one data node, real Netty HTTP on 127.0.0.1) held open for another process.
 *
 * <p>The Elasticsearch test framework is the only way to start a node from Maven Central artifacts: it needs
 * its JUnit 4 RandomizedRunner, {@code -ea} and {@code -Dtests.security.manager=false}, and it refuses root. Run
 * {@link #main} (test-support's {@code ElasticsearchNodeProcess} does): once the node is green it prints one line
 * {@code ES_HTTP=127.0.0.1:<port>} and keeps the node until its standard input reaches end of file, then stops.
 *
 * <p>What makes it closer to a plain node than the framework's default: no mock HTTP transport, no random
 * mock engine, store, search service or field filter, no concurrent-search slicing, and the framework's random
 * index template ("*": random shards, codecs, merge settings) is removed, so new indices get Elasticsearch's
 * defaults (1 shard, 1 replica, hence yellow on a single node). Not there, because those modules are not on
 * Maven Central: {@code GET /} (rest-root), x-pack, Painless, ingest processors, analysis-common, mapper-extras.
 */
@ClusterScope(scope = ESIntegTestCase.Scope.SUITE, numDataNodes = 1, numClientNodes = 0, supportsDedicatedMasters = false)
@ThreadLeakScope(Scope.NONE)
@TimeoutSuite(millis = Integer.MAX_VALUE)
public class HeldNode extends ESIntegTestCase {

    /** The line the parent process waits for. */
    public static final String READY_PREFIX = "ES_HTTP=";

    private static final String RANDOM_INDEX_TEMPLATE = "random_index_template";

    private static volatile boolean held;
    private static final CompletableFuture<String> ADDRESS = new CompletableFuture<>();
    private static final CountDownLatch RELEASE = new CountDownLatch(1);

    @Override
    protected Settings nodeSettings(int nodeOrdinal, Settings otherSettings) {
        return Settings.builder()
                .put(super.nodeSettings(nodeOrdinal, otherSettings))
                .put("http.host", "127.0.0.1")
                .put("transport.host", "127.0.0.1")
                // any free port: the framework's fixed range would collide with a second node on this machine
                .put("http.port", "0")
                .put("transport.port", "0")
                .build();
    }

    @Override
    protected Collection<Class<? extends Plugin>> nodePlugins() {
        return List.of(Netty4Plugin.class);
    }

    @Override
    protected boolean addMockHttpTransport() {
        return false;
    }

    @Override
    protected boolean addMockInternalEngine() {
        return false;
    }

    @Override
    protected boolean addMockFSIndexStore() {
        return false;
    }

    @Override
    protected boolean enableConcurrentSearch() {
        return false;
    }

    @Override
    protected Collection<Class<? extends Plugin>> getMockPlugins() {
        List<Class<? extends Plugin>> mocks = new ArrayList<>(super.getMockPlugins());
        mocks.removeAll(List.of(MockTransportService.TestPlugin.class, NodeMocksPlugin.class, MockSearchService.TestPlugin.class,
                MockFieldFilterPlugin.class));
        return mocks;
    }

    @Timeout(millis = Integer.MAX_VALUE)
    public void testServeUntilReleased() throws Exception {
        ensureGreen();
        assertTrue(indicesAdmin().prepareDeleteTemplate(RANDOM_INDEX_TEMPLATE).get().isAcknowledged());
        InetSocketAddress address = internalCluster().getInstance(HttpServerTransport.class).boundAddress().publishAddress().address();
        assertEquals("127.0.0.1", address.getAddress().getHostAddress());
        ADDRESS.complete("127.0.0.1:" + address.getPort());
        if (held) {
            RELEASE.await();
        }
    }

    /**
     * Runs the node until standard input ends. Exit status 0 after a clean stop, 1 when the node did not start,
     * 2 when it started but its test run reported a failure while stopping.
     */
    public static void main(String[] args) throws Exception {
        held = true;
        CompletableFuture<Result> run = new CompletableFuture<>();
        Thread runner = new Thread(() -> {
            try {
                run.complete(new JUnitCore().run(HeldNode.class));
            } catch (Throwable t) {
                run.completeExceptionally(t);
            }
        }, "held-node-junit");
        runner.start();

        CompletableFuture.anyOf(ADDRESS, run).exceptionally(t -> null).join();
        if (!ADDRESS.isDone()) {
            System.err.println("Elasticsearch node did not start");
            printFailures(run);
            System.exit(1);
        }
        System.out.println(READY_PREFIX + ADDRESS.join());
        System.out.flush();

        try {
            System.in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            // a broken pipe means the parent is gone: stop just the same
        }
        RELEASE.countDown();
        try {
            Result result = run.get(30, TimeUnit.SECONDS);
            if (!result.wasSuccessful()) {
                printFailures(run);
            }
            System.exit(result.wasSuccessful() ? 0 : 2);
        } catch (TimeoutException e) {
            System.err.println("Elasticsearch node did not stop within 30 s; exiting anyway");
            System.exit(0);
        }
    }

    private static void printFailures(CompletableFuture<Result> run) {
        try {
            for (Failure failure : run.join().getFailures()) {
                System.err.println(failure.getTestHeader() + ": " + failure.getTrace());
            }
        } catch (RuntimeException e) {
            e.printStackTrace();
        }
    }
}
