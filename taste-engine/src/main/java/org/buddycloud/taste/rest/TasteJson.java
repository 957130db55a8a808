package org.buddycloud.taste.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import org.buddycloud.taste.domain.ChannelFacts;
import org.buddycloud.taste.domain.Suggestion;
import org.buddycloud.taste.domain.Suggestions;

/**
 * The JSON of the old HTTP API's {@code /recommendations}, {@code /{channel}/similar} and {@code /most_active}:
 * {@code {items: […], rsm: {index, count}}}, items as the directory's channel items (PROTOCOL.md §6) with why each was
 * suggested.
 */
final class TasteJson {

    private TasteJson() {
    }

    record Page(List<ChannelItem> items, Rsm rsm) {
    }

    record Rsm(int index, long count) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ChannelItem(String type, String jid, String title, String description,
                       @JsonProperty("channel_type") String channelType,
                       @JsonProperty("default_affiliation") String defaultAffiliation, String owner, Instant created,
                       String reason, Double score, Long posts, Integer followers) {
    }

    static Page page(Suggestions suggestions) {
        return new Page(suggestions.items().stream().map(TasteJson::item).toList(), new Rsm(suggestions.index(), suggestions.count()));
    }

    private static ChannelItem item(Suggestion s) {
        ChannelFacts c = s.channel();
        boolean busy = s.reason() == Suggestion.Reason.MOST_ACTIVE;
        return new ChannelItem("channel", c.channel().toString(), c.title(), c.description(),
                c.type() == null ? null : c.type().wireName(),
                c.defaultAffiliation() == null ? null : c.defaultAffiliation().wireName(),
                c.owner() == null ? null : c.owner().toString(), c.created(),
                busy ? "most-active" : "co-followed", busy ? null : Math.round(s.score() * 1000) / 1000.0,
                busy ? s.posts() : null, busy ? null : s.followers());
    }
}
