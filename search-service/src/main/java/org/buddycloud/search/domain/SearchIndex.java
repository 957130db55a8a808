package org.buddycloud.search.domain;

import java.util.List;
import java.util.Map;

/**
 * The index of posts and channels, whatever engine keeps it (Lucene on local disk, Elasticsearch at scale). It also
 * keeps how far it has read each topic partition, so that an index that is new, or was lost, reads the topics again
 * from their beginning and one that survived goes on where it stopped. Every query takes the caller's
 * {@link ReadFilter} and never returns an entry it does not allow.
 */
public interface SearchIndex extends IndexState, AutoCloseable {

    /**
     * Applies the changes in their order and records {@code positions} (partition → next offset) after them. A crash
     * never leaves the positions ahead of the changes (at worst behind: the topics are read again from there), and
     * applying the same changes again leaves the index as it was. Searches see the changes when it returns (Lucene)
     * or after the next refresh (Elasticsearch, a second).
     */
    void apply(List<IndexChange> changes, Map<String, Long> positions);

    /** Partition → next offset to read, as last recorded; empty for a new index. */
    Map<String, Long> positions();

    Hits<PostHit> posts(PostQuery query, ReadFilter filter);

    Hits<ChannelHit> channels(ChannelQuery query, ReadFilter filter);

    Hits<ChannelHit> nearby(NearbyQuery query, ReadFilter filter);

    List<ChannelActivity> mostActive(ActivityQuery query, ReadFilter filter);

    /** How many posts the index holds (all of them, whoever may read them): for status and benchmarks. */
    long postCount();

    /**
     * False when the engine broke for good in this process (Lucene's writer hit a tragic error): only a restart helps.
     * An engine that is merely unreachable is still alive.
     */
    default boolean alive() {
        return true;
    }

    /** Makes what was applied durable now, where the engine holds it back for a while (Lucene commits). */
    default void flush() {
    }

    /** Forgets everything, positions too: the next read starts at the beginning of the topics. */
    void clear();

    /** {@code lucene} or {@code elasticsearch}. */
    String engine();

    @Override
    void close();
}
