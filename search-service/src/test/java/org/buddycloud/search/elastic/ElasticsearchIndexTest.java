package org.buddycloud.search.elastic;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;
import java.util.function.Supplier;
import org.buddycloud.search.domain.SearchIndex;
import org.buddycloud.search.domain.SearchIndexContract;
import org.buddycloud.testsupport.ElasticsearchNodeProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/**
 * The contract on a real Elasticsearch 8.19 node (the Elasticsearch test framework's, started as a process of its own
 * from the Maven artifacts). Where the node cannot start, the suite is skipped and says why.
 */
class ElasticsearchIndexTest extends SearchIndexContract {

    private static ElasticsearchNodeProcess node;
    private static String skipped;

    @BeforeAll
    static void startNode() {
        try {
            node = ElasticsearchNodeProcess.start();
        } catch (RuntimeException e) {
            skipped = "Elasticsearch suite skipped: " + e.getMessage();
            org.jboss.logging.Logger.getLogger(ElasticsearchIndexTest.class).warn(skipped);
        }
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    @Override
    protected SearchIndex newIndex() {
        Assumptions.assumeTrue(node != null, () -> skipped);
        // every test its own indices: nothing of one test is left for the next
        return ElasticsearchIndex.connect(ElasticsearchSettings.local(node.url(), "t" + UUID.randomUUID().toString().substring(0, 8)));
    }

    @Override
    protected void settle(Supplier<Boolean> condition) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(condition::get);
    }
}
