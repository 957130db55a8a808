package org.buddycloud.search.lucene;

import java.time.Instant;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.LatLonDocValuesField;
import org.apache.lucene.document.LatLonPoint;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.Term;
import org.apache.lucene.util.BytesRef;
import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.channel.Affiliation;
import org.buddycloud.contracts.channel.ChannelType;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.search.domain.ChannelEntry;
import org.buddycloud.search.domain.IndexState;
import org.buddycloud.search.domain.PostEntry;

/**
 * How posts and channels are kept as Lucene documents: every field stored, so that an entry can be rewritten (a new
 * access model) and shown without another store; exact-match fields as keywords, text analysed, times as points for
 * ranges and doc values for sorting, places as points for distance.
 */
final class LuceneDocuments {

    static final String KIND = "kind";
    static final String POST = "post";
    static final String CHANNEL_KIND = "channel";
    static final String ID = "id";
    static final String CHANNEL = "channel";
    static final String NODE = "node";
    static final String ITEM = "item";
    static final String AUTHOR = "author";
    static final String REPLY_TO = "reply_to";
    static final String PUBLISHED = "published";
    static final String UPDATED = "updated";
    static final String TITLE = "title";
    static final String CONTENT = "content";
    static final String ACCESS = "access";
    static final String LAT = "lat";
    static final String LON = "lon";
    static final String TYPE = "type";
    static final String OWNER = "owner";
    static final String NAMES = "names";
    static final String DESCRIPTION = "description";
    static final String DEFAULT_AFFILIATION = "default_affiliation";
    static final String ADVERTISED = "advertised";
    static final String CREATED = "created";
    static final String CONFIGURED = "configured";
    static final String LOCATION = "location";
    static final String PLACE = "place";
    static final String REMOVED_KIND = "removed";
    static final String AT = "at";

    private LuceneDocuments() {
    }

    static Term postId(Jid channel, String itemId) {
        return new Term(ID, PostEntry.key(channel, itemId));
    }

    /** Channel ids hold no slash, post ids always one: the two never meet. */
    static Term channelId(Jid channel) {
        return new Term(ID, channel.toString());
    }

    static Term removalId(IndexState.Removed kind, Jid jid) {
        return new Term(ID, "removed:" + kind.name().toLowerCase(java.util.Locale.ROOT) + ":" + jid);
    }

    /** A removal remembered: its key and when. */
    static Document removal(IndexState.Removed kind, Jid jid, Instant at) {
        Document d = new Document();
        d.add(new StringField(KIND, REMOVED_KIND, Field.Store.NO));
        d.add(new StringField(ID, removalId(kind, jid).text(), Field.Store.YES));
        d.add(new StoredField(AT, at.toEpochMilli()));
        return d;
    }

    /** The removal a stored removal document names; empty for one this version cannot read. */
    static java.util.Optional<IndexState.Removal> removal(Document d) {
        String[] parts = d.get(ID).split(":", 3);
        if (parts.length != 3 || !parts[0].equals("removed")) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(new IndexState.Removal(IndexState.Removed.valueOf(parts[1].toUpperCase(java.util.Locale.ROOT)),
                    Jid.parse(parts[2])));
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
    }

    static Instant removedAt(Document d) {
        return instant(d, AT);
    }

    static Document post(PostEntry p) {
        Document d = new Document();
        d.add(new StringField(KIND, POST, Field.Store.NO));
        d.add(new StringField(ID, p.key(), Field.Store.YES));
        keyword(d, CHANNEL, p.channel().toString());
        d.add(new SortedDocValuesField(CHANNEL, new BytesRef(p.channel().toString())));
        d.add(new StoredField(NODE, p.node()));
        d.add(new StoredField(ITEM, p.itemId()));
        keyword(d, AUTHOR, p.author() == null ? null : p.author().toString());
        stored(d, REPLY_TO, p.inReplyTo());
        time(d, PUBLISHED, p.published());
        time(d, UPDATED, p.updated());
        text(d, TITLE, p.title());
        text(d, CONTENT, p.content());
        keyword(d, ACCESS, p.accessModel().name());
        if (p.lat() != null && p.lon() != null) {
            d.add(new StoredField(LAT, p.lat()));
            d.add(new StoredField(LON, p.lon()));
        }
        return d;
    }

