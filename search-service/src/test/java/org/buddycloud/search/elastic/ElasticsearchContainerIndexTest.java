package org.buddycloud.search.elastic;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;
import java.util.function.Supplier;
import org.buddycloud.search.domain.SearchIndex;
import org.buddycloud.search.domain.SearchIndexContract;
import org.buddycloud.testsupport.Containers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.containers.GenericContainer;

/**
 * The contract on the Elasticsearch image docker-compose.yml runs (a full distribution, security off), through
 * Testcontainers, where a Docker engine exists; elsewhere skipped, saying so.
 */
class ElasticsearchContainerIndexTest extends SearchIndexContract {

    private static final String NO_DOCKER = "no Docker engine here: the Elasticsearch container suite is skipped "
            + "(ElasticsearchIndexTest runs the same contract against the test framework's node)";
    private static GenericContainer<?> elasticsearch;

    @BeforeAll
    static void startContainer() {
        if (Containers.dockerAvailable()) {
            elasticsearch = Containers.elasticsearch();
        } else {
            org.jboss.logging.Logger.getLogger(ElasticsearchContainerIndexTest.class).warn(NO_DOCKER);
        }
    }

    @AfterAll
    static void stopContainer() {
        Containers.stop(elasticsearch);
    }

    @Override
    protected SearchIndex newIndex() {
        Assumptions.assumeTrue(elasticsearch != null, NO_DOCKER);
        String url = "http://" + elasticsearch.getHost() + ":" + elasticsearch.getMappedPort(9200);
        return ElasticsearchIndex.connect(ElasticsearchSettings.local(url, "t" + UUID.randomUUID().toString().substring(0, 8)));
    }

    @Override
    protected void settle(Supplier<Boolean> condition) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(condition::get);
    }
}
