package org.buddycloud.search.lucene;

import static org.buddycloud.search.lucene.LuceneDocuments.ACCESS;
import static org.buddycloud.search.lucene.LuceneDocuments.ADVERTISED;
import static org.buddycloud.search.lucene.LuceneDocuments.AUTHOR;
import static org.buddycloud.search.lucene.LuceneDocuments.CHANNEL;
import static org.buddycloud.search.lucene.LuceneDocuments.KIND;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.QueryBuilder;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.search.domain.ReadFilter;
import org.buddycloud.search.domain.SearchText;

/**
 * Lucene queries from the domain's: the user's words through the same analyser as the documents (never through a
 * query parser, so nothing they type is syntax), and the caller's {@link ReadFilter} as a filter clause.
 */
final class LuceneQueries {

    private final QueryBuilder builder;

    LuceneQueries(Analyzer analyzer) {
        this.builder = new QueryBuilder(analyzer);
    }

    static Query kind(String kind) {
        return new TermQuery(new Term(KIND, kind));
    }

    static Query advertised() {
        return new TermQuery(new Term(ADVERTISED, "true"));
    }

    static Query author(String jid) {
        return new TermQuery(new Term(AUTHOR, jid));
    }

    static Query channel(String jid) {
        return new TermQuery(new Term(CHANNEL, jid));
    }

    static Query anyOf(String field, Collection<?> values) {
        return new TermInSetQuery(field, values.stream().map(v -> new BytesRef(v.toString())).toList());
    }

    /**
     * Readable: in a channel where the caller has no standing, an access model open to strangers; in one where they
     * stand somewhere, an access model that standing may read.
     */
    static Query readableBy(ReadFilter filter) {
        BooleanQuery.Builder stranger = new BooleanQuery.Builder()
                .add(anyOf(ACCESS, filter.openTo().stream().map(Enum::name).toList()), Occur.FILTER);
        Set<Jid> known = filter.withStanding();
        if (!known.isEmpty()) {
            stranger.add(anyOf(CHANNEL, known), Occur.MUST_NOT);
        }
        BooleanQuery.Builder either = new BooleanQuery.Builder().add(stranger.build(), Occur.SHOULD);
        filter.byStanding().forEach((models, channels) -> {
            if (!models.isEmpty()) {
                either.add(new BooleanQuery.Builder().add(anyOf(CHANNEL, channels), Occur.FILTER)
                        .add(anyOf(ACCESS, models.stream().map(Enum::name).toList()), Occur.FILTER).build(), Occur.SHOULD);
            }
        });
        return either.setMinimumNumberShouldMatch(1).build();
    }

    /**
     * Every word and phrase of the text must match one of {@code fields} (field → boost). Empty when the analyser
     * leaves nothing of the text (punctuation only): such a search matches nothing.
     */
    Optional<Query> text(SearchText text, Map<String, Float> fields) {
        BooleanQuery.Builder all = new BooleanQuery.Builder();
        int parts = 0;
        for (SearchText.Part part : text.parts()) {
            BooleanQuery.Builder anyField = new BooleanQuery.Builder();
            int matched = 0;
            for (Map.Entry<String, Float> field : fields.entrySet()) {
                Query q = part.phrase() ? builder.createPhraseQuery(field.getKey(), part.text())
                        : builder.createBooleanQuery(field.getKey(), part.text(), Occur.MUST);
                if (q != null) {
                    anyField.add(field.getValue() == 1f ? q : new BoostQuery(q, field.getValue()), Occur.SHOULD);
                    matched++;
                }
            }
            if (matched > 0) {
                all.add(anyField.build(), Occur.MUST);
                parts++;
            }
        }
        return parts == 0 ? Optional.empty() : Optional.of(all.build());
    }

    static BooleanQuery.Builder filtered(List<Query> filters) {
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        filters.forEach(f -> b.add(f, Occur.FILTER));
        return b;
    }
}
