package org.buddycloud.search.elastic;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.channel.Affiliation;
import org.buddycloud.contracts.channel.ChannelType;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.search.domain.ChannelEntry;
import org.buddycloud.search.domain.PostEntry;

/**
 * Posts and channels as Elasticsearch sources, and the mappings of their indices: keywords for what is matched exactly,
 * text for what is searched, dates in epoch milliseconds, a {@code geo_point} for a channel's place. The field names
 * are the Lucene engine's, so that both read alike.
 */
final class ElasticsearchDocuments {

    static final String POSTS_MAPPING = """
            {"dynamic": "strict", "properties": {
              "channel": {"type": "keyword"}, "node": {"type": "keyword", "index": false},
              "item": {"type": "keyword", "index": false}, "author": {"type": "keyword"},
              "reply_to": {"type": "keyword", "index": false},
              "published": {"type": "date", "format": "epoch_millis"}, "updated": {"type": "date", "format": "epoch_millis"},
              "title": {"type": "text"}, "content": {"type": "text"}, "access": {"type": "keyword"},
              "lat": {"type": "double", "index": false}, "lon": {"type": "double", "index": false}}}""";

    static final String CHANNELS_MAPPING = """
            {"dynamic": "strict", "properties": {
              "channel": {"type": "keyword"}, "type": {"type": "keyword"}, "owner": {"type": "keyword"},
              "names": {"type": "text"}, "title": {"type": "text"}, "description": {"type": "text"},
              "access": {"type": "keyword"}, "default_affiliation": {"type": "keyword"}, "advertised": {"type": "boolean"},
              "created": {"type": "date", "format": "epoch_millis"}, "configured": {"type": "date", "format": "epoch_millis"},
              "location": {"type": "geo_point"}, "lat": {"type": "double", "index": false},
              "lon": {"type": "double", "index": false}, "place": {"type": "text"}}}""";

    static final String REMOVALS_MAPPING = """
            {"dynamic": "strict", "properties": {"at": {"type": "long", "index": false}}}""";

    static final String POSITIONS_MAPPING = """
            {"dynamic": "strict", "properties": {"offset": {"type": "long", "index": false}}}""";

    private ElasticsearchDocuments() {
    }

    static Map<String, Object> post(PostEntry p) {
        Map<String, Object> d = new HashMap<>();
        d.put("channel", p.channel().toString());
        d.put("node", p.node());
        d.put("item", p.itemId());
        put(d, "author", p.author());
        put(d, "reply_to", p.inReplyTo());
        put(d, "published", millis(p.published()));
        put(d, "updated", millis(p.updated()));
        put(d, "title", p.title());
        put(d, "content", p.content());
        d.put("access", p.accessModel().name());
        put(d, "lat", p.lat());
        put(d, "lon", p.lon());
        return d;
    }

    static PostEntry post(Map<String, Object> d) {
        return new PostEntry(Jid.parse((String) d.get("channel")), (String) d.get("node"), (String) d.get("item"),
                jid(d.get("author")), (String) d.get("reply_to"), instant(d.get("published")), instant(d.get("updated")),
                (String) d.get("title"), (String) d.get("content"), AccessModel.valueOf((String) d.get("access")),
                number(d.get("lat")), number(d.get("lon")));
    }

    static Map<String, Object> channel(ChannelEntry c) {
        Map<String, Object> d = new HashMap<>();
        d.put("channel", c.channel().toString());
        put(d, "type", c.type() == null ? null : c.type().name());
        put(d, "owner", c.owner());
        d.put("names", c.channel() + (c.owner() == null ? "" : " " + c.owner()));
        put(d, "title", c.title());
        put(d, "description", c.description());
        d.put("access", c.accessModel().name());
        put(d, "default_affiliation", c.defaultAffiliation() == null ? null : c.defaultAffiliation().name());
        d.put("advertised", c.advertised());
        put(d, "created", millis(c.created()));
        put(d, "configured", millis(c.configuredAt()));
        if (c.located()) {
            d.put("location", Map.of("lat", c.lat(), "lon", c.lon()));
            d.put("lat", c.lat());
            d.put("lon", c.lon());
        }
        put(d, "place", c.place());
        return d;
    }

    static ChannelEntry channel(Map<String, Object> d) {
        Object type = d.get("type");
        Object affiliation = d.get("default_affiliation");
        return new ChannelEntry(Jid.parse((String) d.get("channel")), type == null ? null : ChannelType.valueOf((String) type),
                jid(d.get("owner")), (String) d.get("title"), (String) d.get("description"),
                AccessModel.valueOf((String) d.get("access")), affiliation == null ? null : Affiliation.valueOf((String) affiliation),
                Boolean.TRUE.equals(d.get("advertised")), instant(d.get("created")), instant(d.get("configured")),
                number(d.get("lat")), number(d.get("lon")), (String) d.get("place"));
    }

    private static void put(Map<String, Object> d, String name, Object value) {
        if (value != null) {
            d.put(name, value instanceof Jid ? value.toString() : value);
        }
    }

    private static Long millis(Instant at) {
        return at == null ? null : at.toEpochMilli();
    }

    private static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        return Instant.ofEpochMilli(value instanceof Number n ? n.longValue() : Long.parseLong(value.toString()));
    }

    private static Double number(Object value) {
        return value == null ? null : ((Number) value).doubleValue();
    }

    private static Jid jid(Object value) {
        return value == null ? null : Jid.parse(value.toString());
    }
}
