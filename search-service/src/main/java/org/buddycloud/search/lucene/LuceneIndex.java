package org.buddycloud.search.lucene;

import static org.buddycloud.search.lucene.LuceneDocuments.ACCESS;
import static org.buddycloud.search.lucene.LuceneDocuments.CHANNEL;
import static org.buddycloud.search.lucene.LuceneDocuments.CHANNEL_KIND;
import static org.buddycloud.search.lucene.LuceneDocuments.CONTENT;
import static org.buddycloud.search.lucene.LuceneDocuments.DESCRIPTION;
import static org.buddycloud.search.lucene.LuceneDocuments.LOCATION;
import static org.buddycloud.search.lucene.LuceneDocuments.NAMES;
import static org.buddycloud.search.lucene.LuceneDocuments.PLACE;
import static org.buddycloud.search.lucene.LuceneDocuments.POST;
import static org.buddycloud.search.lucene.LuceneDocuments.PUBLISHED;
import static org.buddycloud.search.lucene.LuceneDocuments.TITLE;
import static org.buddycloud.search.lucene.LuceneDocuments.UPDATED;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.LatLonDocValuesField;
import org.apache.lucene.document.LatLonPoint;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopFieldCollectorManager;
import org.apache.lucene.search.uhighlight.DefaultPassageFormatter;
import org.apache.lucene.search.uhighlight.UnifiedHighlighter;
import org.apache.lucene.store.FSDirectory;
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
import org.buddycloud.search.domain.NearbyQuery;
import org.buddycloud.search.domain.Page;
import org.buddycloud.search.domain.PostEntry;
import org.buddycloud.search.domain.PostHit;
import org.buddycloud.search.domain.PostQuery;
import org.buddycloud.search.domain.ReadFilter;
import org.buddycloud.search.domain.SearchIndex;

/**
 * The embedded engine: one Lucene index on local disk. Changes and the topic positions they bring the index to are
 * committed together (the positions ride in the commit's user data), so after a crash the index and its positions
 * agree and the topics are read again from there. Searches see a commit as soon as {@link #apply} returns.
 */
public final class LuceneIndex implements SearchIndex {

    private static final String POSITION = "position:";
    private static final Map<String, Float> POST_FIELDS = linked(CONTENT, 1f, TITLE, 1.5f);
    private static final Map<String, Float> CHANNEL_FIELDS = linked(TITLE, 2f, DESCRIPTION, 1f, NAMES, 1f, PLACE, 0.5f);
    private static final int PASSAGES = 2;
    private static final int CACHED_ENTRIES = 100_000;

