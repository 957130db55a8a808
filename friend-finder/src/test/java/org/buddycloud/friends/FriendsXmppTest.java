package org.buddycloud.friends;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.buddycloud.friends.xmpp.FriendsIqs;
import org.buddycloud.testsupport.ChannelServerClient;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.buddycloud.testsupport.PostgresTestResource;
import org.buddycloud.testsupport.ServiceTestStack;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.XMPPException.XMPPErrorException;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.packet.UnparsedIQ;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;

/**
 * The friend finder over XMPP as a client nobody here wrote (Smack) asks it: {@code friends.localhost} joined the
 * channel server's domain as a XEP-0114 component; {@code match} with the pepper of {@code hash_details}.
 */
@QuarkusTest
@WithTestResource(FriendsTestStack.class)
@WithTestResource(PostgresTestResource.class)
class FriendsXmppTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private final ChannelServerClient channels = new ChannelServerClient(
            ConfigProvider.getConfig().getValue(ServiceTestStack.CHANNEL_SERVER_URL, String.class));

    /** {@code <query xmlns='ns' …attributes>inner</query>} as an IQ get to the friend finder. */
    static final class Query extends IQ {
        private final String attributes;
        private final String inner;

        Query(String namespace, String attributes, String inner) throws Exception {
            super("query", namespace);
            this.attributes = attributes;
            this.inner = inner;
            setType(Type.get);
            setTo(JidCreate.from(FriendsTestStack.COMPONENT));
        }

        @Override
        protected IQChildElementXmlStringBuilder getIQChildElementBuilder(IQChildElementXmlStringBuilder xml) {
            xml.append(attributes);
            xml.rightAngleBracket();
            xml.append(inner);
            return xml;
        }
    }

    @Test
    void matchWithThePepperFindsAVerifiedFriend() throws Exception {
        await().atMost(DEADLINE).until(() -> given().get("/q/health/ready").statusCode() == 200);
        Login juliet = channels.newAccount("juliet");
        String address = "juliet." + UUID.randomUUID().toString().substring(0, 8) + "@capulet.lit";
        String claim = given().auth().oauth2(juliet.accessToken()).contentType(ContentType.JSON)
                .body(Map.of("medium", "email", "address", address, "discoverable", true)).post("/claims").then().statusCode(202)
                .extract().path("id");
        given().auth().oauth2(juliet.accessToken()).contentType(ContentType.JSON)
                .body(Map.of("code", FriendsTestStack.mailedCode(address).orElseThrow())).post("/claims/" + claim + "/verify")
                .then().statusCode(200);

        Login romeo = channels.newAccount("romeo");
        XMPPTCPConnection xmpp = connect(romeo);
        try {
            // the component connects at start; until then the channel server answers service-unavailable
            String details = await().atMost(DEADLINE).ignoreExceptions().until(() -> ask(xmpp, FriendsIqs.HASH_DETAILS, "", ""),
                    answer -> answer.contains("pepper="));
            String pepper = details.replaceAll("(?s).*pepper=['\"]([^'\"]+)['\"].*", "$1");
            String hash = FriendFinderTest.hash(address, "email", pepper);
            String other = FriendFinderTest.hash("nobody@nowhere.lit", "email", pepper);
            String answer = ask(xmpp, FriendsIqs.MATCH, " pepper='" + pepper + "'",
                    "<item item-hash='" + hash + "'/><item item-hash='" + other + "'/><item item-hash='" + hash + "' me='true'/>");
            assertEquals(1, answer.split("<item").length - 1, answer);
            assertEquals(true, answer.contains("jid='" + juliet.jid() + "'") || answer.contains("jid=\"" + juliet.jid() + "\""), answer);
            assertEquals(true, answer.contains(hash), answer);

            XMPPErrorException legacy = assertThrows(XMPPErrorException.class,
                    () -> ask(xmpp, FriendsIqs.MATCH, "", "<item item-hash='" + "a".repeat(64) + "'/>"));
            assertEquals(StanzaError.Condition.item_not_found, legacy.getStanzaError().getCondition(), "legacy hashes are off");
            XMPPErrorException stale = assertThrows(XMPPErrorException.class,
                    () -> ask(xmpp, FriendsIqs.MATCH, " pepper='stale'", "<item item-hash='" + hash + "'/>"));
            assertEquals(StanzaError.Condition.bad_request, stale.getStanzaError().getCondition());
            assertEquals(true, stale.getStanzaError().getDescriptiveText().contains(pepper), "the error names the pepper to use");
        } finally {
            xmpp.disconnect();
        }
    }

    private static String ask(XMPPTCPConnection connection, String namespace, String attributes, String inner) throws Exception {
        IQ answer = connection.sendIqRequestAndWaitForResponse(new Query(namespace, attributes, inner));
        return answer instanceof UnparsedIQ unparsed ? unparsed.getContent().toString() : answer.getChildElementXML().toString();
    }

    private static XMPPTCPConnection connect(Login account) throws Exception {
        int port = ConfigProvider.getConfig().getValue(ServiceTestStack.CHANNEL_SERVER_XMPP_PORT, Integer.class);
        XMPPTCPConnection connection = new XMPPTCPConnection(XMPPTCPConnectionConfiguration.builder()
                .setXmppDomain("localhost").setHost("127.0.0.1").setPort(port)
                .setUsernameAndPassword(account.username(), account.password())
                .setSecurityMode(SecurityMode.disabled).addEnabledSaslMechanism("SCRAM-SHA-1").setResource("smack").build());
        connection.setReplyTimeout(10_000);
        connection.connect().login();
        return connection;
    }
}
