package org.buddycloud.search.index;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.buddycloud.search.SearchConfig;
import org.buddycloud.search.domain.SearchIndex;
import org.buddycloud.search.elastic.ElasticsearchIndex;
import org.buddycloud.search.elastic.ElasticsearchSettings;
import org.buddycloud.search.lucene.LuceneIndex;
import org.jboss.logging.Logger;

/** The engine configuration chose ({@code buddycloud.search.engine}), one per process. */
@ApplicationScoped
public class SearchIndexes {

    private static final Logger LOG = Logger.getLogger(SearchIndexes.class);

    @Produces
    @Singleton
    SearchIndex index(SearchConfig config) {
        SearchIndex index = switch (config.engine()) {
            case LUCENE -> LuceneIndex.open(config.lucene().path(), config.lucene().commitInterval());
            case ELASTICSEARCH -> ElasticsearchIndex.connect(new ElasticsearchSettings(config.elasticsearch().hosts(),
                    config.elasticsearch().username().orElse(null), config.elasticsearch().password().orElse(null),
                    config.elasticsearch().apiKey().orElse(null), config.elasticsearch().indexPrefix(),
                    config.elasticsearch().shards(), config.elasticsearch().replicas(), config.elasticsearch().compatibleWith(),
                    config.elasticsearch().requestTimeout()));
        };
        LOG.infof("search index: %s", index.engine());
        return index;
    }

    void close(@Disposes SearchIndex index) {
        index.close();
    }
}
