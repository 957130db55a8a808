package org.buddycloud.search.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.search.domain.ChannelActivity;
import org.buddycloud.search.domain.ChannelEntry;
import org.buddycloud.search.domain.ChannelHit;
import org.buddycloud.search.domain.Hits;
import org.buddycloud.search.domain.PostEntry;
import org.buddycloud.search.domain.PostHit;

/**
 * The JSON of the old HTTP API's {@code GET /search}: {@code {items: […], rsm: {index, count}}}, items in the shape of
 * the directory's XMPP answers (PROTOCOL.md §6), with the matching passages added.
 */
final class SearchJson {

    private SearchJson() {
    }

    record Page<T>(List<T> items, Rsm rsm) {
    }

    /** Index-based paging: the first item's position among {@code count} matches. */
    record Rsm(int index, long count) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record PostItem(String type, String id, String author, String channel, String node,
                    @JsonProperty("in_reply_to") String inReplyTo, String title, String content, Instant published,
                    Instant updated, Geoloc geoloc, List<String> highlights) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ChannelItem(String type, String jid, String title, String description,
                       @JsonProperty("channel_type") String channelType,
                       @JsonProperty("access_model") String accessModel,
                       @JsonProperty("default_affiliation") String defaultAffiliation, String owner, Instant created,
                       Geoloc geoloc, @JsonProperty("distance_km") Double distanceKm, List<String> highlights) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Geoloc(Double lat, Double lon, String text) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Activity(String jid, long posts, String title, String description,
                    @JsonProperty("channel_type") String channelType) {
    }

    static Page<PostItem> posts(Hits<PostHit> hits) {
        return new Page<>(hits.hits().stream().map(SearchJson::post).toList(), new Rsm(hits.index(), hits.total()));
    }

    static Page<ChannelItem> channels(Hits<ChannelHit> hits) {
        return new Page<>(hits.hits().stream().map(SearchJson::channel).toList(), new Rsm(hits.index(), hits.total()));
    }

    static Page<Activity> activity(List<ChannelActivity> channels) {
        return new Page<>(channels.stream().map(SearchJson::activity).toList(), new Rsm(0, channels.size()));
    }

    private static PostItem post(PostHit hit) {
        PostEntry p = hit.post();
        Geoloc geoloc = p.lat() == null ? null : new Geoloc(p.lat(), p.lon(), null);
        return new PostItem("post", p.itemId(), text(p.author()), p.channel().toString(), p.node(), p.inReplyTo(), p.title(),
                p.content(), p.published(), p.updated(), geoloc, hit.highlights());
    }

    private static ChannelItem channel(ChannelHit hit) {
        ChannelEntry c = hit.channel();
        Geoloc geoloc = c.located() || c.place() != null ? new Geoloc(c.lat(), c.lon(), c.place()) : null;
        return new ChannelItem("channel", c.channel().toString(), c.title(), c.description(),
                c.type() == null ? null : c.type().wireName(),
                c.accessModel().wireName(), c.defaultAffiliation() == null ? null : c.defaultAffiliation().wireName(),
                text(c.owner()), c.created(), geoloc, hit.distanceKm(), hit.highlights());
    }

    private static Activity activity(ChannelActivity a) {
        ChannelEntry c = a.entry();
        return new Activity(a.channel().toString(), a.posts(), c == null ? null : c.title(), c == null ? null : c.description(),
                c == null || c.type() == null ? null : c.type().wireName());
    }

    private static String text(Jid jid) {
        return jid == null ? null : jid.toString();
    }
}
