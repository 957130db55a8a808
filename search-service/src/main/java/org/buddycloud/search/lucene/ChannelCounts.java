package org.buddycloud.search.lucene;

import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.search.CollectorManager;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.SimpleCollector;

/** Counts the matching posts per channel (most active channels), by the channel's doc values, segment by segment. */
final class ChannelCounts implements CollectorManager<ChannelCounts.PerSegment, Map<String, Long>> {

    @Override
    public PerSegment newCollector() {
        return new PerSegment();
    }

    @Override
    public Map<String, Long> reduce(Collection<PerSegment> collectors) {
        Map<String, Long> total = new HashMap<>();
        for (PerSegment c : collectors) {
            c.flush();
            c.counts.forEach((channel, n) -> total.merge(channel, n, Long::sum));
        }
        return total;
    }

    static final class PerSegment extends SimpleCollector {

        private final Map<String, Long> counts = new HashMap<>();
        private SortedDocValues channels;
        private long[] ordinals = new long[0];

        @Override
        protected void doSetNextReader(LeafReaderContext context) throws IOException {
            // ordinals name values of one segment: the previous segment's are named before moving on
            flush();
            channels = DocValues.getSorted(context.reader(), LuceneDocuments.CHANNEL);
            ordinals = new long[Math.max(0, channels.getValueCount())];
        }

        @Override
        public void collect(int doc) throws IOException {
            if (channels.advanceExact(doc)) {
                ordinals[channels.ordValue()]++;
            }
        }

        @Override
        public ScoreMode scoreMode() {
            return ScoreMode.COMPLETE_NO_SCORES;
        }

        /** Names the counts of the segment read last (ordinals are per segment). */
        private void flush() {
            for (int ord = 0; ord < ordinals.length; ord++) {
                if (ordinals[ord] > 0) {
                    try {
                        counts.merge(channels.lookupOrd(ord).utf8ToString(), ordinals[ord], Long::sum);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            }
            ordinals = new long[0];
        }
    }
}
