package org.buddycloud.search;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The search service's settings ({@code buddycloud.search.*}); README.md lists them. */
@ConfigMapping(prefix = "buddycloud.search")
public interface SearchConfig {

    enum Engine { LUCENE, ELASTICSEARCH }

    /** {@code lucene} (an index on local disk, the embedded default) or {@code elasticsearch}. */
    @WithDefault("lucene")
    Engine engine();

    Lucene lucene();

    Elasticsearch elasticsearch();

    /** The longest a failing index write is retried before the next attempt: back-off doubles up to this. */
    @WithDefault("30s")
    Duration longestRetry();

    /** How often the service learns where the topics end, to report its lag. */
    @WithDefault("10s")
    Duration lagCheckInterval();

    /**
     * The Kafka consumer group of the index feed. Unset, each process has its own (Lucene: every replica indexes
     * everything); with Elasticsearch the replicas share one, e.g. {@code search-service-index}.
     */
    Optional<String> consumerGroup();

    Xmpp xmpp();

    TasteEngine tasteEngine();

    /**
     * The taste engine, which the directory asks for {@code recommendation_query} and {@code similar_channels}
     * (PROTOCOL.md §6): those are its answers, given over the directory's XMPP address.
     */
    interface TasteEngine {
        /** Its base URL. */
        @WithDefault("http://localhost:8085")
        java.net.URI url();

        /** The longest wait for its answer; past it the directory answers {@code service-unavailable}. */
        @WithDefault("5s")
        Duration timeout();
    }

    /** The directory as a XEP-0114 component of the channel server (PROTOCOL.md §6); off without a secret. */
    interface Xmpp {
        /** The channel server's component port. */
        @WithDefault("localhost")
        String host();

        @WithDefault("5347")
        int port();

        /** The directory's address, which the channel server must accept with the same secret. */
        @WithDefault("directory.${buddycloud.domain:localhost}")
        String domain();

        Optional<String> secret();
    }

    interface Lucene {
        /** Where the index lives; each replica keeps its own. */
        @WithDefault("data/search-index")
        Path path();

        /**
         * The longest changes wait before a commit makes them durable (a commit waits for the disk). A crash loses
         * nothing: the index and its positions are committed together, and the topics are read again from there.
         */
        @WithDefault("1s")
        Duration commitInterval();
    }

    interface Elasticsearch {
        /** The nodes, e.g. {@code https://es-0.example.org:9200}; the client spreads requests over them. */
        @WithDefault("http://localhost:9200")
        List<String> hosts();

        Optional<String> username();

        Optional<String> password();

        /** An API key (base64 {@code id:key}), instead of a user name and password. */
        Optional<String> apiKey();

        /** Names of this service's indices begin with it: {@code <prefix>-posts}, {@code -channels}, {@code -positions}. */
        @WithDefault("buddycloud")
        String indexPrefix();

        @WithDefault("3")
        int shards();

        @WithDefault("1")
        int replicas();

        /** The longest wait for an answer; past it the request fails (indexing retries, a search answers 503). */
        @WithDefault("30s")
        Duration requestTimeout();

        /** The REST API version requests ask for: 8 is understood by 8.x and 9.x servers alike. */
        @WithDefault("8")
        int compatibleWith();
    }
}
