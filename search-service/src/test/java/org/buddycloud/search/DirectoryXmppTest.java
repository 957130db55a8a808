package org.buddycloud.search;

import static org.awaitility.Awaitility.await;
import static org.buddycloud.search.DirectoryXmpp.ask;
import static org.buddycloud.search.DirectoryXmpp.items;
import static org.buddycloud.search.DirectoryXmpp.text;
import static org.buddycloud.search.SearchTestSupport.DEADLINE;
import static org.buddycloud.search.SearchTestSupport.account;
import static org.buddycloud.search.SearchTestSupport.configure;
import static org.buddycloud.search.SearchTestSupport.createTopic;
import static org.buddycloud.search.SearchTestSupport.follow;
import static org.buddycloud.search.SearchTestSupport.found;
import static org.buddycloud.search.SearchTestSupport.post;
import static org.buddycloud.search.SearchTestSupport.smack;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.buddycloud.search.xmpp.DirectoryIqs;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.buddycloud.testsupport.PostgresTestResource;
import org.jivesoftware.smack.XMPPException.XMPPErrorException;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.disco.ServiceDiscoveryManager;
import org.jivesoftware.smackx.disco.packet.DiscoverInfo;
import org.jivesoftware.smackx.pubsub.LeafNode;
import org.jivesoftware.smackx.pubsub.PubSubManager;
import org.jivesoftware.smackx.pubsub.form.FillableConfigureForm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;
import org.w3c.dom.Element;

/**
 * The directory over XMPP, as a client that nobody here wrote (Smack) asks it: {@code directory.localhost} joined the
 * channel server's domain as a XEP-0114 component; the queries of PROTOCOL.md §6 with index-based RSM; the same
 * privacy as over REST; errors as stanza errors with a text.
 */
@QuarkusTest
@WithTestResource(SearchTestStack.class)
@WithTestResource(PostgresTestResource.class)
class DirectoryXmppTest {

    private static final String RSM = "<set xmlns='http://jabber.org/protocol/rsm'>";
    private Login juliet;
    private XMPPTCPConnection xmpp;

    @BeforeEach
    void connect() throws Exception {
        SearchTestSupport.awaitReady();
        juliet = account("juliet");
        xmpp = smack(juliet);
        // the component connects at start; until then the channel server answers service-unavailable
        await().atMost(DEADLINE).ignoreExceptions().until(() ->
                ask(xmpp, DirectoryIqs.MOST_ACTIVE, "") != null);
    }

    @AfterEach
    void disconnect() {
        xmpp.disconnect();
    }

