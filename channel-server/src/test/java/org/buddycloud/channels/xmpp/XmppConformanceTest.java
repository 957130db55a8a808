package org.buddycloud.channels.xmpp;

import static org.buddycloud.channels.xmpp.XmppTestSupport.CHANNELS;
import static org.buddycloud.channels.xmpp.XmppTestSupport.account;
import static org.buddycloud.channels.xmpp.XmppTestSupport.port;
import static org.buddycloud.channels.xmpp.XmppTestSupport.tls;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.buddycloud.testsupport.KafkaTestResource;
import org.buddycloud.testsupport.PostgresTestResource;
import org.buddycloud.xmppkit.xml.XmlElement;
import org.junit.jupiter.api.Test;

/**
 * What an outside XEP-0060 client expects of the channel service (issue 14): paged recent items, the
 * features it advertises, forms that offer their options, errors in the namespace their condition
 * belongs to, retractions without notification, XEP-0080 geo items and a live firehose.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class XmppConformanceTest {

    private static final String PUBSUB = "http://jabber.org/protocol/pubsub";
    private static final String OWNER = "http://jabber.org/protocol/pubsub#owner";
    private static final String PUBSUB_ERRORS = "http://jabber.org/protocol/pubsub#errors";
    private static final String BC = "http://buddycloud.org/v1";
    private static final String BC_ERRORS = "http://buddycloud.org/v1/errors";
    private static final String RSM = "http://jabber.org/protocol/rsm";
    private static final String STANZA_ERRORS = "urn:ietf:params:xml:ns:xmpp-stanzas";
    private static final String DATA = "jabber:x:data";
    private static final String GEOLOC = "http://jabber.org/protocol/geoloc";
    private static final Duration WAIT = Duration.ofSeconds(15);

    private static RawClient login(Login login) throws Exception {
        return RawClient.login(port(), tls(), "SCRAM-SHA-256", login.username(), login.password());
    }

    private static String posts(Login owner) {
        return "/user/" + owner.jid() + "/posts";
    }

    private static XmlElement ok(XmlElement reply) {
        assertEquals("result", reply.attr("type"), reply.toXml());
        return reply;
    }

    private static XmlElement set(RawClient client, String namespace, String request) throws Exception {
        return client.iq("<iq type='set' to='" + CHANNELS + "'><pubsub xmlns='" + namespace + "'>" + request + "</pubsub></iq>");
    }

    private static XmlElement get(RawClient client, String namespace, String request) throws Exception {
        return client.iq("<iq type='get' to='" + CHANNELS + "'><pubsub xmlns='" + namespace + "'>" + request + "</pubsub></iq>");
    }

    private static String publish(RawClient client, String node, String content) throws Exception {
        XmlElement reply = ok(set(client, PUBSUB, "<publish node='" + node + "'><item><entry xmlns='http://www.w3.org/2005/Atom'>"
                + "<content>" + content + "</content></entry></item></publish>"));
        return reply.element("pubsub", PUBSUB).orElseThrow().element("publish", PUBSUB).orElseThrow()
                .element("item", PUBSUB).orElseThrow().attr("id");
    }

    private static void subscribe(RawClient client, Login who, String node) throws Exception {
        ok(set(client, PUBSUB, "<subscribe node='" + node + "' jid='" + who.jid() + "'/>"));
    }

    /** Directed presence to the channel service, answered: notifications reach this session from now on. */
    private static void online(RawClient client) throws Exception {
        client.send("<presence to='" + CHANNELS + "'/>");
        ok(client.iq("<iq type='get' to='" + CHANNELS + "'><ping xmlns='urn:xmpp:ping'/></iq>"));
    }

    /** Every element received until one matches (included last); fails after the timeout. */
    private static List<XmlElement> until(RawClient client, java.util.function.Predicate<XmlElement> last) throws Exception {
        List<XmlElement> seen = new ArrayList<>();
        client.expect(e -> {
            seen.add(e);
            return last.test(e);
        }, WAIT);
        return seen;
    }

    private static List<String> itemIds(XmlElement reply) {
        return reply.element("pubsub", PUBSUB).orElseThrow().elements("items", PUBSUB).stream()
                .flatMap(items -> items.elements("item", PUBSUB).stream()).map(item -> item.attr("id")).toList();
    }

    private static String rsm(XmlElement reply, String child) {
        return reply.element("pubsub", PUBSUB).orElseThrow().element("set", RSM).orElseThrow().childText(child, RSM).orElseThrow();
    }

    private static XmlElement appCondition(XmlElement reply, String stanzaCondition, String namespace, String condition) {
        assertEquals("error", reply.attr("type"), reply.toXml());
        XmlElement error = reply.element("error", "jabber:client").orElseThrow();
        assertTrue(error.element(stanzaCondition, STANZA_ERRORS).isPresent(), reply.toXml());
        return error.element(condition, namespace).orElseThrow(() -> new AssertionError(condition + " in " + namespace + ": " + reply.toXml()));
    }

    @Test
    void recentItemsArePagedWithRsmLikeEveryOtherList() throws Exception {
        Login juliet = account("juliet");
        Login nurse = account("nurse");
        Login romeo = account("romeo");
        Instant since = Instant.now().minusSeconds(5);
        try (RawClient julietClient = login(juliet); RawClient nurseClient = login(nurse); RawClient romeoClient = login(romeo)) {
            subscribe(romeoClient, romeo, posts(juliet));
            subscribe(romeoClient, romeo, posts(nurse));
            for (int i = 1; i <= 3; i++) {
                publish(julietClient, posts(juliet), "juliet " + i);
                publish(nurseClient, posts(nurse), "nurse " + i);
            }
            String query = "<recent-items xmlns='" + BC + "' since='" + since + "' max='10'/>";
            XmlElement first = ok(get(romeoClient, PUBSUB, query + "<set xmlns='" + RSM + "'><max>4</max></set>"));
            List<String> firstIds = itemIds(first);
            assertEquals(4, firstIds.size(), first.toXml());
            assertEquals("6", rsm(first, "count"), "count is every recent item: " + first.toXml());
            String last = rsm(first, "last");
            assertTrue(firstIds.stream().anyMatch(id -> last.equals(posts(juliet) + "," + id) || last.equals(posts(nurse) + "," + id)),
                    "cursors across nodes are node,id: " + last);
            assertTrue(first.toXml().contains("nurse 3") && first.toXml().contains("juliet 3"), "newest first: " + first.toXml());

            XmlElement second = ok(get(romeoClient, PUBSUB, query + "<set xmlns='" + RSM + "'><max>4</max><after>" + last + "</after></set>"));
            List<String> secondIds = itemIds(second);
            assertEquals(2, secondIds.size(), second.toXml());
            assertTrue(secondIds.stream().noneMatch(firstIds::contains), "after gives the older ones");
            assertTrue(second.toXml().contains("juliet 1") && second.toXml().contains("nurse 1"), second.toXml());

            XmlElement back = ok(get(romeoClient, PUBSUB, query + "<set xmlns='" + RSM + "'><max>2</max><before>" + rsm(second, "first")
                    + "</before></set>"));
            assertEquals(2, itemIds(back).size(), back.toXml());
            assertTrue(firstIds.containsAll(itemIds(back)) && back.toXml().contains("nurse 2") && back.toXml().contains("juliet 2"),
                    "before gives the newer ones next to the cursor: " + back.toXml());
        }
    }

    @Test
    void theServiceAdvertisesThePubSubFeaturesItImplements() throws Exception {
        Login romeo = account("romeo");
        try (RawClient client = login(romeo)) {
            XmlElement info = ok(client.iq("<iq type='get' to='" + CHANNELS + "'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>"));
            Set<String> features = info.element("query", "http://jabber.org/protocol/disco#info").orElseThrow()
                    .elements("feature", "http://jabber.org/protocol/disco#info").stream().map(f -> f.attr("var")).collect(Collectors.toSet());
            for (String feature : List.of("publish", "subscribe", "retrieve-items", "retract-items", "delete-items", "config-node",
                    "create-nodes", "delete-nodes", "member-affiliation", "publisher-affiliation", "outcast-affiliation",
                    "manage-subscriptions", "modify-affiliations", "retrieve-subscriptions", "retrieve-affiliations", "rsm",
                    "persistent-items", "meta-data", "item-ids", "access-open", "access-authorize", "access-whitelist")) {
                assertTrue(features.contains(PUBSUB + "#" + feature), feature + " in " + features);
            }
            for (String absent : List.of("purge-nodes", "get-pending", "collections", "retrieve-default", "instant-nodes")) {
                assertFalse(features.contains(PUBSUB + "#" + absent), "not implemented, not advertised: " + absent);
            }
            // what is not implemented is refused naming the feature, as XEP-0060 §12 has it
            XmlElement purge = set(client, OWNER, "<purge node='" + posts(romeo) + "'/>");
            assertEquals("purge-nodes", appCondition(purge, "feature-not-implemented", PUBSUB_ERRORS, "unsupported").attr("feature"));
            XmlElement defaults = get(client, OWNER, "<default/>");
            assertEquals("retrieve-default", appCondition(defaults, "feature-not-implemented", PUBSUB_ERRORS, "unsupported").attr("feature"));
        }
    }

    @Test
    void theConfigurationFormOffersTheOptionsOfItsListFields() throws Exception {
        Login juliet = account("juliet");
        try (RawClient client = login(juliet)) {
            XmlElement reply = ok(get(client, OWNER, "<configure node='" + posts(juliet) + "'/>"));
            XmlElement form = reply.element("pubsub", OWNER).orElseThrow().element("configure", OWNER).orElseThrow()
                    .element("x", DATA).orElseThrow();
            assertEquals("form", form.attr("type"));
            List<XmlElement> lists = form.elements("field", DATA).stream().filter(f -> f.attr("type").startsWith("list-")).toList();
            assertTrue(lists.size() >= 3, form.toXml());
            for (XmlElement field : lists) {
                List<String> options = options(field);
                assertFalse(options.isEmpty(), "options of " + field.attr("var"));
                assertTrue(options.contains(field.childText("value", DATA).orElseThrow()), "the value is one of the options: " + field.toXml());
            }
            assertEquals(List.of("open", "authorize", "whitelist", "local"), options(field(form, "pubsub#access_model")));
            assertEquals(List.of("member", "publisher"), options(field(form, "buddycloud#default_affiliation")));
            assertEquals(List.of("personal", "topic"), options(field(form, "buddycloud#channel_type")));
            assertTrue(form.elements("field", DATA).stream().allMatch(f -> f.attr("type") != null), "every field has its type");
        }
    }

    private static XmlElement field(XmlElement form, String var) {
        return form.elements("field", DATA).stream().filter(f -> var.equals(f.attr("var"))).findFirst().orElseThrow();
    }

    private static List<String> options(XmlElement field) {
        return field.elements("option", DATA).stream().map(o -> o.childText("value", DATA).orElseThrow()).toList();
    }

    @Test
    void xep0060ConditionsComeInPubSubErrorsAndBuddycloudOnesInTheirOwn() throws Exception {
        Login juliet = account("juliet");
        Login romeo = account("romeo");
        try (RawClient julietClient = login(juliet); RawClient romeoClient = login(romeo)) {
            appCondition(set(romeoClient, PUBSUB, "<subscribe node='" + posts(juliet) + "' jid='" + juliet.jid() + "'/>"),
                    "bad-request", PUBSUB_ERRORS, "invalid-jid");
            appCondition(set(romeoClient, PUBSUB, "<retract node='" + posts(juliet) + "'/>"), "bad-request", PUBSUB_ERRORS, "item-required");
            appCondition(get(romeoClient, PUBSUB, "<items/>"), "bad-request", PUBSUB_ERRORS, "nodeid-required");
            ok(set(julietClient, OWNER, "<configure node='" + posts(juliet) + "'><x xmlns='" + DATA + "' type='submit'>"
                    + "<field var='pubsub#access_model'><value>authorize</value></field></x></configure>"));
            appCondition(get(romeoClient, PUBSUB, "<items node='" + posts(juliet) + "'/>"), "forbidden", PUBSUB_ERRORS, "closed-node");
            subscribe(romeoClient, romeo, posts(juliet));
            appCondition(get(romeoClient, PUBSUB, "<items node='" + posts(juliet) + "'/>"), "not-authorized", PUBSUB_ERRORS,
                    "pending-subscription");
            appCondition(set(romeoClient, PUBSUB, "<publish node='" + posts(romeo) + "'><item><entry xmlns='http://www.w3.org/2005/Atom'/>"
                    + "</item></publish>"), "bad-request", BC_ERRORS, "content-element-required");
            appCondition(get(romeoClient, PUBSUB, "<recent-items xmlns='" + BC + "' since='" + Instant.now() + "'/>"), "bad-request",
                    BC_ERRORS, "max-required");
            appCondition(get(romeoClient, PUBSUB, "<recent-items xmlns='" + BC + "' max='3'/>"), "bad-request", BC_ERRORS, "since-required");
        }
    }

    @Test
    void aRetractionWithNotifyZeroNotifiesNobody() throws Exception {
        Login juliet = account("juliet");
        Login romeo = account("romeo");
        try (RawClient julietClient = login(juliet); RawClient romeoClient = login(romeo)) {
            subscribe(romeoClient, romeo, posts(juliet));
            online(romeoClient);
            String quiet = publish(julietClient, posts(juliet), "forget this");
            String told = publish(julietClient, posts(juliet), "and this");
            String alsoQuiet = publish(julietClient, posts(juliet), "and this too");
            ok(set(julietClient, PUBSUB, "<retract node='" + posts(juliet) + "' notify='0'><item id='" + quiet + "'/></retract>"));
            ok(set(julietClient, PUBSUB, "<retract node='" + posts(juliet) + "' notify='false'><item id='" + alsoQuiet + "'/></retract>"));
            ok(set(julietClient, PUBSUB, "<retract node='" + posts(juliet) + "' notify='1'><item id='" + told + "'/></retract>"));
            // notifications leave in the order of the changes: a notice of the quiet ones would come first
            List<XmlElement> seen = until(romeoClient, m -> m.toXml().contains("<retract") && m.toXml().contains(told));
            assertTrue(seen.stream().noneMatch(m -> m.toXml().contains("<retract") && (m.toXml().contains(quiet)
                    || m.toXml().contains(alsoQuiet))), seen.toString());
            assertEquals(List.of(), itemIds(ok(get(romeoClient, PUBSUB, "<items node='" + posts(juliet) + "'/>"))), "all three are gone");

            String plain = publish(julietClient, posts(juliet), "retracted as before");
            ok(set(julietClient, PUBSUB, "<retract node='" + posts(juliet) + "'><item id='" + plain + "'/></retract>"));
            until(romeoClient, m -> m.toXml().contains("<retract") && m.toXml().contains(plain));
        }
    }

    @Test
    void firehoseFollowersHearOfPublicPostsOnlyUntilTheyLeave() throws Exception {
        Login juliet = account("juliet");
        Login tybalt = account("tybalt");
        Login benvolio = account("benvolio");
        Login romeo = account("romeo");
        try (RawClient julietClient = login(juliet); RawClient tybaltClient = login(tybalt); RawClient benvolioClient = login(benvolio);
             RawClient romeoClient = login(romeo)) {
            ok(set(tybaltClient, OWNER, "<configure node='" + posts(tybalt) + "'><x xmlns='" + DATA + "' type='submit'>"
                    + "<field var='pubsub#access_model'><value>authorize</value></field></x></configure>"));
            XmlElement subscribed = ok(set(romeoClient, PUBSUB, "<subscribe node='/firehose' jid='" + romeo.jid() + "'/>"));
            XmlElement subscription = subscribed.element("pubsub", PUBSUB).orElseThrow().element("subscription", PUBSUB).orElseThrow();
            assertEquals("/firehose", subscription.attr("node"));
            assertEquals("subscribed", subscription.attr("subscription"));
            online(romeoClient);

            publish(tybaltClient, posts(tybalt), "a private quarrel");
            publish(julietClient, posts(juliet), "an open balcony");
            List<XmlElement> seen = until(romeoClient, m -> m.toXml().contains("an open balcony"));
            XmlElement notice = seen.get(seen.size() - 1);
            assertEquals("headline", notice.attr("type"));
            assertTrue(notice.toXml().contains(posts(juliet)), "the item comes with its own node: " + notice.toXml());
            assertTrue(seen.stream().noneMatch(m -> m.toXml().contains("a private quarrel")), "never a private channel's post");

            ok(set(romeoClient, PUBSUB, "<unsubscribe node='/firehose' jid='" + romeo.jid() + "'/>"));
            subscribe(romeoClient, romeo, posts(benvolio));
            publish(julietClient, posts(juliet), "after he left");
            publish(benvolioClient, posts(benvolio), "a followed channel");
            seen = until(romeoClient, m -> m.toXml().contains("a followed channel"));
            assertTrue(seen.stream().noneMatch(m -> m.toXml().contains("after he left")), "unsubscribing ends the firehose");
        }
    }

    @Test
    void firehoseFollowersBannedFromANodeHearNothingOfIt() throws Exception {
        Login juliet = account("juliet");
        Login tybalt = account("tybalt");
        try (RawClient julietClient = login(juliet); RawClient tybaltClient = login(tybalt)) {
            ok(set(tybaltClient, PUBSUB, "<subscribe node='/firehose' jid='" + tybalt.jid() + "'/>"));
            online(tybaltClient);
            ok(set(julietClient, OWNER, "<affiliations node='" + posts(juliet) + "'><affiliation jid='" + tybalt.jid()
                    + "' affiliation='outcast'/></affiliations>"));
            publish(julietClient, posts(juliet), "not for Tybalt");
            Login benvolio = account("benvolio");
            try (RawClient benvolioClient = login(benvolio)) {
                publish(benvolioClient, posts(benvolio), "for the whole town");
                List<XmlElement> seen = until(tybaltClient, m -> m.toXml().contains("for the whole town"));
                assertTrue(seen.stream().noneMatch(m -> m.toXml().contains("not for Tybalt")), "a banned follower heard: " + seen);
            }
        }
    }

    @Test
    void followersHearOfAPostAndItsEditAsTheyAreStoredForeignExtensionsIncluded() throws Exception {
        Login juliet = account("juliet");
        Login romeo = account("romeo");
        try (RawClient julietClient = login(juliet); RawClient romeoClient = login(romeo)) {
            subscribe(romeoClient, romeo, posts(juliet));
            online(romeoClient);
            for (String content : List.of("first &amp; fair", "edited &lt;fairer&gt;")) {
                ok(set(julietClient, PUBSUB, "<publish node='" + posts(juliet) + "'><item id='balcony'><entry xmlns='"
                        + "http://www.w3.org/2005/Atom'><content>" + content + "</content><meta xmlns='urn:example:app' kind='x'>"
                        + "kept &amp; sound</meta></entry></item></publish>"));
                List<XmlElement> seen = until(romeoClient, m -> m.toXml().contains(content));
                XmlElement notified = seen.get(seen.size() - 1).element("event", "http://jabber.org/protocol/pubsub#event").orElseThrow()
                        .firstElement().orElseThrow().firstElement().orElseThrow().firstElement().orElseThrow();
                XmlElement stored = get(romeoClient, PUBSUB, "<items node='" + posts(juliet) + "'><item id='balcony'/></items>")
                        .element("pubsub", PUBSUB).orElseThrow().firstElement().orElseThrow().firstElement().orElseThrow()
                        .firstElement().orElseThrow();
                assertTrue(notified.toXml().contains("urn:example:app") && notified.toXml().contains("kept &amp; sound"), notified.toXml());
                assertEquals(stored.toXml(), notified.toXml());
            }
        }
    }

    @Test
    void geoNodesTakeXep0080LocationsAndServeThemBackAsPublished() throws Exception {
        Login juliet = account("juliet");
        String current = "/user/" + juliet.jid() + "/geo/current";
        try (RawClient client = login(juliet)) {
            XmlElement published = ok(set(client, PUBSUB, "<publish node='" + current + "'><item id='verona'><geoloc xmlns='" + GEOLOC
                    + "' xml:lang='en'><lat>45.438</lat><lon>10.9917</lon><accuracy>20</accuracy><locality>Verona</locality>"
                    + "<text>Under the balcony &amp; the moon</text><timestamp>2026-12-06T21:00:00Z</timestamp></geoloc></item></publish>"));
            assertTrue(published.toXml().contains("verona"), published.toXml());
            XmlElement items = ok(get(client, PUBSUB, "<items node='" + current + "'/>"));
            XmlElement item = items.element("pubsub", PUBSUB).orElseThrow().element("items", PUBSUB).orElseThrow()
                    .element("item", PUBSUB).orElseThrow();
            assertEquals("verona", item.attr("id"));
            XmlElement geoloc = item.element("geoloc", GEOLOC).orElseThrow(() -> new AssertionError("no geoloc: " + items.toXml()));
            assertEquals(1, item.elements().size(), "the location alone, no Atom entry: " + item.toXml());
            assertEquals("en", geoloc.attr("xml:lang"));
            assertEquals(List.of("lat=45.438", "lon=10.9917", "accuracy=20", "locality=Verona", "text=Under the balcony & the moon",
                    "timestamp=2026-12-06T21:00:00Z"), geoloc.elements().stream().map(e -> e.name() + "=" + e.text()).toList());

            for (String bad : List.of("<geoloc xmlns='" + GEOLOC + "'><lat>north</lat></geoloc>",
                    "<geoloc xmlns='" + GEOLOC + "'><lat>91</lat><lon>0</lon></geoloc>",
                    "<geoloc xmlns='" + GEOLOC + "'><planet>Mars</planet></geoloc>",
                    "<geoloc xmlns='" + GEOLOC + "'><lat>1</lat><lat>2</lat></geoloc>",
                    "<geoloc xmlns='" + GEOLOC + "'><text>" + "x".repeat(2000) + "</text></geoloc>",
                    "<geoloc xmlns='" + GEOLOC + "'><street><b>1</b></street></geoloc>",
                    "<mood xmlns='http://jabber.org/protocol/mood'><happy/></mood>")) {
                XmlElement refused = set(client, PUBSUB, "<publish node='" + current + "'><item>" + bad + "</item></publish>");
                appCondition(refused, "bad-request", PUBSUB_ERRORS, "invalid-payload");
            }
            appCondition(set(client, PUBSUB, "<publish node='" + current + "'><item/></publish>"), "bad-request", PUBSUB_ERRORS,
                    "payload-required");
            assertEquals(List.of("verona"), itemIds(ok(get(client, PUBSUB, "<items node='" + current + "'/>"))), "nothing else was stored");
            // XEP-0080 §5: an empty <geoloc/> says the user stopped publishing a place
            ok(set(client, PUBSUB, "<publish node='" + current + "'><item id='verona'><geoloc xmlns='" + GEOLOC + "'/></item></publish>"));
            XmlElement stopped = ok(get(client, PUBSUB, "<items node='" + current + "'/>"));
            assertTrue(stopped.element("pubsub", PUBSUB).orElseThrow().element("items", PUBSUB).orElseThrow().element("item", PUBSUB)
                    .orElseThrow().element("geoloc", GEOLOC).orElseThrow().elements().isEmpty(), stopped.toXml());
            // Atom entries are still welcome there, and a location is no post
            publish(client, "/user/" + juliet.jid() + "/geo/next", "Mantua");
            appCondition(set(client, PUBSUB, "<publish node='" + posts(juliet) + "'><item><geoloc xmlns='" + GEOLOC + "'><lat>1</lat>"
                    + "</geoloc></item></publish>"), "bad-request", BC_ERRORS, "entry-element-required");
        }
    }
}