    private final FSDirectory directory;
    private final Analyzer analyzer = new StandardAnalyzer();
    private final LuceneQueries queries = new LuceneQueries(analyzer);
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final Map<String, Long> positions = new HashMap<>();
    private final Writes writes = new Writes();
    /** Every removal remembered (few: deleted channels and accounts), read at open and kept with each change. */
    private final Map<Removal, Instant> removals = new ConcurrentHashMap<>();
    /** Directory entries lately read or written: this process is the index's only writer, so they stay true. */
    private final Map<Jid, Optional<ChannelEntry>> entries = java.util.Collections.synchronizedMap(new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Jid, Optional<ChannelEntry>> eldest) {
            return size() > CACHED_ENTRIES;
        }
    });
    private final long commitIntervalNanos;
    private long lastCommit = System.nanoTime();
    private boolean uncommitted;

    private LuceneIndex(FSDirectory directory, Duration commitInterval) throws IOException {
        this.directory = directory;
        this.commitIntervalNanos = commitInterval.toNanos();
        this.writer = new IndexWriter(directory, new IndexWriterConfig(analyzer).setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND));
        Iterable<Map.Entry<String, String>> committed = writer.getLiveCommitData();
        if (committed != null) {
            committed.forEach(e -> {
                if (e.getKey().startsWith(POSITION)) {
                    positions.put(e.getKey().substring(POSITION.length()), Long.parseLong(e.getValue()));
                }
            });
        }
        this.searchers = new SearcherManager(writer, null);
        readRemovals();
    }

    /** An index in {@code folder} that commits at most every {@code commitInterval} (and when closed or flushed). */
    public static LuceneIndex open(Path folder, Duration commitInterval) {
        try {
            return new LuceneIndex(FSDirectory.open(folder), commitInterval);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the search index in " + folder, e);
        }
    }

    /** An index that commits every change at once (tests). */
    public static LuceneIndex open(Path folder) {
        return open(folder, Duration.ZERO);
    }

    private void readRemovals() {
        withSearcher(searcher -> {
            Query all = LuceneQueries.kind(LuceneDocuments.REMOVED_KIND);
            StoredFields stored = searcher.storedFields();
            for (ScoreDoc hit : searcher.search(all, Math.max(1, searcher.count(all))).scoreDocs) {
                Document d = stored.document(hit.doc);
                LuceneDocuments.removal(d).ifPresent(r -> removals.put(r, LuceneDocuments.removedAt(d)));
            }
            return null;
        });
    }

    @Override
    public String engine() {
        return "lucene";
    }

    /**
     * Applies the changes and hands the positions to the next commit with them. Commits come at most every commit
     * interval (a commit waits for the disk): after a crash, the index and its positions are both as of the last one,
     * and the topics are read again from there. Searches see the changes at once.
     */
    @Override
    public synchronized void apply(List<IndexChange> changes, Map<String, Long> newPositions) {
        try {
            for (IndexChange change : changes) {
                change.applyTo(writes);
            }
            Map<String, Long> next = new HashMap<>(positions);
            next.putAll(newPositions);
            Map<String, String> data = new HashMap<>();
            next.forEach((partition, offset) -> data.put(POSITION + partition, Long.toString(offset)));
            writer.setLiveCommitData(data.entrySet());
            uncommitted = true;
            if (System.nanoTime() - lastCommit >= commitIntervalNanos) {
                commit();
            }
            positions.putAll(newPositions);
            searchers.maybeRefreshBlocking();
        } catch (IOException e) {
            throw new UncheckedIOException("the search index could not be written", e);
        }
    }

    @Override
    public boolean alive() {
        return writer.isOpen() && writer.getTragicException() == null;
    }

    /** Commits what was applied since the last commit (the feed calls it when idle, and closing does). */
    @Override
    public synchronized void flush() {
        if (!uncommitted) {
            return;
        }
        try {
            commit();
        } catch (IOException e) {
            throw new UncheckedIOException("the search index could not be committed", e);
        }
    }

    private void commit() throws IOException {
        writer.commit();
        lastCommit = System.nanoTime();
        uncommitted = false;
    }

    /** Applies each kind of change to the writer; deletions by query reach what the batch wrote before them. */
    private final class Writes implements IndexChange.Engine {

        @Override
        public void putPost(PostEntry post) {
            write(() -> writer.updateDocument(LuceneDocuments.postId(post.channel(), post.itemId()), LuceneDocuments.post(post)));
        }

        @Override
        public void removePost(Jid channel, String itemId) {
            write(() -> writer.deleteDocuments(LuceneDocuments.postId(channel, itemId)));
        }

        @Override
        public void putChannel(ChannelEntry channel) {
            write(() -> writer.updateDocument(LuceneDocuments.channelId(channel.channel()), LuceneDocuments.channel(channel)));
            entries.put(channel.channel(), Optional.of(channel));
        }

        @Override
        public void changeAccess(Jid channel, AccessModel accessModel) {
            write(() -> rewriteAccess(channel, accessModel));
        }

        @Override
        public void removeChannel(Jid channel, boolean entryToo, Instant at) {
            write(() -> {
                writer.deleteDocuments(LuceneQueries.filtered(List.of(LuceneQueries.kind(POST),
                        LuceneQueries.channel(channel.toString()))).build());
                if (entryToo) {
                    writer.deleteDocuments(LuceneDocuments.channelId(channel));
                    entries.put(channel, Optional.empty());
                }
                writer.updateDocument(LuceneDocuments.removalId(Removed.CHANNEL, channel), LuceneDocuments.removal(Removed.CHANNEL, channel, at));
                removals.put(new Removal(Removed.CHANNEL, channel), at);
            });
        }

        @Override
        public void removeAuthor(Jid author, Instant at) {
            write(() -> {
                writer.deleteDocuments(LuceneQueries.filtered(List.of(LuceneQueries.kind(POST),
                        LuceneQueries.author(author.toString()))).build());
                writer.updateDocument(LuceneDocuments.removalId(Removed.AUTHOR, author), LuceneDocuments.removal(Removed.AUTHOR, author, at));
                removals.put(new Removal(Removed.AUTHOR, author), at);
            });
        }
    }

    private interface Write {
        void run() throws IOException;
    }

    private static void write(Write write) {
        try {
            write.run();
        } catch (IOException e) {
            throw new UncheckedIOException("the search index could not be written", e);
        }
    }

    /** Rewrites the channel's posts that were indexed under another access model (rare: an owner's decision). */
    private void rewriteAccess(Jid channel, AccessModel model) throws IOException {
        searchers.maybeRefreshBlocking();   // sees what this batch wrote before
        IndexSearcher searcher = searchers.acquire();
        try {
            Query stale = new BooleanQuery.Builder()
                    .add(LuceneQueries.kind(POST), Occur.FILTER)
                    .add(LuceneQueries.channel(channel.toString()), Occur.FILTER)
                    .add(new TermQuery(new Term(ACCESS, model.name())), Occur.MUST_NOT).build();
            StoredFields stored = searcher.storedFields();
            for (ScoreDoc hit : searcher.search(stale, Math.max(1, searcher.count(stale))).scoreDocs) {
                PostEntry post = LuceneDocuments.post(stored.document(hit.doc)).withAccessModel(model);
                writer.updateDocument(LuceneDocuments.postId(post.channel(), post.itemId()), LuceneDocuments.post(post));
            }
        } finally {
            searchers.release(searcher);
        }
    }

    @Override
    public synchronized Map<String, Long> positions() {
        return Map.copyOf(positions);
    }

    @Override
    public Optional<ChannelEntry> channel(Jid channel) {
        return channels(List.of(channel)).entrySet().stream().findFirst().map(Map.Entry::getValue);
    }

    /** From the entries kept lately, and those not kept in one search. */
    @Override
    public Map<Jid, ChannelEntry> channels(Collection<Jid> channels) {
        Map<Jid, ChannelEntry> found = new HashMap<>();
        List<Jid> unknown = new ArrayList<>();
        for (Jid channel : channels) {
            Optional<ChannelEntry> kept = entries.get(channel);
            if (kept == null) {
                unknown.add(channel);
            } else {
                kept.ifPresent(e -> found.put(channel, e));
            }
        }
        if (!unknown.isEmpty()) {
            Map<Jid, ChannelEntry> read = withSearcher(searcher -> {
                Map<Jid, ChannelEntry> hits = new HashMap<>();
                Query ids = LuceneQueries.anyOf(LuceneDocuments.ID, unknown);
                StoredFields stored = searcher.storedFields();
                for (ScoreDoc hit : searcher.search(ids, unknown.size()).scoreDocs) {
                    ChannelEntry entry = LuceneDocuments.channel(stored.document(hit.doc));
                    hits.put(entry.channel(), entry);
                }
                return hits;
            });
            unknown.forEach(c -> entries.put(c, Optional.ofNullable(read.get(c))));
            found.putAll(read);
        }
        return found;
    }

    @Override
    public Optional<Instant> removedAt(Removed kind, Jid jid) {
        return Optional.ofNullable(removals.get(new Removal(kind, jid)));
    }

    @Override
    public Hits<PostHit> posts(PostQuery query, ReadFilter filter) {
        if (query.within() != null && query.within().isEmpty()) {
            return Hits.none(query.page());
        }
        Optional<Query> text = queries.text(query.text(), POST_FIELDS);
        if (text.isEmpty()) {
            return Hits.none(query.page());
        }
        List<Query> filters = new ArrayList<>(List.of(LuceneQueries.kind(POST), LuceneQueries.readableBy(filter)));
        if (query.author() != null) {
            filters.add(LuceneQueries.author(query.author().toString()));
        }
        if (query.channel() != null) {
            filters.add(LuceneQueries.channel(query.channel().toString()));
        }
        if (query.within() != null) {
            filters.add(LuceneQueries.anyOf(CHANNEL, query.within()));
        }
        Query q = LuceneQueries.filtered(filters).add(text.get(), Occur.MUST).build();
        SortField newest = new SortField(UPDATED, SortField.Type.LONG, true);
        Sort sort = query.order() == PostQuery.Order.NEWEST ? new Sort(newest) : new Sort(SortField.FIELD_SCORE, newest);
        return withSearcher(searcher -> {
            TopDocs top = searcher.search(q, new TopFieldCollectorManager(sort, query.page().end(), null, Page.DEEPEST_END));
            ScoreDoc[] page = page(top, query.page());
            String[] passages = highlighter(searcher).highlight(CONTENT, text.get(), pageOf(top, page), PASSAGES);
            StoredFields stored = searcher.storedFields();
            List<PostHit> hits = new ArrayList<>();
            for (int i = 0; i < page.length; i++) {
                hits.add(new PostHit(LuceneDocuments.post(stored.document(page[i].doc)), passages[i] == null ? List.of() : List.of(passages[i])));
            }
            return new Hits<>(Math.min(top.totalHits.value, Page.DEEPEST_END), query.page().index(), hits);
        });
    }

    @Override
    public Hits<ChannelHit> channels(ChannelQuery query, ReadFilter filter) {
        Optional<Query> text = queries.text(query.text(), CHANNEL_FIELDS);
        if (text.isEmpty()) {
            return Hits.none(query.page());
        }
        Query q = LuceneQueries.filtered(List.of(LuceneQueries.kind(CHANNEL_KIND), LuceneQueries.advertised(),
                LuceneQueries.readableBy(filter))).add(text.get(), Occur.MUST).build();
        Sort sort = new Sort(SortField.FIELD_SCORE, new SortField(CHANNEL, SortField.Type.STRING));
        return withSearcher(searcher -> {
            TopDocs top = searcher.search(q, new TopFieldCollectorManager(sort, query.page().end(), null, Page.DEEPEST_END));
            ScoreDoc[] page = page(top, query.page());
            Map<String, String[]> passages = highlighter(searcher).highlightFields(new String[]{TITLE, DESCRIPTION},
                    text.get(), pageOf(top, page), new int[]{1, PASSAGES});
            StoredFields stored = searcher.storedFields();
            List<ChannelHit> hits = new ArrayList<>();
            for (int i = 0; i < page.length; i++) {
                List<String> highlights = new ArrayList<>();
                for (String field : List.of(TITLE, DESCRIPTION)) {
                    String passage = passages.get(field)[i];
                    if (passage != null) {
                        highlights.add(passage);
                    }
                }
                hits.add(new ChannelHit(LuceneDocuments.channel(stored.document(page[i].doc)), null, highlights));
            }
            return new Hits<>(Math.min(top.totalHits.value, Page.DEEPEST_END), query.page().index(), hits);
        });
    }

    @Override
    public Hits<ChannelHit> nearby(NearbyQuery query, ReadFilter filter) {
        Query q = LuceneQueries.filtered(List.of(LuceneQueries.kind(CHANNEL_KIND), LuceneQueries.advertised(),
                LuceneQueries.readableBy(filter),
                LatLonPoint.newDistanceQuery(LOCATION, query.lat(), query.lon(), query.radiusKm() * 1000))).build();
        Sort sort = new Sort(LatLonDocValuesField.newDistanceSort(LOCATION, query.lat(), query.lon()));
        return withSearcher(searcher -> {
            TopDocs top = searcher.search(q, new TopFieldCollectorManager(sort, query.page().end(), null, Page.DEEPEST_END));
            ScoreDoc[] page = page(top, query.page());
            StoredFields stored = searcher.storedFields();
            List<ChannelHit> hits = new ArrayList<>();
            for (ScoreDoc hit : page) {
                double meters = (Double) ((FieldDoc) hit).fields[0];
                hits.add(new ChannelHit(LuceneDocuments.channel(stored.document(hit.doc)), meters / 1000, List.of()));
            }
            return new Hits<>(Math.min(top.totalHits.value, Page.DEEPEST_END), query.page().index(), hits);
        });
    }

    @Override
    public List<ChannelActivity> mostActive(ActivityQuery query, ReadFilter filter) {
        Query q = LuceneQueries.filtered(List.of(LuceneQueries.kind(POST), LuceneQueries.readableBy(filter),
                LongPoint.newRangeQuery(PUBLISHED, query.since().toEpochMilli(), Long.MAX_VALUE))).build();
        Map<String, Long> counts = withSearcher(searcher -> searcher.search(q, new ChannelCounts()));
        return counts.entrySet().stream()
                .filter(e -> query.coversChannel(e.getKey()))
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .map(e -> new ChannelActivity(Jid.parse(e.getKey()), e.getValue(), channel(Jid.parse(e.getKey())).orElse(null)))
                .filter(ChannelActivity::listed)
                .limit(query.max())
                .toList();
    }

    @Override
    public long postCount() {
        return withSearcher(searcher -> (long) searcher.count(LuceneQueries.kind(POST)));
    }

    @Override
    public synchronized void clear() {
        try {
            writer.deleteAll();
            positions.clear();
            removals.clear();
            entries.clear();
            writer.setLiveCommitData(Map.<String, String>of().entrySet());
            commit();
            searchers.maybeRefreshBlocking();
        } catch (IOException e) {
            throw new UncheckedIOException("the search index could not be cleared", e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            flush();
            searchers.close();
            writer.close();
            directory.close();
        } catch (IOException e) {
            throw new UncheckedIOException("the search index did not close cleanly", e);
        }
    }

    private UnifiedHighlighter highlighter(IndexSearcher searcher) {
        // escapes the text around the marks: a post's own HTML never reaches a page as markup
        return UnifiedHighlighter.builder(searcher, analyzer)
                .withFormatter(new DefaultPassageFormatter("<em>", "</em>", "… ", true))
                .withMaxLength(20_000).build();
    }

    private static ScoreDoc[] page(TopDocs top, Page page) {
        int from = Math.min(page.index(), top.scoreDocs.length);
        return Arrays.copyOfRange(top.scoreDocs, from, top.scoreDocs.length);
    }

    private static TopDocs pageOf(TopDocs top, ScoreDoc[] page) {
        return new TopDocs(top.totalHits, page);
    }

    private interface SearcherWork<T> {
        T on(IndexSearcher searcher) throws IOException;
    }

    private <T> T withSearcher(SearcherWork<T> work) {
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                return work.on(searcher);
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the search index could not be read", e);
        }
    }

    private static Map<String, Float> linked(Object... pairs) {
        Map<String, Float> fields = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            fields.put((String) pairs[i], (Float) pairs[i + 1]);
        }
        return fields;
    }
}