    private static String word() {
        return "x" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    @Test
    void discoTellsWhatTheDirectoryAnswers() throws Exception {
        DiscoverInfo info = ServiceDiscoveryManager.getInstanceFor(xmpp).discoverInfo(JidCreate.from(SearchTestStack.DIRECTORY));
        for (String namespace : List.of(DirectoryIqs.METADATA, DirectoryIqs.CONTENT, DirectoryIqs.NEARBY, DirectoryIqs.MOST_ACTIVE,
                DirectoryIqs.RECOMMENDATIONS, DirectoryIqs.SIMILAR)) {
            assertTrue(info.containsFeature(namespace), namespace);
        }
        assertEquals("directory", info.getIdentities().get(0).getCategory());
    }

    @Test
    void contentQueryFindsPostsNewestFirstWithIndexPaging() throws Exception {
        String word = word();
        String first = post(juliet, juliet.jid(), "first " + word);
        String second = post(juliet, juliet.jid(), "second " + word);
        await().atMost(DEADLINE).until(() -> found(null, word).size() == 2);
        Element all = ask(xmpp, DirectoryIqs.CONTENT, "<search>" + word + "</search>");
        assertEquals(List.of(second, first), items(all, "id"));
        assertEquals("2", text(all, "count"));
        assertEquals(juliet.jid(), text(all, "parent_simpleid"));
        assertTrue(text(all, "content").contains(word));
        Element page = ask(xmpp, DirectoryIqs.CONTENT, "<search>" + word + "</search>" + RSM + "<max>1</max><index>1</index></set>");
        assertEquals(List.of(first), items(page, "id"));
        assertEquals("1", ((Element) page.getElementsByTagName("first").item(0)).getAttribute("index"));
        Element after = ask(xmpp, DirectoryIqs.CONTENT, "<search>" + word + "</search>" + RSM + "<max>1</max><after>0</after></set>");
        assertEquals(List.of(first), items(after, "id"), "a numeric after is the position before the page");
    }

    @Test
    void metadataNearbyAndMostActiveQueries() throws Exception {
        String word = word();
        String topic = word + "@topics.localhost";
        createTopic(juliet, topic);
        configure(juliet, topic, Map.of("title", "Fair " + word, "description", "where we lay our scene"));
        LeafNode node = PubSubManager.getInstanceFor(xmpp, JidCreate.bareFrom("channels.localhost")).getLeafNode("/user/" + topic + "/posts");
        FillableConfigureForm form = node.getNodeConfiguration().getFillableForm();
        form.setAnswer("x-buddycloud#geoloc-lat", "-33.8688");
        form.setAnswer("x-buddycloud#geoloc-lon", "151.2093");
        node.sendConfigurationForm(form);
        post(juliet, topic, "g'day " + word);
        await().atMost(DEADLINE).until(() -> items(ask(xmpp, DirectoryIqs.NEARBY, "<point lat='-33.87' lon='151.21'/>"), "jid").contains(topic));
        Element nearby = ask(xmpp, DirectoryIqs.NEARBY, "<point lat='-33.87' lon='151.21'/>");
        assertEquals("-33.8688", text(nearby, "lat"));
        Element metadata = ask(xmpp, DirectoryIqs.METADATA, "<search>" + word + "</search>");
        assertEquals(List.of(topic), items(metadata, "jid"));
        assertEquals("Fair " + word, text(metadata, "title"));
        assertEquals("topic", text(metadata, "channel_type"));
        await().atMost(DEADLINE).until(() -> items(ask(xmpp, DirectoryIqs.MOST_ACTIVE,
                "<domain>topics.localhost</domain><period>1</period>" + RSM + "<max>100</max></set>"), "jid").contains(topic));
    }

    @Test
    void privateChannelsStayPrivateOverXmpp() throws Exception {
        Login nurse = account("nurse");
        configure(juliet, juliet.jid(), Map.of("access_model", "authorize"));
        String word = word();
        post(juliet, juliet.jid(), "only for my followers " + word);
        await().atMost(DEADLINE).until(() -> found(juliet, word).size() == 1);
        assertEquals(1, items(ask(xmpp, DirectoryIqs.CONTENT, "<search>" + word + "</search>"), "id").size(), "the owner finds it");
        XMPPTCPConnection stranger = smack(nurse);
        try {
            assertEquals(List.of(), items(ask(stranger, DirectoryIqs.CONTENT, "<search>" + word + "</search>"), "id"));
        } finally {
            stranger.disconnect();
        }
    }

    @Test
    void longPostsComeAsSnippetsAndTheLinkStaysUp() throws Exception {
        String word = word();
        String filler = "<&>".repeat(30_000);   // 90,000 characters that grow fourfold when escaped
        for (int i = 0; i < 3; i++) {
            post(juliet, juliet.jid(), word + " " + filler);
        }
        await().atMost(DEADLINE).until(() -> found(null, word).size() == 3);
        Element answer = ask(xmpp, DirectoryIqs.CONTENT, "<search>" + word + "</search>");
        assertEquals(3, items(answer, "id").size());
        assertTrue(text(answer, "content").length() <= 1_001, "a snippet, not the whole post");
        assertEquals("3", text(answer, "count"));
        ask(xmpp, DirectoryIqs.MOST_ACTIVE, "");   // still connected
    }

    @Test
    void badQueriesGetBadRequestWithAText() {
        Map<String, String> bad = Map.of(
                DirectoryIqs.CONTENT, "",
                DirectoryIqs.METADATA, "<search>x</search>" + RSM + "<max>100000</max></set>",
                DirectoryIqs.NEARBY, "<point lat='95' lon='0'/>",
                DirectoryIqs.SIMILAR, "",
                DirectoryIqs.RECOMMENDATIONS, "<user-jid>not a jid</user-jid>");
        bad.forEach((namespace, inner) -> {
            XMPPErrorException error = assertThrows(XMPPErrorException.class, () -> ask(xmpp, namespace, inner), namespace);
            assertEquals(StanzaError.Condition.bad_request, error.getStanzaError().getCondition());
            assertTrue(error.getStanzaError().getDescriptiveText() != null, "a text says why");
        });
        XMPPErrorException unknown = assertThrows(XMPPErrorException.class,
                () -> ask(xmpp, "http://buddycloud.com/channel_directory/no_such_query", ""));
        assertEquals(StanzaError.Condition.service_unavailable, unknown.getStanzaError().getCondition());
    }

    @Test
    void recommendationsAndSimilarChannelsAreTheTasteEnginesAnswers() throws Exception {
        Login owner = account("owner");
        String roses = word() + "-roses@topics.localhost";
        String tulips = word() + "-tulips@topics.localhost";
        createTopic(owner, roses);
        createTopic(owner, tulips);
        for (int i = 0; i < 2; i++) {
            Login gardener = account("gardener");
            follow(gardener, roses);
            follow(gardener, tulips);
        }
        follow(juliet, roses);
        await().atMost(DEADLINE).until(() -> items(ask(xmpp, DirectoryIqs.RECOMMENDATIONS, ""), "jid").contains(tulips));
        Element forJuliet = ask(xmpp, DirectoryIqs.RECOMMENDATIONS, "<user-jid>" + juliet.jid() + "</user-jid>" + RSM + "<max>1</max></set>");
        assertEquals(List.of(tulips), items(forJuliet, "jid"));
        assertEquals("channel", items(forJuliet, "type").get(0));
        assertEquals(tulips, text(forJuliet, "first"));

        Element similar = ask(xmpp, DirectoryIqs.SIMILAR, "<channel-jid>" + roses + "</channel-jid>");
        assertEquals(List.of(tulips), items(similar, "jid"));
        assertEquals("1", text(similar, "count"));
        assertTrue(text(similar, "title") != null, "a channel item as the other queries give it");
        assertEquals(List.of(), items(ask(xmpp, DirectoryIqs.SIMILAR, "<channel-jid>nothing-" + word() + "@topics.localhost</channel-jid>"),
                "jid"), "an unknown channel: an empty list");
    }
}
