package org.buddycloud.esnode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.DistanceUnit;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.HealthStatus;
import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.aggregations.StringTermsBucket;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.elasticsearch.core.search.HighlightField;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.TransportException;
import co.elastic.clients.transport.rest5_client.Rest5ClientTransport;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;
import co.elastic.clients.util.NamedValue;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.buddycloud.testsupport.ElasticsearchNodeProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Proves {@link ElasticsearchNodeProcess}: a real Elasticsearch 8.19 node in a child JVM, driven by the
 * Elasticsearch Java client 9.5 over its REST5 transport, through the calls the search service's Elasticsearch
 * engine makes. Skipped, saying why, where the node cannot start.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ElasticsearchNodeProcessIT {

    private static final String INDEX = "posts";
    /**
     * The 9.x client asks for the 9.x REST API ({@code compatible-with=9}), which an 8.19 node refuses ("Accept version
     * must be either version 8 or 7"); asking for the 8.x API makes the same client calls work against it.
     */
    private static final String COMPATIBLE_WITH_8 = "application/vnd.elasticsearch+json; compatible-with=8";

    /** A post as the search service would index it. */
    record Post(String title, String body, String channel, Location location) {
    }

    record Location(double lat, double lon) {
    }

    private static ElasticsearchNodeProcess node;
    private static Rest5Client rest;
    private static ElasticsearchClient client;

    @BeforeAll
    static void startNode() {
        node = ElasticsearchNodeProcess.startOrSkip();
        rest = Rest5Client.builder(URI.create(node.url())).build();
        client = new ElasticsearchClient(new Rest5ClientTransport(rest, new JacksonJsonpMapper()))
                .withTransportOptions(o -> o.setHeader("Accept", COMPATIBLE_WITH_8).setHeader("Content-Type", COMPATIBLE_WITH_8));
    }

    @AfterAll
    static void stopNode() throws IOException {
        if (rest != null) {
            rest.close();
        }
        if (node != null) {
            node.close();
        }
    }

    @Test
    @Order(1)
    void createsAnIndexWithAGeoPointMapping() throws IOException {
        assertEquals(HealthStatus.Green, client.cluster().health().status());
        assertTrue(client.indices().create(c -> c.index(INDEX)
                .settings(s -> s.numberOfShards("1").numberOfReplicas("0"))
                .mappings(m -> m
                        .properties("title", p -> p.text(t -> t))
                        .properties("body", p -> p.text(t -> t))
                        .properties("channel", p -> p.keyword(k -> k))
                        .properties("location", p -> p.geoPoint(g -> g)))).acknowledged());
        assertTrue(client.indices().exists(e -> e.index(INDEX)).value());
        assertEquals("geo_point", client.indices().getMapping(g -> g.index(INDEX)).get(INDEX).mappings().properties()
                .get("location")._kind().jsonValue());
    }

    @Test
    @Order(2)
    void indexesThreeDocumentsWithRefresh() throws IOException {
        index("1", new Post("Kafka in production", "We run Kafka brokers on three racks", "tech", new Location(51.5074, -0.1278)));
        index("2", new Post("Weekend in Paris", "Cafes, museums and a little Kafka on the train", "travel",
                new Location(48.8566, 2.3522)));
        index("3", new Post("Berlin meetup", "XMPP channels and federation", "tech", new Location(52.5200, 13.4050)));
        assertEquals(3, client.count(c -> c.index(INDEX)).count());
        assertEquals("Berlin meetup", client.get(g -> g.index(INDEX).id("3"), Post.class).source().title());
    }

    @Test
    @Order(3)
    void matchQueryWithHighlight() throws IOException {
        SearchResponse<Post> response = client.search(s -> s.index(INDEX)
                .query(q -> q.match(m -> m.field("body").query("kafka")))
                .highlight(h -> h.fields(NamedValue.of("body", HighlightField.of(f -> f)))), Post.class);
        assertEquals(2, response.hits().total().value());
        for (Hit<Post> hit : response.hits().hits()) {
            assertTrue(hit.highlight().get("body").get(0).contains("<em>Kafka</em>"), hit.highlight().toString());
        }
    }

    @Test
    @Order(4)
    void geoDistanceSortedByDistance() throws IOException {
        // from Brussels: Paris (~264 km), London (~320 km); Berlin (~650 km) is outside 500 km
        SearchResponse<Post> response = client.search(s -> s.index(INDEX)
                .query(q -> q.geoDistance(g -> g.field("location").distance("500km")
                        .location(l -> l.latlon(ll -> ll.lat(50.8503).lon(4.3517)))))
                .sort(o -> o.geoDistance(g -> g.field("location").location(l -> l.latlon(ll -> ll.lat(50.8503).lon(4.3517)))
                        .order(SortOrder.Asc).unit(DistanceUnit.Kilometers))), Post.class);
        List<String> ids = response.hits().hits().stream().map(Hit::id).toList();
        assertEquals(List.of("2", "1"), ids);
        double paris = response.hits().hits().get(0).sort().get(0).doubleValue();
        assertTrue(paris > 250 && paris < 280, "distance to Paris " + paris);
    }

    @Test
    @Order(5)
    void termsAggregation() throws IOException {
        SearchResponse<Void> response = client.search(s -> s.index(INDEX).size(0)
                .aggregations("channels", a -> a.terms(t -> t.field("channel"))), Void.class);
        Map<String, Long> counts = response.aggregations().get("channels").sterms().buckets().array().stream()
                .collect(Collectors.toMap(b -> b.key().stringValue(), StringTermsBucket::docCount));
        assertEquals(Map.of("tech", 2L, "travel", 1L), counts);
    }

    @Test
    @Order(6)
    void deleteByQueryIsMissingSoDeleteTheSearchedIdsInOneBulk() throws IOException {
        // _delete_by_query lives in the reindex module, which is not on Maven Central
        ElasticsearchException missing = assertThrows(ElasticsearchException.class, () -> client.deleteByQuery(d -> d.index(INDEX)
                .query(q -> q.term(t -> t.field("channel").value("tech"))).refresh(true)));
        assertTrue(missing.getMessage().contains("no handler found"), missing.getMessage());

        // what works on every Elasticsearch: the ids by search, then one bulk delete
        List<String> ids = client.search(s -> s.index(INDEX).size(1000).source(src -> src.fetch(false))
                .query(q -> q.term(t -> t.field("channel").value("tech"))), Void.class).hits().hits().stream().map(Hit::id).toList();
        assertEquals(List.of("1", "3"), ids.stream().sorted().toList());
        BulkResponse deleted = client.bulk(b -> b.refresh(Refresh.True).operations(ids.stream()
                .map(id -> BulkOperation.of(o -> o.delete(d -> d.index(INDEX).id(id)))).toList()));
        assertFalse(deleted.errors());
        assertEquals(1, client.count(c -> c.index(INDEX)).count());
    }

    @Test
    @Order(7)
    void callsThisNodeDoesNotServe() {
        // without the compatibility headers the 9.x client is refused outright
        ElasticsearchClient plain = new ElasticsearchClient(client._transport());
        assertThrows(ElasticsearchException.class, () -> plain.cluster().health());
        // no rest-root module on Maven Central, so no GET / (info) and no HEAD / (ping)
        assertThrows(ElasticsearchException.class, () -> client.info());
        assertThrows(TransportException.class, () -> client.ping());
        // the 9.x model of the nodes info response does not read an 8.19 answer
        assertThrows(TransportException.class, () -> client.nodes().info());
    }

    @Test
    @Order(8)
    void deletesTheIndex() throws IOException {
        assertTrue(client.indices().delete(d -> d.index(INDEX)).acknowledged());
        assertFalse(client.indices().exists(e -> e.index(INDEX)).value());
    }

    private static void index(String id, Post post) throws IOException {
        client.index(i -> i.index(INDEX).id(id).document(post).refresh(Refresh.True));
    }
}
