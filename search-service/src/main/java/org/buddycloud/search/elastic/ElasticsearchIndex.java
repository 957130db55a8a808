package org.buddycloud.search.elastic;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.Conflicts;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.GeoDistanceType;
import co.elastic.clients.elasticsearch._types.DistanceUnit;
import co.elastic.clients.elasticsearch._types.SortOptions;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.aggregations.StringTermsBucket;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.SearchRequest;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.elasticsearch.core.search.Highlight;
import co.elastic.clients.elasticsearch.core.search.HighlightField;
import co.elastic.clients.elasticsearch.core.search.HighlighterEncoder;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.json.JsonData;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest5_client.Rest5ClientTransport;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;
import co.elastic.clients.util.NamedValue;
import java.io.IOException;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.message.BasicHeader;
import org.apache.hc.core5.util.Timeout;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.search.domain.ActivityQuery;
import org.buddycloud.search.domain.ChannelActivity;
import org.buddycloud.search.domain.ChannelEntry;
import org.buddycloud.search.domain.ChannelHit;
import org.buddycloud.search.domain.ChannelQuery;
import org.buddycloud.search.domain.Hits;
import org.buddycloud.search.domain.IndexChange;
import org.buddycloud.search.domain.IndexState.Removal;
import org.buddycloud.search.domain.IndexState.Removed;
import org.buddycloud.search.domain.IndexRejectedException;
import org.buddycloud.search.domain.IndexUnavailableException;
import org.buddycloud.search.domain.NearbyQuery;
import org.buddycloud.search.domain.Page;
import org.buddycloud.search.domain.PostEntry;
import org.buddycloud.search.domain.PostHit;
import org.buddycloud.search.domain.PostQuery;
import org.buddycloud.search.domain.ReadFilter;
import org.buddycloud.search.domain.SearchIndex;
import org.buddycloud.search.domain.SearchText;

/**
 * The engine at scale: three indices on an Elasticsearch cluster ({@code <prefix>-posts}, {@code -channels} and
 * {@code -positions}), shared by every replica of the service. Changes go in bulk; those that touch many posts (a new
 * access model, a deleted channel or account) in rounds of search and bulk, after a refresh so that they meet what the
 * bulk just wrote.
 * Positions are written after the changes they follow, so a crash in between replays changes that are idempotent.
 * Searches see changes after the index's refresh interval (a second by default).
 */
public final class ElasticsearchIndex implements SearchIndex {

    /** Channels counted for "most active" before the domain filter; more than any period of one deployment has. */
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(ElasticsearchIndex.class);
    private static final int MOST_CHANNELS_COUNTED = 10_000;
    /** Posts changed per bulk request when one change touches many (an access model, a deleted channel). */
    private static final int ROUND = 1_000;
    private static final Map<String, Double> POST_FIELDS = Map.of("content", 1.0, "title", 1.5);
    private static final Map<String, Double> CHANNEL_FIELDS = Map.of("title", 2.0, "description", 1.0, "names", 1.0, "place", 0.5);

    private final ElasticsearchClient client;
    private final String posts;
    private final String channels;
    private final String positions;
    private final String removals;
    private final ElasticsearchSettings settings;
    private volatile boolean indicesExist;

    private ElasticsearchIndex(ElasticsearchClient client, ElasticsearchSettings settings) {
        this.client = client;
        this.settings = settings;
        this.posts = settings.indexPrefix() + "-posts";
        this.channels = settings.indexPrefix() + "-channels";
        this.positions = settings.indexPrefix() + "-positions";
        this.removals = settings.indexPrefix() + "-removals";
        try {
            indices();
        } catch (RuntimeException e) {
            // a cluster that is not there yet: the service starts anyway (unready), and every call tries again
            LOG.warnf("Elasticsearch at %s does not answer yet (%s); the indices are created once it does", settings.hosts(), e.getMessage());
        }
    }

    /** Creates the indices that are missing, once; every call into the cluster passes here first. */
    private void indices() {
        if (indicesExist) {
            return;
        }
        create(posts, ElasticsearchDocuments.POSTS_MAPPING, settings);
        create(channels, ElasticsearchDocuments.CHANNELS_MAPPING, settings);
        create(positions, ElasticsearchDocuments.POSITIONS_MAPPING, settings);
        create(removals, ElasticsearchDocuments.REMOVALS_MAPPING, settings);
        indicesExist = true;
    }

