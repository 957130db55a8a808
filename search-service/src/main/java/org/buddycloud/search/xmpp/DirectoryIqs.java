package org.buddycloud.search.xmpp;

import java.util.List;
import java.util.Optional;
import org.buddycloud.contracts.access.Actor;
import org.buddycloud.contracts.jid.InvalidJidException;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import org.buddycloud.search.domain.ActivityQuery;
import org.buddycloud.search.domain.ChannelActivity;
import org.buddycloud.search.domain.ChannelEntry;
import org.buddycloud.search.domain.ChannelHit;
import org.buddycloud.search.domain.ChannelQuery;
import org.buddycloud.search.domain.Hits;
import org.buddycloud.search.domain.NearbyQuery;
import org.buddycloud.search.domain.Page;
import org.buddycloud.search.domain.PostEntry;
import org.buddycloud.search.domain.PostHit;
import org.buddycloud.search.domain.PostQuery;
import org.buddycloud.search.domain.SearchText;
import org.buddycloud.search.service.Searches;
import org.buddycloud.search.taste.TasteEngineClient;
import org.buddycloud.xmppkit.StanzaReplies;
import org.buddycloud.xmppkit.component.IqTable;
import org.buddycloud.xmppkit.xml.XmlElement;

/**
 * The channel directory's queries over XMPP (PROTOCOL.md §6): {@code <query/>} in
 * {@code http://buddycloud.com/channel_directory/<name>} with index-based RSM, answered with the same searches as the
 * REST API, for the JID the IQ comes from (a JID without a localpart — a server — asks as nobody).
 * {@code recommendation_query} and {@code similar_channels} are the taste engine's answers, asked over its HTTP API
 * ({@link TasteEngineClient}): suggestions anybody may be shown.
 */
public final class DirectoryIqs {

    public static final String BASE = "http://buddycloud.com/channel_directory/";
    public static final String METADATA = BASE + "metadata_query";
    public static final String CONTENT = BASE + "content_query";
    public static final String NEARBY = BASE + "nearby_query";
    public static final String MOST_ACTIVE = BASE + "most_active";
    public static final String RECOMMENDATIONS = BASE + "recommendation_query";
    public static final String SIMILAR = BASE + "similar_channels";
    static final String RSM = "http://jabber.org/protocol/rsm";
    static final String ATOM = "http://www.w3.org/2005/Atom";
    static final String THREAD = "http://purl.org/syndication/thread/1.0";
    static final String GEOLOC = "http://jabber.org/protocol/geoloc";

    private final Searches searches;
    private final TasteEngineClient taste;

    public DirectoryIqs(Searches searches, TasteEngineClient taste) {
        this.searches = searches;
        this.taste = taste;
    }

    /** The directory's table: its identity for disco#info, and one handler per query. */
    public IqTable table() {
        return IqTable.of("directory", "channel", "Buddycloud channel directory")
                .get("query", METADATA, iq -> answer(iq, this::metadata))
                .get("query", CONTENT, iq -> answer(iq, this::content))
                .get("query", NEARBY, iq -> answer(iq, this::nearby))
                .get("query", MOST_ACTIVE, iq -> answer(iq, this::mostActive))
                .get("query", RECOMMENDATIONS, iq -> answer(iq, this::recommendations))
                .get("query", SIMILAR, iq -> answer(iq, this::similar));
    }

    private interface Query {
        void answer(Actor caller, XmlElement query, XmlElement result);
    }

    /** Runs the query; a refusal of ours becomes the matching stanza error with its text, never a broken stream. */
    private static XmlElement answer(XmlElement iq, Query query) {
        XmlElement request = iq.firstElement().orElseThrow();
        try {
            XmlElement reply = StanzaReplies.result(iq);
            XmlElement result = reply.add("query", request.namespace());
            query.answer(caller(iq), request, result);
            return reply;
        } catch (DomainException e) {
            return StanzaReplies.error(iq, e.condition() == Condition.BAD_REQUEST ? "modify" : "cancel", e.condition().wireName(), e.getMessage());
        }
    }

