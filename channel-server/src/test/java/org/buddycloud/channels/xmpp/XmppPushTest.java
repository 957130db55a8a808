package org.buddycloud.channels.xmpp;

import static io.restassured.RestAssured.given;
import static org.buddycloud.channels.xmpp.XmppTestSupport.account;
import static org.buddycloud.channels.xmpp.XmppTestSupport.port;
import static org.buddycloud.channels.xmpp.XmppTestSupport.smack;
import static org.buddycloud.channels.xmpp.XmppTestSupport.tls;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.buddycloud.channels.push.PushRegistrations;
import org.buddycloud.contracts.events.CloudEvent;
import org.buddycloud.contracts.events.EventFormatException;
import org.buddycloud.contracts.events.KafkaEventCodec;
import org.buddycloud.contracts.events.MessageWaiting;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.buddycloud.testsupport.TopicReader;
import org.buddycloud.testsupport.KafkaTestResource;
import org.buddycloud.testsupport.PostgresTestResource;
import org.buddycloud.xmppkit.xml.XmlElement;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.push_notifications.PushNotificationsManager;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;

/**
 * XEP-0357 on the user's server: clients enable and disable app servers, and a message kept for a user none of whose
 * sessions can take it becomes one {@code message-waiting} event on {@code buddycloud.accounts} for the push server.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class XmppPushTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String PUSH = "push.localhost";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    PushRegistrations registrations;

    @Test
    void aSmackClientFindsPushOnItsAccountAndEnablesAndDisablesIt() throws Exception {
        Login juliet = account("juliet");
        XMPPTCPConnection client = smack(juliet);
        try {
            PushNotificationsManager push = PushNotificationsManager.getInstanceFor(client);
            assertTrue(push.isSupported(), "urn:xmpp:push:0 in the disco#info of the account");
            assertTrue(push.enable(JidCreate.from(PUSH), "7", new HashMap<>(Map.of("secret", "eilae0ai"))));
            assertEquals(List.of("7"), nodes(juliet));
            assertTrue(push.disable(JidCreate.from(PUSH), "7"));
            assertEquals(List.of(), nodes(juliet));
        } finally {
            client.disconnect();
        }
    }

    @Test
    void aMessageForAUserWhoIsAwayWakesEveryAppServerOnceWithoutItsText() throws Exception {
        Login romeo = account("romeo");
        Login juliet = account("juliet");
        try (RawClient julietsPhone = RawClient.login(port(), tls(), "SCRAM-SHA-256", juliet.username(), juliet.password());
             AccountEvents events = new AccountEvents(bootstrapServers)) {
            // her phone is connected but sleeps: no presence, so it takes no chat message
            assertResult(julietsPhone.iq(enable(PUSH, "7", Map.of("secret", "eilae0ai"))));
            assertResult(julietsPhone.iq(enable("p2.siacs.eu", "Ww9Eb4Kp", Map.of())));
            send(romeo, juliet, "I will come at nine");

            MessageWaiting first = waiting(events, juliet, 1);
            assertEquals(Jid.parse(romeo.jid()), first.lastMessageSender(), "the sender's bare JID");
            assertEquals(List.of(PUSH + " 7", "p2.siacs.eu Ww9Eb4Kp"),
                    first.registrations().stream().map(r -> r.appServer() + " " + r.node()).toList());
            first.registrations().forEach(r -> assertNull(r.lastMessageBody(), "no text unless a registration asks for it"));
            assertTrue(first.registrations().get(0).publishOptions().contains(new MessageWaiting.Option("secret", List.of("eilae0ai"))),
                    "the publish-options go along for the app server");

            send(romeo, juliet, "by the sycamore");
            assertEquals(2, waiting(events, juliet, 2).messageCount(), "both wait");
            assertEquals(2, events.within(w -> w.user().toString().equals(juliet.jid()), Duration.ofSeconds(1)).size(),
                    "one event per kept message");
        }
    }

    @Test
    void theTextGoesOnlyToTheRegistrationThatAskedForIt() throws Exception {
        Login romeo = account("romeo");
        Login juliet = account("juliet");
        try (RawClient julietsPhone = RawClient.login(port(), tls(), "SCRAM-SHA-256", juliet.username(), juliet.password());
             AccountEvents events = new AccountEvents(bootstrapServers)) {
            assertResult(julietsPhone.iq(enable(PUSH, "7", Map.of("include-body", "true"))));
            assertResult(julietsPhone.iq(enable("p2.siacs.eu", "Ww9Eb4Kp", Map.of())));
            send(romeo, juliet, "Wherefore art thou?");
            MessageWaiting waiting = waiting(events, juliet, 1);
            assertEquals("Wherefore art thou?", waiting.registrations().get(0).lastMessageBody());
            assertNull(waiting.registrations().get(1).lastMessageBody());
        }
    }

    @Test
    void disabledAppServersAreNotTold() throws Exception {
        Login romeo = account("romeo");
        Login juliet = account("juliet");
        try (RawClient julietsPhone = RawClient.login(port(), tls(), "SCRAM-SHA-256", juliet.username(), juliet.password());
             AccountEvents events = new AccountEvents(bootstrapServers)) {
            assertResult(julietsPhone.iq(enable(PUSH, "7", Map.of())));
            assertResult(julietsPhone.iq(enable(PUSH, "8", Map.of())));
            assertResult(julietsPhone.iq(enable("p2.siacs.eu", "a", Map.of())));
            assertResult(julietsPhone.iq("<iq type='set'><disable xmlns='urn:xmpp:push:0' jid='" + PUSH + "' node='7'/></iq>"));
            send(romeo, juliet, "one");
            assertEquals(List.of(PUSH + " 8", "p2.siacs.eu a"), waiting(events, juliet, 1).registrations().stream()
                    .map(r -> r.appServer() + " " + r.node()).toList(), "a disabled node is not told");

            // without a node: every node of that app server
            assertResult(julietsPhone.iq("<iq type='set'><disable xmlns='urn:xmpp:push:0' jid='" + PUSH + "'/></iq>"));
            assertResult(julietsPhone.iq("<iq type='set'><disable xmlns='urn:xmpp:push:0' jid='p2.siacs.eu'/></iq>"));
            send(romeo, juliet, "two");
            assertEquals(List.of(), events.within(w -> w.user().toString().equals(juliet.jid()) && w.messageCount() == 2,
                    Duration.ofSeconds(3)), "nobody left to tell");
        }
    }

    @Test
    void badEnablesAreRefusedInWords() throws Exception {
        Login juliet = account("juliet");
        try (RawClient phone = RawClient.login(port(), tls(), "SCRAM-SHA-256", juliet.username(), juliet.password())) {
            assertRefused(phone.iq("<iq type='set'><enable xmlns='urn:xmpp:push:0' node='7'/></iq>"), "bad-request", "'jid'");
            assertRefused(phone.iq("<iq type='set'><enable xmlns='urn:xmpp:push:0' jid='a@@b' node='7'/></iq>"), "bad-request",
                    "not a valid JID");
            assertRefused(phone.iq("<iq type='set'><enable xmlns='urn:xmpp:push:0' jid='push.localhost'/></iq>"), "bad-request", "'node'");
            assertRefused(phone.iq("<iq type='get'><enable xmlns='urn:xmpp:push:0' jid='push.localhost' node='7'/></iq>"), "bad-request",
                    "type='set'");
            assertRefused(phone.iq("<iq type='set'><enable xmlns='urn:xmpp:push:0' jid='push.localhost' node='7'>"
                    + "<x xmlns='jabber:x:data' type='form'/></enable></iq>"), "bad-request", "submit");
            assertRefused(phone.iq("<iq type='set'><disable xmlns='urn:xmpp:push:0'/></iq>"), "bad-request", "'jid'");
            assertEquals(List.of(), nodes(juliet), "nothing was enabled");

            for (int i = 0; i < 20; i++) {
                assertResult(phone.iq(enable(PUSH, "n" + i, Map.of())));
            }
            assertRefused(phone.iq(enable(PUSH, "n20", Map.of())), "not-acceptable", "at most 20");
            assertResult(phone.iq(enable(PUSH, "n3", Map.of("secret", "new"))));
            assertEquals(20, nodes(juliet).size(), "enabling a node again replaces it");
        }
    }

    @Test
    void registrationsGoWithTheAccount() throws Exception {
        Login juliet = account("juliet");
        try (RawClient phone = RawClient.login(port(), tls(), "SCRAM-SHA-256", juliet.username(), juliet.password())) {
            assertResult(phone.iq(enable(PUSH, "7", Map.of())));
        }
        given().auth().oauth2(juliet.accessToken()).delete("/account").then().statusCode(204);
        assertEquals(List.of(), nodes(juliet));
    }

    private List<String> nodes(Login user) {
        return registrations.of(Jid.parse(user.jid())).stream().map(r -> r.node()).toList();
    }

    private static String enable(String appServer, String node, Map<String, String> options) {
        StringBuilder iq = new StringBuilder("<iq type='set'><enable xmlns='urn:xmpp:push:0' jid='" + appServer + "' node='" + node + "'>");
        if (!options.isEmpty()) {
            iq.append("<x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE'>")
                    .append("<value>http://jabber.org/protocol/pubsub#publish-options</value></field>");
            options.forEach((var, value) -> iq.append("<field var='").append(var).append("'><value>").append(value).append("</value></field>"));
            iq.append("</x>");
        }
        return iq.append("</enable></iq>").toString();
    }

    /** Sends a chat message and waits until the server handled it (a ping behind it is answered). */
    private static void send(Login from, Login to, String body) throws Exception {
        try (RawClient sender = RawClient.login(port(), tls(), "SCRAM-SHA-256", from.username(), from.password())) {
            sender.send("<message type='chat' to='" + to.jid() + "'><body>" + body + "</body></message>");
            assertResult(sender.iq("<iq type='get' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>"));
        }
    }

    private static MessageWaiting waiting(AccountEvents events, Login user, int count) {
        return events.await(w -> w.user().toString().equals(user.jid()) && w.messageCount() == count, WAIT);
    }

    /**
     * The {@code message-waiting} events on {@code buddycloud.accounts} from now on (the topic's past holds records other
     * tests left there on purpose, unreadable ones among them).
     */
    private static final class AccountEvents implements AutoCloseable {
        private final TopicReader reader;
        private final KafkaEventCodec codec = new KafkaEventCodec();
        private final List<MessageWaiting> received = new ArrayList<>();

        AccountEvents(String bootstrapServers) {
            reader = new TopicReader(Map.of("bootstrap.servers", bootstrapServers), "buddycloud.accounts");
            reader.seek(reader.endOffsets());
        }

        MessageWaiting await(Predicate<MessageWaiting> matching, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                Optional<MessageWaiting> found = received.stream().filter(matching).findFirst();
                if (found.isPresent()) {
                    return found.get();
                }
                read();
            }
            throw new AssertionError("no matching message-waiting event within " + timeout + "; received " + received);
        }

        /** Everything matching that arrived within {@code window}: to prove that an event did not happen. */
        List<MessageWaiting> within(Predicate<MessageWaiting> matching, Duration window) {
            long deadline = System.nanoTime() + window.toNanos();
            while (System.nanoTime() < deadline) {
                read();
            }
            return received.stream().filter(matching).toList();
        }

        private void read() {
            for (ConsumerRecord<byte[], byte[]> record : reader.poll(Duration.ofMillis(200))) {
                try {
                    codec.read(record).map(CloudEvent::data).filter(MessageWaiting.class::isInstance)
                            .ifPresent(data -> received.add((MessageWaiting) data));
                } catch (EventFormatException notAnEvent) {
                    // another test's unreadable record: not ours
                }
            }
        }

        @Override
        public void close() {
            reader.close();
        }
    }

    private static void assertResult(XmlElement reply) {
        assertEquals("result", reply.attr("type"), reply.toXml());
    }

    private static void assertRefused(XmlElement reply, String condition, String inText) {
        assertEquals("error", reply.attr("type"), reply.toXml());
        XmlElement error = reply.element("error", "jabber:client").orElseThrow();
        assertTrue(error.element(condition, "urn:ietf:params:xml:ns:xmpp-stanzas").isPresent(), reply.toXml());
        String text = error.childText("text", "urn:ietf:params:xml:ns:xmpp-stanzas").orElse("");
        assertTrue(text.contains(inText), "'" + text + "' says " + inText);
        assertFalse(text.isBlank());
    }
}
