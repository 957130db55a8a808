package org.buddycloud.search.elastic;

import java.util.List;

/**
 * Where the Elasticsearch cluster is and how to log in (a user and password, or an API key, or neither on a closed
 * network), the names and layout of this service's indices, and the major version of the REST API the requests ask
 * for ({@code compatible-with}: 8 suits 8.x and 9.x servers), and the longest wait for an answer.
 */
public record ElasticsearchSettings(List<String> hosts, String username, String password, String apiKey,
                                    String indexPrefix, int shards, int replicas, int compatibleWith,
                                    java.time.Duration requestTimeout) {

    public ElasticsearchSettings {
        hosts = List.copyOf(hosts);
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("buddycloud.search.elasticsearch.hosts names no node");
        }
    }

    /** For tests and benchmarks: one node, no credentials, a single shard without replicas. */
    public static ElasticsearchSettings local(String url, String indexPrefix) {
        return new ElasticsearchSettings(List.of(url), null, null, null, indexPrefix, 1, 0, 8, java.time.Duration.ofSeconds(30));
    }
}