    private void metadata(Actor caller, XmlElement query, XmlElement result) {
        Page page = page(query);
        channels(result, searches.channels(caller, new ChannelQuery(SearchText.parse(search(query)), page)));
    }

    private void content(Actor caller, XmlElement query, XmlElement result) {
        Page page = page(query);
        Hits<PostHit> hits = searches.posts(caller, new PostQuery(SearchText.parse(search(query)), PostQuery.Order.NEWEST,
                null, null, null, page), false);
        ReplyBudget budget = new ReplyBudget();
        List<String> ids = new java.util.ArrayList<>();
        for (PostHit hit : hits.hits()) {
            PostEntry p = hit.post();
            XmlElement item = XmlElement.of("item", result.namespace()).attr("id", p.itemId()).attr("type", "post");
            XmlElement entry = item.add("entry", ATOM);
            XmlElement author = entry.add("author");
            if (p.author() != null) {
                author.addText("name", p.author().toString());
                author.addText("uri", "acct:" + p.author());
            }
            entry.addText("id", p.itemId());
            if (p.title() != null) {
                entry.addText("title", p.title());
            }
            entry.addText("content", ReplyBudget.snippet(p.content()));
            entry.addText("published", String.valueOf(p.published()));
            entry.addText("updated", String.valueOf(p.updated()));
            entry.addText("parent_fullid", p.node());
            entry.addText("parent_simpleid", p.channel().toString());
            if (p.inReplyTo() != null) {
                entry.add("in-reply-to", THREAD).attr("ref", p.inReplyTo());
            }
            if (!budget.take(item)) {
                break;
            }
            result.append(item);
            ids.add(p.itemId());
        }
        rsm(result, hits.index(), ids.size(), hits.total(), ids);
    }

    private void nearby(Actor caller, XmlElement query, XmlElement result) {
        XmlElement point = query.element("point", query.namespace())
                .orElseThrow(() -> new DomainException(Condition.BAD_REQUEST, "nearby_query needs <point lat='…' lon='…'/>"));
        channels(result, searches.nearby(caller, NearbyQuery.of(point.attr("lat"), point.attr("lon"), point.attr("radius"), page(query))));
    }

    private void mostActive(Actor caller, XmlElement query, XmlElement result) {
        Optional<String> max = rsmValue(query, "max");
        List<ChannelActivity> busiest = searches.mostActive(caller, ActivityQuery.of(query.childText("period", query.namespace()).orElse(null),
                query.childText("domain", query.namespace()).orElse(null), max.orElse(null), searches.now()));
        ReplyBudget budget = new ReplyBudget();
        List<String> ids = new java.util.ArrayList<>();
        for (ChannelActivity activity : busiest) {
            XmlElement item = activity.entry() == null
                    ? XmlElement.of("item", result.namespace()).attr("jid", activity.channel().toString()).attr("type", "channel")
                    : channelItem(result, activity.entry());
            item.attr("posts", activity.posts());
            if (!budget.take(item)) {
                break;
            }
            result.append(item);
            ids.add(activity.channel().toString());
        }
        rsm(result, 0, ids.size(), busiest.size(), ids);
    }

    /** The taste engine's suggestions for {@code <user-jid/>}, or for the asker when the query names nobody. */
    private void recommendations(Actor caller, XmlElement query, XmlElement result) {
        Page page = page(query);
        Jid user = query.childText("user-jid", query.namespace()).map(text -> Jid.parseEntityBare("user-jid", text))
                .or(caller::id)
                .orElseThrow(() -> new DomainException(Condition.BAD_REQUEST, "say whose: <user-jid>juliet@example.com</user-jid>"));
        channels(result, taste.recommendations(user, page));
    }

    private void similar(Actor caller, XmlElement query, XmlElement result) {
        Page page = page(query);
        String channel = query.childText("channel-jid", query.namespace())
                .orElseThrow(() -> new DomainException(Condition.BAD_REQUEST, "say which channel: <channel-jid>news@topics.example.com</channel-jid>"));
        channels(result, taste.similar(Jid.parseEntityBare("channel-jid", channel), page));
    }