    static PostEntry post(Document d) {
        return new PostEntry(Jid.parse(d.get(CHANNEL)), d.get(NODE), d.get(ITEM), jid(d.get(AUTHOR)), d.get(REPLY_TO),
                instant(d, PUBLISHED), instant(d, UPDATED), d.get(TITLE), d.get(CONTENT), AccessModel.valueOf(d.get(ACCESS)),
                number(d, LAT), number(d, LON));
    }

    static Document channel(ChannelEntry c) {
        Document d = new Document();
        d.add(new StringField(KIND, CHANNEL_KIND, Field.Store.NO));
        d.add(new StringField(ID, c.channel().toString(), Field.Store.YES));
        keyword(d, CHANNEL, c.channel().toString());
        d.add(new SortedDocValuesField(CHANNEL, new BytesRef(c.channel().toString())));
        keyword(d, TYPE, c.type() == null ? null : c.type().name());
        keyword(d, OWNER, c.owner() == null ? null : c.owner().toString());
        // the channel's and owner's JIDs as words, so that "juliet" finds juliet@capulet.lit's channel
        d.add(new TextField(NAMES, c.channel() + (c.owner() == null ? "" : " " + c.owner()), Field.Store.NO));
        text(d, TITLE, c.title());
        text(d, DESCRIPTION, c.description());
        keyword(d, ACCESS, c.accessModel().name());
        keyword(d, DEFAULT_AFFILIATION, c.defaultAffiliation() == null ? null : c.defaultAffiliation().name());
        keyword(d, ADVERTISED, Boolean.toString(c.advertised()));
        time(d, CREATED, c.created());
        time(d, CONFIGURED, c.configuredAt());
        if (c.located()) {
            d.add(new LatLonPoint(LOCATION, c.lat(), c.lon()));
            d.add(new LatLonDocValuesField(LOCATION, c.lat(), c.lon()));
            d.add(new StoredField(LAT, c.lat()));
            d.add(new StoredField(LON, c.lon()));
        }
        text(d, PLACE, c.place());
        return d;
    }

    static ChannelEntry channel(Document d) {
        String type = d.get(TYPE);
        String affiliation = d.get(DEFAULT_AFFILIATION);
        return new ChannelEntry(Jid.parse(d.get(CHANNEL)), type == null ? null : ChannelType.valueOf(type), jid(d.get(OWNER)),
                d.get(TITLE), d.get(DESCRIPTION), AccessModel.valueOf(d.get(ACCESS)),
                affiliation == null ? null : Affiliation.valueOf(affiliation), Boolean.parseBoolean(d.get(ADVERTISED)),
                instant(d, CREATED), instant(d, CONFIGURED), number(d, LAT), number(d, LON), d.get(PLACE));
    }

    private static void keyword(Document d, String name, String value) {
        if (value != null) {
            d.add(new StringField(name, value, Field.Store.YES));
        }
    }

    private static void text(Document d, String name, String value) {
        if (value != null) {
            d.add(new TextField(name, value, Field.Store.YES));
        }
    }

    private static void stored(Document d, String name, String value) {
        if (value != null) {
            d.add(new StoredField(name, value));
        }
    }

    private static void time(Document d, String name, Instant at) {
        if (at != null) {
            long millis = at.toEpochMilli();
            d.add(new LongPoint(name, millis));
            d.add(new NumericDocValuesField(name, millis));
            d.add(new StoredField(name, millis));
        }
    }

    private static Instant instant(Document d, String name) {
        IndexableField field = d.getField(name);
        return field == null ? null : Instant.ofEpochMilli(field.numericValue().longValue());
    }

    private static Double number(Document d, String name) {
        IndexableField field = d.getField(name);
        return field == null ? null : field.numericValue().doubleValue();
    }

    private static Jid jid(String value) {
        return value == null ? null : Jid.parse(value);
    }
}
