package org.buddycloud.channels.xmpp;

import static org.buddycloud.channels.xmpp.XmppTestSupport.account;
import static org.buddycloud.channels.xmpp.XmppTestSupport.port;
import static org.buddycloud.channels.xmpp.XmppTestSupport.smack;
import static org.buddycloud.channels.xmpp.XmppTestSupport.tls;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.buddycloud.testsupport.KafkaTestResource;
import org.buddycloud.testsupport.PostgresTestResource;
import org.buddycloud.xmppkit.xml.XmlElement;
import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.chat2.Chat;
import org.jivesoftware.smack.chat2.ChatManager;
import org.jivesoftware.smack.filter.MessageTypeFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;

/** The bound of XEP-0198's queue: a client that does not acknowledge is disconnected, and loses nothing. */
@QuarkusTest
@TestProfile(XmppStreamManagementLimitsTest.SmallQueue.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class XmppStreamManagementLimitsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    /** Three stanzas may wait for their acknowledgement; the server asks only rarely. */
    public static class SmallQueue implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("buddycloud.xmpp.stream-management.max-unacked", "3",
                    "buddycloud.xmpp.stream-management.request-ack-after", "100");
        }
    }

    @Test
    void aClientThatDoesNotAcknowledgeIsDisconnectedAndItsMessagesAreKeptForTheNextLogin() throws Exception {
        Login romeo = account("romeo");
        Login juliet = account("juliet");
        XMPPTCPConnection romeoClient = smack(romeo);
        try (RawClient julietClient = RawClient.login(port(), tls(), "SCRAM-SHA-256", juliet.username(), juliet.password())) {
            julietClient.send("<enable xmlns='urn:xmpp:sm:3'/>");
            julietClient.expect(e -> e.is("enabled", "urn:xmpp:sm:3"), WAIT);
            julietClient.send("<presence/>");
            assertEquals("result", julietClient.iq("<iq type='get'><ping xmlns='urn:xmpp:ping'/></iq>").attr("type"));
            Chat chat = ChatManager.getInstanceFor(romeoClient).chatWith(JidCreate.entityBareFrom(juliet.jid()));
            for (String body : List.of("one", "two", "three")) {
                chat.send(body);
            }
            XmlElement error = julietClient.streamError(WAIT);
            assertNotNull(error, "no stream error for a client that lets its queue grow");
            assertTrue(error.element("policy-violation", "urn:ietf:params:xml:ns:xmpp-streams").isPresent(), error.toXml());
            assertTrue(julietClient.closedByServer(WAIT));
        } finally {
            romeoClient.disconnect();
        }
        XMPPTCPConnection julietAgain = new XMPPTCPConnection(XmppTestSupport.smackConfig(juliet, juliet.password())
                .addEnabledSaslMechanism("SCRAM-SHA-1").setSendPresence(false).build());
        // Smack turns stream management on by default, and would meet the same small bound
        julietAgain.setUseStreamManagement(false);
        try {
            julietAgain.connect().login();
            StanzaCollector chats = julietAgain.createStanzaCollector(MessageTypeFilter.CHAT);
            julietAgain.sendStanza(julietAgain.getStanzaFactory().buildPresenceStanza().build());
            List<String> bodies = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Message kept = chats.nextResult(10_000);
                assertNotNull(kept, "kept so far: " + bodies);
                bodies.add(kept.getBody());
            }
            assertEquals(List.of("one", "two", "three"), bodies, "every unacknowledged message, in order");
            assertNull(chats.nextResult(500), "each once");
        } finally {
            julietAgain.disconnect();
        }
    }
}