    private static void channels(XmlElement result, Hits<ChannelHit> hits) {
        ReplyBudget budget = new ReplyBudget();
        List<String> ids = new java.util.ArrayList<>();
        for (ChannelHit hit : hits.hits()) {
            XmlElement item = channelItem(result, hit.channel());
            if (hit.distanceKm() != null) {
                item.attr("distance", String.format(java.util.Locale.ROOT, "%.3f", hit.distanceKm()));
            }
            if (!budget.take(item)) {
                break;
            }
            result.append(item);
            ids.add(hit.channel().channel().toString());
        }
        rsm(result, hits.index(), ids.size(), hits.total(), ids);
    }

    /**
     * {@code <item jid type='channel' description created><title/><channel_type/><default_affiliation/><geoloc/></item>},
     * not yet in the result: it joins it if it fits the reply.
     */
    private static XmlElement channelItem(XmlElement result, ChannelEntry c) {
        XmlElement item = XmlElement.of("item", result.namespace()).attr("jid", c.channel().toString()).attr("type", "channel");
        if (c.description() != null) {
            item.attr("description", c.description());
        }
        if (c.created() != null) {
            item.attr("created", c.created().toString());
        }
        item.addText("title", c.title() == null ? "" : c.title());
        if (c.type() != null) {
            item.addText("channel_type", c.type().wireName());
        }
        if (c.defaultAffiliation() != null) {
            item.addText("default_affiliation", c.defaultAffiliation().wireName());
        }
        if (c.located() || c.place() != null) {
            XmlElement geoloc = item.add("geoloc", GEOLOC);
            if (c.located()) {
                geoloc.addText("lat", c.lat().toString());
                geoloc.addText("lon", c.lon().toString());
            }
            if (c.place() != null) {
                geoloc.addText("text", c.place());
            }
        }
        return item;
    }

    /** {@code <set><first index/><last/><count/></set>}: index-based, as the old directory. */
    private static void rsm(XmlElement result, int index, int size, long count, List<String> ids) {
        XmlElement set = result.add("set", RSM);
        if (size > 0) {
            set.add("first").attr("index", index).text(ids.get(0));
            set.addText("last", ids.get(size - 1));
        }
        set.addText("count", Long.toString(count));
    }

    private static String search(XmlElement query) {
        return query.childText("search", query.namespace())
                .orElseThrow(() -> new DomainException(Condition.BAD_REQUEST, "say what to search for: <search>words</search>"));
    }

    /** RSM {@code max} and {@code index}; a numeric {@code after} or {@code before} as the old directory read them. */
    static Page page(XmlElement query) {
        String max = rsmValue(query, "max").orElse(null);
        Optional<String> index = rsmValue(query, "index");
        Optional<String> after = rsmValue(query, "after");
        Optional<String> before = rsmValue(query, "before");
        if (index.isEmpty() && after.isPresent()) {
            return Page.of(Long.toString(whole("after", after.get()) + 1), max);
        }
        if (index.isEmpty() && before.isPresent() && !before.get().isBlank()) {
            Page asked = Page.of("0", max);
            return Page.of(Long.toString(Math.max(0, whole("before", before.get()) - asked.max())), max);
        }
        return Page.of(index.orElse(null), max);
    }

    private static long whole(String name, String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new DomainException(Condition.BAD_REQUEST, "RSM " + name + " must be a position, not '" + value + "'");
        }
    }

    private static Optional<String> rsmValue(XmlElement query, String name) {
        return query.element("set", RSM).flatMap(set -> set.childText(name, RSM));
    }

    private static Actor caller(XmlElement iq) {
        String from = iq.attr("from");
        if (from == null) {
            return Actor.ANONYMOUS;
        }
        try {
            Jid jid = Jid.parse(from);
            return jid.localpart().isPresent() ? Actor.of(jid) : Actor.ANONYMOUS;
        } catch (InvalidJidException e) {
            return Actor.ANONYMOUS;
        }
    }

}