    public static ElasticsearchIndex connect(ElasticsearchSettings settings) {
        List<Header> headers = new ArrayList<>();
        if (settings.apiKey() != null) {
            headers.add(new BasicHeader("Authorization", "ApiKey " + settings.apiKey()));
        } else if (settings.username() != null) {
            String pair = settings.username() + ":" + (settings.password() == null ? "" : settings.password());
            headers.add(new BasicHeader("Authorization", "Basic "
                    + java.util.Base64.getEncoder().encodeToString(pair.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        }
        Rest5Client rest = Rest5Client.builder(settings.hosts().stream().map(URI::create).toList())
                .setDefaultHeaders(headers.toArray(Header[]::new))
                // a node that takes a request and never answers must not hold the indexing (or a caller) for ever
                .setRequestConfigCallback(r -> r.setResponseTimeout(Timeout.of(settings.requestTimeout()))
                        .setConnectionRequestTimeout(Timeout.of(settings.requestTimeout())))
                .build();
        ElasticsearchClient client = new ElasticsearchClient(new Rest5ClientTransport(rest, new JacksonJsonpMapper()));
        // the client speaks the 9.x API; 8.x servers answer only requests that ask for 8, which 9.x servers also take
        String mediaType = "application/vnd.elasticsearch+json; compatible-with=" + settings.compatibleWith();
        return new ElasticsearchIndex(client.withTransportOptions(o -> o.setHeader("Accept", mediaType).setHeader("Content-Type", mediaType)),
                settings);
    }

    @Override
    public String engine() {
        return "elasticsearch";
    }

    private void create(String index, String mapping, ElasticsearchSettings settings) {
        createCall(() -> {
            if (client.indices().exists(e -> e.index(index)).value()) {
                return null;
            }
            try {
                client.indices().create(c -> c.index(index)
                        .settings(s -> s.numberOfShards(Integer.toString(settings.shards())).numberOfReplicas(Integer.toString(settings.replicas())))
                        .mappings(m -> m.withJson(new StringReader(mapping))));
            } catch (ElasticsearchException e) {
                // another replica created it a moment ago
                if (!"resource_already_exists_exception".equals(e.error().type())) {
                    throw e;
                }
            }
            return null;
        });
    }

    @Override
    public void apply(List<IndexChange> changes, Map<String, Long> newPositions) {
        Writes writes = new Writes();
        changes.forEach(change -> change.applyTo(writes));
        List<BulkOperation> pending = writes.pending;
        flush(pending);
        recheckAccess(writes.written);
        newPositions.forEach((partition, offset) -> pending.add(BulkOperation.of(o -> o.index(i -> i.index(positions)
                .id(partition).document(Map.of("offset", offset))))));
        flush(pending);
    }

    /** Gathers changes into bulk requests; a change by query first sends what was gathered before it. */
    private final class Writes implements IndexChange.Engine {

        private final List<BulkOperation> pending = new ArrayList<>();
        private final List<PostEntry> written = new ArrayList<>();

        @Override
        public void putPost(PostEntry post) {
            written.add(post);
            pending.add(BulkOperation.of(o -> o.index(i -> i.index(posts).id(post.key()).document(ElasticsearchDocuments.post(post)))));
        }

        @Override
        public void removePost(Jid channel, String itemId) {
            pending.add(BulkOperation.of(o -> o.delete(d -> d.index(posts).id(PostEntry.key(channel, itemId)))));
        }

        @Override
        public void putChannel(ChannelEntry channel) {
            pending.add(BulkOperation.of(o -> o.index(i -> i.index(channels).id(channel.channel().toString())
                    .document(ElasticsearchDocuments.channel(channel)))));
        }

        @Override
        public void changeAccess(Jid channel, AccessModel accessModel) {
            flush(pending);
            rewriteAccess(channel, accessModel);
        }

        @Override
        public void removeChannel(Jid channel, boolean entryToo, Instant at) {
            flush(pending);
            deletePosts(term("channel", channel.toString()));
            if (entryToo) {
                pending.add(BulkOperation.of(o -> o.delete(d -> d.index(channels).id(channel.toString()))));
            }
            remember(Removed.CHANNEL, channel, at);
        }

        @Override
        public void removeAuthor(Jid author, Instant at) {
            flush(pending);
            deletePosts(term("author", author.toString()));
            remember(Removed.AUTHOR, author, at);
        }

        private void remember(Removed kind, Jid jid, Instant at) {
            pending.add(BulkOperation.of(o -> o.index(i -> i.index(removals).id(removalId(kind, jid))
                    .document(Map.of("at", at.toEpochMilli())))));
        }
    }

    private void flush(List<BulkOperation> pending) {
        if (pending.isEmpty()) {
            return;
        }
        BulkResponse response = call(() -> client.bulk(b -> b.operations(pending)));
        pending.clear();
        if (response.errors()) {
            for (BulkResponseItem item : response.items()) {
                // deleting what is not there is what a replay does: not an error
                if (item.error() != null && item.status() != 404) {
                    String refusal = "Elasticsearch refused a change to " + item.index() + "/" + item.id() + ": "
                            + item.error().type() + " " + item.error().reason();
                    if (item.status() == 429 || item.status() >= 500) {
                        throw new IndexUnavailableException(refusal, null);
                    }
                    throw new IndexRejectedException(refusal);
                }
            }
        }
    }

    /**
     * Gives the channel's posts that were indexed under another access model the new one. Done as a search and
     * partial updates in rounds rather than update-by-query: that needs the reindex module and a script language,
     * which not every cluster has (the test framework's node has neither), and rounds of bulk work everywhere.
     */
    private void rewriteAccess(Jid channel, AccessModel model) {
        Query stale = Query.of(q -> q.bool(b -> b.filter(term("channel", channel.toString())).mustNot(term("access", model.name()))));
        inRounds(stale, id -> BulkOperation.of(o -> o.update(u -> u.index(posts).id(id)
                .action(a -> a.doc(Map.of("access", model.name()))))));
    }

    /**
     * Replicas share the cluster: while this one planned a post by the channel's access model it read, another may
     * have written a newer one and rewritten the channel's posts — before this post arrived. Reading the entries again
     * after the write closes that gap: a newer model seen now is applied here, and one written after this read is
     * applied by its writer's rewrite, which comes after it and so finds this post.
     */
    @SuppressWarnings("unchecked")
    private void recheckAccess(List<PostEntry> written) {
        if (written.isEmpty()) {
            return;
        }
        List<String> ids = written.stream().map(p -> p.channel().toString()).distinct().toList();
        var found = call(() -> client.mget(m -> m.index(channels).ids(ids), Map.class));
        Map<String, ChannelEntry> entries = new HashMap<>();
        found.docs().forEach(item -> {
            if (item.isResult() && item.result().found()) {
                entries.put(item.result().id(), ElasticsearchDocuments.channel(item.result().source()));
            }
        });
        List<BulkOperation> fixes = new ArrayList<>();
        for (PostEntry post : written) {
            ChannelEntry entry = entries.get(post.channel().toString());
            if (entry != null && entry.accessModel() != post.accessModel() && entry.configuredAt() != null
                    && entry.configuredAt().isAfter(post.updated())) {
                fixes.add(BulkOperation.of(o -> o.update(u -> u.index(posts).id(post.key())
                        .action(a -> a.doc(Map.of("access", entry.accessModel().name()))))));
            }
        }
        flush(fixes);
    }

    /** Deletes the posts the query finds, in rounds of bulk deletes (see {@link #rewriteAccess}). */
    private void deletePosts(Query which) {
        inRounds(which, id -> BulkOperation.of(o -> o.delete(d -> d.index(posts).id(id))));
    }

    /** Until the query finds nothing: a page of matching ids, one bulk operation each, a refresh. */
    private void inRounds(Query query, Function<String, BulkOperation> operation) {
        refresh(posts);
        while (true) {
            SearchResponse<Void> found = call(() -> client.search(s -> s.index(posts).query(query).size(ROUND).source(src -> src.fetch(false)),
                    Void.class));
            if (found.hits().hits().isEmpty()) {
                return;
            }
            List<BulkOperation> round = new ArrayList<>();
            found.hits().hits().forEach(hit -> round.add(operation.apply(hit.id())));
            flush(round);
            refresh(posts);
        }
    }

    private void refresh(String index) {
        call(() -> client.indices().refresh(r -> r.index(index)));
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, Long> positions() {
        refresh(positions);
        SearchResponse<Map> found = call(() -> client.search(s -> s.index(positions).size(10_000)
                .query(q -> q.matchAll(m -> m)), Map.class));
        Map<String, Long> result = new HashMap<>();
        for (Hit<Map> hit : found.hits().hits()) {
            result.put(hit.id(), ((Number) hit.source().get("offset")).longValue());
        }
        return result;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Optional<Instant> removedAt(Removed kind, Jid jid) {
        var found = call(() -> client.get(g -> g.index(removals).id(removalId(kind, jid)), Map.class));
        return found.found() ? Optional.of(Instant.ofEpochMilli(((Number) found.source().get("at")).longValue())) : Optional.empty();
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<Jid, ChannelEntry> channels(java.util.Collection<Jid> wanted) {
        Map<Jid, ChannelEntry> found = new HashMap<>();
        if (wanted.isEmpty()) {
            return found;
        }
        List<String> ids = wanted.stream().map(Jid::toString).toList();
        call(() -> client.mget(m -> m.index(channels).ids(ids), Map.class)).docs().forEach(item -> {
            if (item.isResult() && item.result().found()) {
                ChannelEntry entry = ElasticsearchDocuments.channel(item.result().source());
                found.put(entry.channel(), entry);
            }
        });
        return found;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<Removal, Instant> removedAt(java.util.Collection<Removal> wanted) {
        Map<Removal, Instant> found = new HashMap<>();
        if (wanted.isEmpty()) {
            return found;
        }
        Map<String, Removal> byId = new HashMap<>();
        wanted.forEach(r -> byId.put(removalId(r.kind(), r.jid()), r));
        call(() -> client.mget(m -> m.index(removals).ids(List.copyOf(byId.keySet())), Map.class)).docs().forEach(item -> {
            if (item.isResult() && item.result().found()) {
                found.put(byId.get(item.result().id()), Instant.ofEpochMilli(((Number) item.result().source().get("at")).longValue()));
            }
        });
        return found;
    }

    private static String removalId(Removed kind, Jid jid) {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + ":" + jid;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Optional<ChannelEntry> channel(Jid channel) {
        var found = call(() -> client.get(g -> g.index(channels).id(channel.toString()), Map.class));
        return found.found() ? Optional.of(ElasticsearchDocuments.channel(found.source())) : Optional.empty();
    }

    @Override
    @SuppressWarnings("unchecked")
    public Hits<PostHit> posts(PostQuery query, ReadFilter filter) {
        if (query.within() != null && query.within().isEmpty()) {
            return Hits.none(query.page());
        }
        List<Query> filters = new ArrayList<>(List.of(readableBy(filter)));
        if (query.author() != null) {
            filters.add(term("author", query.author().toString()));
        }
        if (query.channel() != null) {
            filters.add(term("channel", query.channel().toString()));
        }
        if (query.within() != null) {
            filters.add(terms("channel", query.within().stream().map(Jid::toString).toList()));
        }
        Query q = Query.of(b -> b.bool(bool -> bool.filter(filters).must(text(query.text(), POST_FIELDS))));
        List<SortOptions> sort = new ArrayList<>();
        if (query.order() == PostQuery.Order.RELEVANCE) {
            sort.add(SortOptions.of(s -> s.score(sc -> sc.order(SortOrder.Desc))));
        }
        sort.add(SortOptions.of(s -> s.field(f -> f.field("updated").order(SortOrder.Desc))));
        SearchResponse<Map> found = search(posts, q, query.page(), sort,
                highlight(Map.of("content", HighlightField.of(h -> h.numberOfFragments(2).fragmentSize(150)))));
        List<PostHit> hits = found.hits().hits().stream()
                .map(hit -> new PostHit(ElasticsearchDocuments.post(hit.source()), hit.highlight().getOrDefault("content", List.of())))
                .toList();
        return new Hits<>(total(found), query.page().index(), hits);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Hits<ChannelHit> channels(ChannelQuery query, ReadFilter filter) {
        Query q = Query.of(b -> b.bool(bool -> bool.filter(readableBy(filter), advertised()).must(text(query.text(), CHANNEL_FIELDS))));
        List<SortOptions> sort = List.of(SortOptions.of(s -> s.score(sc -> sc.order(SortOrder.Desc))),
                SortOptions.of(s -> s.field(f -> f.field("channel").order(SortOrder.Asc))));
        SearchResponse<Map> found = search(channels, q, query.page(), sort, highlight(Map.of(
                "title", HighlightField.of(h -> h.numberOfFragments(0)),
                "description", HighlightField.of(h -> h.numberOfFragments(2).fragmentSize(150)))));
        List<ChannelHit> hits = found.hits().hits().stream().map(hit -> {
            List<String> highlights = new ArrayList<>(hit.highlight().getOrDefault("title", List.of()));
            highlights.addAll(hit.highlight().getOrDefault("description", List.of()));
            return new ChannelHit(ElasticsearchDocuments.channel(hit.source()), null, highlights);
        }).toList();
        return new Hits<>(total(found), query.page().index(), hits);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Hits<ChannelHit> nearby(NearbyQuery query, ReadFilter filter) {
        Query near = Query.of(q -> q.geoDistance(g -> g.field("location").distance(query.radiusKm() + "km")
                .distanceType(GeoDistanceType.Arc).location(l -> l.latlon(ll -> ll.lat(query.lat()).lon(query.lon())))));
        Query q = Query.of(b -> b.bool(bool -> bool.filter(readableBy(filter), advertised(), near)));
        List<SortOptions> sort = List.of(SortOptions.of(s -> s.geoDistance(g -> g.field("location")
                .location(l -> l.latlon(ll -> ll.lat(query.lat()).lon(query.lon())))
                .order(SortOrder.Asc).unit(DistanceUnit.Kilometers).distanceType(GeoDistanceType.Arc))));
        SearchResponse<Map> found = search(channels, q, query.page(), sort, null);
        List<ChannelHit> hits = found.hits().hits().stream().map(hit -> new ChannelHit(ElasticsearchDocuments.channel(hit.source()),
                hit.sort().get(0).doubleValue(), List.of())).toList();
        return new Hits<>(total(found), query.page().index(), hits);
    }

    @Override
    public List<ChannelActivity> mostActive(ActivityQuery query, ReadFilter filter) {
        Query q = Query.of(b -> b.bool(bool -> bool.filter(readableBy(filter),
                Query.of(r -> r.range(range -> range.date(d -> d.field("published").gte(Long.toString(query.since().toEpochMilli()))))))));
        SearchResponse<Void> found = call(() -> client.search(s -> s.index(posts).size(0).query(q)
                .aggregations("channels", a -> a.terms(t -> t.field("channel").size(MOST_CHANNELS_COUNTED))), Void.class));
        List<StringTermsBucket> buckets = found.aggregations().get("channels").sterms().buckets().array();
        return buckets.stream()
                .filter(b -> query.coversChannel(b.key().stringValue()))
                .sorted((a, b) -> a.docCount() != b.docCount() ? Long.compare(b.docCount(), a.docCount())
                        : a.key().stringValue().compareTo(b.key().stringValue()))
                .map(b -> {
                    Jid channel = Jid.parse(b.key().stringValue());
                    return new ChannelActivity(channel, b.docCount(), channel(channel).orElse(null));
                })
                .filter(ChannelActivity::listed)
                .limit(query.max())
                .toList();
    }

    @Override
    public long postCount() {
        refresh(posts);
        return call(() -> client.count(c -> c.index(posts))).count();
    }

    @Override
    public void clear() {
        // the indices go and come back empty: quicker than deleting every document, and no reindex module needed
        call(() -> client.indices().delete(d -> d.index(List.of(posts, channels, positions, removals)).ignoreUnavailable(true)));
        indicesExist = false;
        indices();
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (Exception e) {
            throw new IllegalStateException("the Elasticsearch client did not close cleanly", e);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private SearchResponse<Map> search(String index, Query q, Page page, List<SortOptions> sort, Highlight highlight) {
        SearchRequest request = SearchRequest.of(s -> {
            s.index(index).query(q).from(page.index()).size(page.max()).sort(sort).trackTotalHits(t -> t.count(Page.DEEPEST_END));
            if (highlight != null) {
                s.highlight(highlight);
            }
            return s;
        });
        return call(() -> client.search(request, Map.class));
    }

    /** Marks around the matching words; the rest of the text HTML-escaped, as the Lucene engine does. */
    private static Highlight highlight(Map<String, HighlightField> fields) {
        return Highlight.of(h -> h.encoder(HighlighterEncoder.Html).preTags("<em>").postTags("</em>")
                .fields(fields.entrySet().stream().map(e -> NamedValue.of(e.getKey(), e.getValue())).toList()));
    }

    private static long total(SearchResponse<?> found) {
        return found.hits().total() == null ? found.hits().hits().size() : Math.min(found.hits().total().value(), Page.DEEPEST_END);
    }

    /** Every word and phrase must match one of the fields: match queries, so nothing the user typed is syntax. */
    private static Query text(SearchText text, Map<String, Double> fields) {
        List<String> boosted = fields.entrySet().stream().map(e -> e.getKey() + "^" + e.getValue()).toList();
        List<Query> parts = text.parts().stream().map(part -> Query.of(q -> q.multiMatch(m -> m.query(part.text()).fields(boosted)
                .type(part.phrase() ? co.elastic.clients.elasticsearch._types.query_dsl.TextQueryType.Phrase
                        : co.elastic.clients.elasticsearch._types.query_dsl.TextQueryType.BestFields)
                .operator(co.elastic.clients.elasticsearch._types.query_dsl.Operator.And)))).toList();
        return Query.of(q -> q.bool(b -> b.must(parts)));
    }

    /** The caller's {@link ReadFilter}, as the Lucene engine builds it. */
    private static Query readableBy(ReadFilter filter) {
        Set<Jid> known = filter.withStanding();
        Query stranger = Query.of(q -> q.bool(b -> {
            b.filter(terms("access", filter.openTo().stream().map(Enum::name).toList()));
            if (!known.isEmpty()) {
                b.mustNot(terms("channel", known.stream().map(Jid::toString).toList()));
            }
            return b;
        }));
        List<Query> either = new ArrayList<>(List.of(stranger));
        filter.byStanding().forEach((models, channels) -> {
            if (!models.isEmpty()) {
                either.add(Query.of(q -> q.bool(b -> b.filter(terms("channel", channels.stream().map(Jid::toString).toList()),
                        terms("access", models.stream().map(Enum::name).toList())))));
            }
        });
        return Query.of(q -> q.bool(b -> b.should(either).minimumShouldMatch("1")));
    }

    private static Query advertised() {
        return Query.of(q -> q.term(t -> t.field("advertised").value(true)));
    }

    private static Query term(String field, String value) {
        return Query.of(q -> q.term(t -> t.field(field).value(value)));
    }

    private static Query terms(String field, List<String> values) {
        return Query.of(q -> q.terms(t -> t.field(field).terms(v -> v.value(values.stream().map(FieldValue::of).toList()))));
    }

    private interface Call<T> {
        T run() throws IOException;
    }

    /** A call into the cluster, once the indices exist; no answer is {@link IndexUnavailableException}. */
    private <T> T call(Call<T> call) {
        try {
            if (!indicesExist) {
                indices();
            }
            return call.run();
        } catch (IOException e) {
            throw new IndexUnavailableException("Elasticsearch did not answer: " + e.getMessage(), e);
        } catch (ElasticsearchException e) {
            // 429 and 5xx pass; a 4xx says the request itself is wrong and will stay wrong
            int status = e.status();
            if (status == 429 || status >= 500) {
                throw new IndexUnavailableException("Elasticsearch is not taking requests: " + e.getMessage(), e);
            }
            throw e;
        }
    }

    private void createCall(Call<?> call) {
        try {
            call.run();
        } catch (IOException e) {
            throw new IndexUnavailableException("Elasticsearch did not answer: " + e.getMessage(), e);
        }
    }

}
