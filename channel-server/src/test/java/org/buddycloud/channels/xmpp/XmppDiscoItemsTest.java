package org.buddycloud.channels.xmpp;

import static io.restassured.RestAssured.given;
import static org.buddycloud.channels.xmpp.XmppTestSupport.CHANNELS;
import static org.buddycloud.channels.xmpp.XmppTestSupport.account;
import static org.buddycloud.channels.xmpp.XmppTestSupport.port;
import static org.buddycloud.channels.xmpp.XmppTestSupport.tls;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.buddycloud.xmppkit.xml.XmlElement;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.buddycloud.testsupport.KafkaTestResource;
import org.buddycloud.testsupport.PostgresTestResource;
import org.junit.jupiter.api.Test;

/** disco#items of the channel service lists the advertised nodes page by page (XEP-0059), hidden ones left out. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class XmppDiscoItemsTest {

    private static final String ITEMS = "http://jabber.org/protocol/disco#items";
    private static final String RSM = "http://jabber.org/protocol/rsm";

    @Test
    void theAdvertisedNodesArePagedAndHiddenOnesLeftOut() throws Exception {
        Login juliet = account("juliet");
        Login romeo = account("romeo");
        given().auth().oauth2(romeo.accessToken()).contentType(ContentType.JSON).body(Map.of("advertise_node", false))
                .post("/" + romeo.jid() + "/metadata/posts").then().statusCode(200);
        List<String> nodes = new ArrayList<>();
        try (RawClient client = RawClient.login(port(), tls(), "SCRAM-SHA-256", juliet.username(), juliet.password())) {
            String after = "";
            for (int pages = 0; pages < 1000; pages++) {
                XmlElement reply = client.iq("<iq type='get' to='" + CHANNELS + "'><query xmlns='" + ITEMS + "'><set xmlns='" + RSM
                        + "'><max>50</max>" + (after.isEmpty() ? "" : "<after>" + after + "</after>") + "</set></query></iq>");
                XmlElement query = reply.element("query", ITEMS).orElseThrow();
                List<String> page = query.elements("item", ITEMS).stream().map(i -> i.attr("node")).toList();
                query.elements("item", ITEMS).forEach(i -> assertEquals(CHANNELS, i.attr("jid")));
                nodes.addAll(page);
                if (page.size() < 50) {
                    break;
                }
                after = query.element("set", RSM).flatMap(s -> s.childText("last", RSM)).orElseThrow();
                assertEquals(page.get(page.size() - 1), after);
            }
        }
        assertTrue(nodes.contains("/user/" + juliet.jid() + "/posts"));
        assertTrue(nodes.contains("/user/" + romeo.jid() + "/status"));
        assertFalse(nodes.contains("/user/" + romeo.jid() + "/posts"), "romeo hid his posts node");
        assertEquals(nodes.stream().distinct().sorted().toList(), nodes, "each node once, in name order across pages");
    }
}
