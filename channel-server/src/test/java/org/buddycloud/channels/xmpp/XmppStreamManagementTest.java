package org.buddycloud.channels.xmpp;

import static org.awaitility.Awaitility.await;
import static org.buddycloud.channels.xmpp.XmppTestSupport.account;
import static org.buddycloud.channels.xmpp.XmppTestSupport.port;
import static org.buddycloud.channels.xmpp.XmppTestSupport.smack;
import static org.buddycloud.channels.xmpp.XmppTestSupport.tls;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.arc.Arc;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.buddycloud.channels.xmpp.stream.RosterPushOrder;
import org.buddycloud.channels.xmpp.stream.SessionRegistry;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.buddycloud.testsupport.KafkaTestResource;
import org.buddycloud.testsupport.PostgresTestResource;
import org.buddycloud.xmppkit.xml.XmlElement;
import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.chat2.Chat;
import org.jivesoftware.smack.chat2.ChatManager;
import org.jivesoftware.smack.filter.MessageTypeFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.parsing.ExceptionLoggingCallback;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.delay.packet.DelayInformation;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;

/**
 * XEP-0198 stream management (acknowledgements, resumption, what a session that is not resumed leaves behind) and
 * XEP-0352 client state indication, with Smack's built-in stream management and with a raw client.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class XmppStreamManagementTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String SM = "urn:xmpp:sm:3";
    private static final String CSI = "urn:xmpp:csi:0";
    private static final String STANZA_ERRORS = "urn:ietf:params:xml:ns:xmpp-stanzas";
    private static final Set<String> STANZAS = Set.of("message", "presence", "iq");

    /** A Smack client with stream management and resumption on (asking for {@code maxSeconds} of it when above 0). */
    private static XMPPTCPConnection smackWithResumption(Login login) throws Exception {
        XMPPTCPConnection connection = new XMPPTCPConnection(XmppTestSupport.smackConfig(login, login.password())
                .addEnabledSaslMechanism("SCRAM-SHA-1").build());
        connection.setReplyTimeout(10_000);
        connection.setParsingExceptionCallback(new ExceptionLoggingCallback());
        connection.setUseStreamManagement(true);
        connection.setUseStreamManagementResumption(true);
        connection.connect().login();
        return connection;
    }

    private static Chat chat(XMPPTCPConnection from, Login to) throws Exception {
        return ChatManager.getInstanceFor(from).chatWith(JidCreate.entityBareFrom(to.jid()));
    }

    /** A raw client that authenticated and has not bound a resource yet. */
    private static RawClient authenticated(Login login) throws Exception {
        RawClient client = RawClient.connect(port());
        client.openStream();
        client.startTls(tls());
        assertTrue(client.authenticate("SCRAM-SHA-256", login.username(), login.password()), "login of " + login.username());
        return client;
    }

    private static RawClient bound(Login login) throws Exception {
        return RawClient.login(port(), tls(), "SCRAM-SHA-256", login.username(), login.password());
    }

    /** Reads what a raw client gets, counting the stanzas among it: the client's {@code h}. */
    private static final class Counting {
        final RawClient client;
        long stanzas;

        Counting(RawClient client) {
            this.client = client;
        }

        XmlElement expect(Predicate<XmlElement> match) throws IOException {
            return client.expect(element -> {
                if (STANZAS.contains(element.name()) && "jabber:client".equals(element.namespace())) {
                    stanzas++;
                }
                return match.test(element);
            }, WAIT);
        }

        /** The bodies of the chat messages that arrive, up to and including {@code last}. */
        List<String> bodiesUntil(String last) throws IOException {
            List<String> bodies = new ArrayList<>();
            while (bodies.isEmpty() || !bodies.get(bodies.size() - 1).equals(last)) {
                XmlElement message = expect(e -> e.name().equals("message") && e.element("body", "jabber:client").isPresent());
                bodies.add(message.childText("body", "jabber:client").orElseThrow());
            }
            return bodies;
        }
    }

    private static String ping() {
        return "<iq type='get'><ping xmlns='urn:xmpp:ping'/></iq>";
    }

    private static boolean smElement(XmlElement element, String name) {
        return element.is(name, SM);
    }

    @Test
    void aMessageSentWhileTheLinkWasCutArrivesOnceAfterSmackResumes() throws Exception {
        Login romeo = account("romeo");
        Login juliet = account("juliet");
        XMPPTCPConnection romeoClient = smack(romeo);
        XMPPTCPConnection julietClient = smackWithResumption(juliet);
        try {
            assertTrue(julietClient.isSmAvailable(), "stream management is offered");
            assertTrue(julietClient.isSmEnabled());
            StanzaCollector chats = julietClient.createStanzaCollector(MessageTypeFilter.CHAT);
            // the server counts what juliet sends: Smack checks its h against what it sent when it gets an acknowledgement
            Message greeting = julietClient.getStanzaFactory().buildMessageStanza().to(romeo.jid()).ofType(Message.Type.chat)
                    .setBody("good night").build();
            CountDownLatch acknowledged = new CountDownLatch(1);
            julietClient.addStanzaIdAcknowledgedListener(greeting.getStanzaId(), stanza -> acknowledged.countDown());
            julietClient.sendStanza(greeting);
            julietClient.requestSmAcknowledgement();
            assertTrue(acknowledged.await(10, TimeUnit.SECONDS), "the server acknowledged juliet's message");

            julietClient.instantShutdown();
            assertTrue(julietClient.isSmResumptionPossible());
            chat(romeoClient, juliet).send("while the link was cut");
            XmppTestSupport.ping(romeoClient);

            julietClient.connect().login();
            assertTrue(julietClient.streamWasResumed(), "the session was resumed");
            Message kept = chats.nextResult(10_000);
            assertNotNull(kept, "the message sent while the link was cut did not arrive");
            assertEquals("while the link was cut", kept.getBody());
            chat(romeoClient, juliet).send("and after");
            Message after = chats.nextResult(10_000);
            assertNotNull(after, "the resumed session is the one messages reach");
            assertEquals("and after", after.getBody());
            assertNull(chats.nextResult(500), "each arrived once");
        } finally {
            romeoClient.disconnect();
            julietClient.disconnect();
        }
    }

    @Test
    void aResumptionSendsAgainOnlyWhatTheClientDidNotAcknowledge() throws Exception {
        Login romeo = account("romeo");
        Login juliet = account("juliet");
        XMPPTCPConnection romeoClient = smack(romeo);
        String id;
        long acknowledged;
        try (RawClient first = bound(juliet)) {
            Counting reads = new Counting(first);
            first.send("<enable xmlns='urn:xmpp:sm:3' resume='true'/>");
            XmlElement enabled = reads.expect(e -> smElement(e, "enabled"));
            id = enabled.attr("id");
            assertNotNull(id);
            assertTrue(id.length() >= 20, "an unguessable id: " + id);
            assertEquals("true", enabled.attr("resume"));
            assertEquals("300", enabled.attr("max"), "the configured resumption time");
            first.send("<presence/>");
            assertEquals("result", first.iq(ping()).attr("type"));
            reads.stanzas++;
            Chat chat = chat(romeoClient, juliet);
            chat.send("one");
            chat.send("two");
            chat.send("three");
            reads.bodiesUntil("two");
            acknowledged = reads.stanzas;
            reads.bodiesUntil("three");
            first.send("<r xmlns='urn:xmpp:sm:3'/>");
            assertEquals("2", reads.expect(e -> smElement(e, "a")).attr("h"), "the server handled juliet's presence and ping");
            first.send("<a xmlns='urn:xmpp:sm:3' h='" + acknowledged + "'/>");
        }
        // the connection dropped without </stream:stream>: the session waits to be resumed
        try (RawClient second = authenticated(juliet)) {
            Counting reads = new Counting(second);
            second.send("<resume xmlns='urn:xmpp:sm:3' previd='" + id + "' h='" + acknowledged + "'/>");
            XmlElement resumed = reads.expect(e -> smElement(e, "resumed") || smElement(e, "failed"));
            assertEquals("resumed", resumed.name(), resumed.toXml());
            assertEquals(id, resumed.attr("previd"));
            assertEquals("2", resumed.attr("h"));
            chat(romeoClient, juliet).send("four");
            assertEquals(List.of("three", "four"), reads.bodiesUntil("four"), "what was acknowledged is not sent again");
            assertEquals("result", second.iq(ping()).attr("type"), "the resumed session is bound");
        } finally {
            romeoClient.disconnect();
        }
    }

    /**
     * Roster pushes reach a session in the order their changes committed (RosterPushOrder): one older than a push the
     * client already got is dropped. A resumed session is the same session to the client, roster and all, so that
     * holds across the resumption too.
     */
    @Test
    void aResumedSessionStillDropsARosterPushOlderThanOneItGotBeforeTheConnectionDropped() throws Exception {
        Login juliet = account("juliet");
        SessionRegistry registry = Arc.container().instance(SessionRegistry.class).get();
        String id;
        Jid full;
        long acknowledged;
        try (RawClient first = bound(juliet)) {
            full = Jid.parse(first.fullJid());
            Counting reads = new Counting(first);
            first.send("<enable xmlns='urn:xmpp:sm:3' resume='true'/>");
            id = reads.expect(e -> smElement(e, "enabled")).attr("id");
            registry.session(full).orElseThrow().send(rosterPush("nurse@localhost", "both", 5));
            XmlElement push = reads.expect(e -> e.name().equals("iq") && "push-5".equals(e.attr("id")));
            assertNull(push.attr("buddycloud-change-order"), "the mark never reaches the client");
            acknowledged = reads.stanzas;
            first.send("<a xmlns='urn:xmpp:sm:3' h='" + acknowledged + "'/>");
            first.send("<r xmlns='urn:xmpp:sm:3'/>");
            reads.expect(e -> smElement(e, "a"));
        }
        try (RawClient second = authenticated(juliet)) {
            Counting reads = new Counting(second);
            second.send("<resume xmlns='urn:xmpp:sm:3' previd='" + id + "' h='" + acknowledged + "'/>");
            XmlElement resumed = reads.expect(e -> smElement(e, "resumed") || smElement(e, "failed"));
            assertEquals("resumed", resumed.name(), resumed.toXml());
            // a change that committed before the one the client has: its push would undo the newer state
            registry.session(full).orElseThrow().send(rosterPush("nurse@localhost", "none", 3));
            registry.session(full).orElseThrow().send(rosterPush("nurse@localhost", "to", 6));
            XmlElement next = reads.expect(e -> e.name().equals("iq") && e.attr("id") != null && e.attr("id").startsWith("push-"));
            assertEquals("push-6", next.attr("id"), "the older change's push was dropped: " + next.toXml());
        }
    }

    /** A roster push as the roster sends it, marked with its change's place in line. */
    private static XmlElement rosterPush(String contact, String subscription, long order) {
        XmlElement query = XmlElement.of("query", "jabber:iq:roster");
        query.add("item").attr("jid", contact).attr("subscription", subscription);
        return RosterPushOrder.mark(XmlElement.of("iq", "jabber:client").attr("type", "set").attr("id", "push-" + order)
                .append(query), order);
    }

    @Test
    void aResumptionOfAnUnknownOrAnotherUsersSessionFailsAndTheClientBindsAnew() throws Exception {
        Login romeo = account("romeo");
        Login mallory = account("mallory");
        try (RawClient romeoClient = bound(romeo); RawClient malloryClient = authenticated(mallory)) {
            XmlElement features = malloryClient.featuresAfterAuthentication();
            assertTrue(features.element("sm", SM).isPresent(), "stream management is offered: " + features.toXml());
            assertTrue(features.element("csi", CSI).isPresent(), "client state indication is offered: " + features.toXml());
            romeoClient.send("<enable xmlns='urn:xmpp:sm:3' resume='true'/>");
            String romeosId = romeoClient.expect(e -> smElement(e, "enabled"), WAIT).attr("id");

            malloryClient.send("<enable xmlns='urn:xmpp:sm:3'/>");
            XmlElement early = malloryClient.expect(e -> smElement(e, "failed"), WAIT);
            assertTrue(early.element("unexpected-request", STANZA_ERRORS).isPresent(), "enable before bind: " + early.toXml());
            for (String previd : List.of("no-such-session", romeosId)) {
                malloryClient.send("<resume xmlns='urn:xmpp:sm:3' previd='" + previd + "' h='0'/>");
                XmlElement failed = malloryClient.expect(e -> smElement(e, "failed") || smElement(e, "resumed"), WAIT);
                assertEquals("failed", failed.name(), previd);
                assertTrue(failed.element("item-not-found", STANZA_ERRORS).isPresent(), failed.toXml());
            }
            assertTrue(malloryClient.bind("again").startsWith(mallory.jid() + "/"), "after a failed resumption the client binds");
            assertEquals("result", malloryClient.iq(ping()).attr("type"));
            assertEquals("result", romeoClient.iq(ping()).attr("type"), "romeo's session is untouched");
        }
    }

    @Test
    void aSessionNotResumedInTimeLeavesItsUnacknowledgedMessagesForTheNextLogin() throws Exception {
        Login romeo = account("romeo");
        Login juliet = account("juliet");
        XMPPTCPConnection romeoClient = smack(romeo);
        Instant before = Instant.now();
        Jid hibernated;
        try (RawClient first = bound(juliet)) {
            hibernated = Jid.parse(first.fullJid());
            // the client asks for a shorter resumption time than the server's
            first.send("<enable xmlns='urn:xmpp:sm:3' resume='true' max='1'/>");
            assertEquals("1", first.expect(e -> smElement(e, "enabled"), WAIT).attr("max"));
            first.send("<presence/>");
            assertEquals("result", first.iq(ping()).attr("type"));
            chat(romeoClient, juliet).send("kept for later");
            first.expect(e -> e.name().equals("message") && e.element("body", "jabber:client").isPresent(), WAIT);
        }
        SessionRegistry registry = Arc.container().instance(SessionRegistry.class).get();
        await().atMost(Duration.ofSeconds(15)).until(() -> registry.session(hibernated).isEmpty());
        romeoClient.disconnect();

        XMPPTCPConnection julietClient = new XMPPTCPConnection(XmppTestSupport.smackConfig(juliet, juliet.password())
                .addEnabledSaslMechanism("SCRAM-SHA-1").setSendPresence(false).build());
        try {
            julietClient.connect().login();
            StanzaCollector chats = julietClient.createStanzaCollector(MessageTypeFilter.CHAT);
            julietClient.sendStanza(julietClient.getStanzaFactory().buildPresenceStanza().build());
            Message kept = chats.nextResult(10_000);
            assertNotNull(kept, "the unacknowledged message was not kept");
            assertEquals("kept for later", kept.getBody());
            DelayInformation delay = kept.getExtension(DelayInformation.class);
            assertNotNull(delay, "stamped with when it first arrived");
            assertFalse(delay.getStamp().toInstant().isBefore(before.minusSeconds(1)));
            assertTrue(delay.getStamp().toInstant().isBefore(Instant.now()));
            assertNull(chats.nextResult(500), "delivered once");
        } finally {
            julietClient.disconnect();
        }
    }

    @Test
    void aCleanCloseLeavesUnacknowledgedMessagesForTheNextLogin() throws Exception {
        Login romeo = account("romeo");
        Login juliet = account("juliet");
        XMPPTCPConnection romeoClient = smack(romeo);
        try (RawClient first = bound(juliet)) {
            first.send("<enable xmlns='urn:xmpp:sm:3'/>");
            first.expect(e -> smElement(e, "enabled"), WAIT);
            first.send("<presence/>");
            assertEquals("result", first.iq(ping()).attr("type"));
            chat(romeoClient, juliet).send("read but not acknowledged");
            first.expect(e -> e.name().equals("message") && e.element("body", "jabber:client").isPresent(), WAIT);
            first.send("</stream:stream>");
            assertTrue(first.closedByServer(WAIT));
        } finally {
            romeoClient.disconnect();
        }
        XMPPTCPConnection julietClient = new XMPPTCPConnection(XmppTestSupport.smackConfig(juliet, juliet.password())
                .addEnabledSaslMechanism("SCRAM-SHA-1").setSendPresence(false).build());
        try {
            julietClient.connect().login();
            StanzaCollector chats = julietClient.createStanzaCollector(MessageTypeFilter.CHAT);
            julietClient.sendStanza(julietClient.getStanzaFactory().buildPresenceStanza().build());
            Message kept = chats.nextResult(10_000);
            assertNotNull(kept, "the unacknowledged message was lost");
            assertEquals("read but not acknowledged", kept.getBody());
            assertNull(chats.nextResult(500), "delivered once");
        } finally {
            julietClient.disconnect();
        }
    }

    @Test
    void anInactiveClientGetsMessagesAtOnceAndOnlyTheLatestPresenceWhenActiveAgain() throws Exception {
        Login romeo = account("romeo");
        Login juliet = account("juliet");
        try (RawClient julietClient = bound(juliet); RawClient romeoClient = bound(romeo)) {
            julietClient.send("<presence/>");
            julietClient.send("<inactive xmlns='urn:xmpp:csi:0'/>");
            assertEquals("result", julietClient.iq(ping()).attr("type"), "IQs go out at once");
            String to = " to='" + juliet.jid() + "'";
            romeoClient.send("<presence" + to + "><status>first</status></presence>");
            romeoClient.send("<presence" + to + "><status>second</status></presence>");
            romeoClient.send("<message type='chat'" + to + "><composing xmlns='http://jabber.org/protocol/chatstates'/></message>");
            romeoClient.send("<message type='chat'" + to + "><body>wherefore</body></message>");
            Predicate<XmlElement> fromRomeo = e -> (e.name().equals("message") || e.name().equals("presence"))
                    && String.valueOf(e.attr("from")).startsWith(romeo.jid());
            XmlElement first = julietClient.expect(fromRomeo, WAIT);
            assertEquals("message", first.name(), "the message overtakes the held presence: " + first.toXml());
            assertEquals("wherefore", first.childText("body", "jabber:client").orElse(null));

            julietClient.send("<active xmlns='urn:xmpp:csi:0'/>");
            XmlElement presence = julietClient.expect(fromRomeo, WAIT);
            assertEquals("presence", presence.name());
            assertEquals("second", presence.childText("status", "jabber:client").orElse(null), "only the latest presence");
            assertNull(julietClient.poll(fromRomeo, Duration.ofMillis(500)),
                    "neither the older presence nor the typing notification the message made stale");
        }
    }
}
