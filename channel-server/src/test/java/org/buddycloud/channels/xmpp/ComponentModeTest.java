package org.buddycloud.channels.xmpp;

import static io.restassured.RestAssured.given;
import static org.buddycloud.channels.xmpp.XmppTestSupport.CHANNELS;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.Arc;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.buddycloud.channels.xmpp.component.ComponentLink;
import org.buddycloud.testsupport.KafkaTestResource;
import org.buddycloud.testsupport.PostgresTestResource;
import org.buddycloud.testsupport.ProsodyProcess;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.parsing.ExceptionLoggingCallback;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smackx.iqregister.packet.Registration;
import org.jivesoftware.smackx.ping.PingManager;
import org.jivesoftware.smackx.pubsub.GetItemsRequest;
import org.jivesoftware.smackx.pubsub.Item;
import org.jivesoftware.smackx.pubsub.LeafNode;
import org.jivesoftware.smackx.pubsub.PayloadItem;
import org.jivesoftware.smackx.pubsub.PubSubManager;
import org.jivesoftware.smackx.pubsub.SimplePayload;
import org.jivesoftware.smackx.pubsub.Subscription;
import org.jivesoftware.smackx.pubsub.listener.ItemEventListener;
import org.jivesoftware.smackx.pubsub.packet.PubSub;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;

/**
 * Component mode (XEP-0114) against a real Prosody: users logged into Prosody register with the
 * channel service, create a channel, follow, post, and get notifications routed through Prosody;
 * and the link survives what one user, the network or a stalled server does to it.
 * Skips with a message where Prosody is not installed ({@code .ci/run} installs it).
 */
@QuarkusTest
@TestProfile(ComponentModeTest.BesideProsody.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class ComponentModeTest {

    private static final String SECRET = "component-secret-" + UUID.randomUUID();

    /** Prosody for the domain, with the channel service as its external component, reached through a relay we control. */
    public static class ProsodyResource implements QuarkusTestResourceLifecycleManager {
        static volatile ProsodyProcess prosody;
        static volatile ComponentProxy link;

        @Override
        public Map<String, String> start() {
            if (!ProsodyProcess.installed()) {
                return Map.of();
            }
            prosody = ProsodyProcess.start("localhost", Map.of(CHANNELS, SECRET), null);
            try {
                link = new ComponentProxy(prosody.componentPort());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Map.of("buddycloud.xmpp.component.enabled", "true", "buddycloud.xmpp.component.port",
                    Integer.toString(link.port()), "buddycloud.xmpp.component.secret", SECRET,
                    // small, so that a stalled server fills it quickly
                    "buddycloud.xmpp.component.max-outbound-bytes", "65536");
        }

        @Override
        public void stop() {
            try {
                if (link != null) {
                    link.close();
                }
            } catch (IOException ignored) {
                // closing anyway
            }
            if (prosody != null) {
                prosody.close();
                prosody = null;
            }
        }
    }

    public static class BesideProsody implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ProsodyResource.class));
        }
    }

    @BeforeEach
    void prosodyIsHere() {
        assumeTrue(ProsodyResource.prosody != null,
                "Prosody is not installed (apt-get install -y prosody): component mode against a real Prosody is not tested here");
    }

    private static XMPPTCPConnection prosodyUser(String username, String password) throws Exception {
        XmppTestSupport.teachSmackBuddycloudEvents();
        ProsodyResource.prosody.register(username, password);
        XMPPTCPConnection connection = new XMPPTCPConnection(XMPPTCPConnectionConfiguration.builder().setXmppDomain("localhost")
                .setHost("127.0.0.1").setPort(ProsodyResource.prosody.c2sPort()).setUsernameAndPassword(username, password)
                .setSecurityMode(SecurityMode.disabled).setResource("prosody").build());
        connection.setReplyTimeout(10_000);
        connection.setParsingExceptionCallback(new ExceptionLoggingCallback());
        connection.connect().login();
        // as with the original server: register with the channel service (creates the personal channel) and tell it we are online
        Registration register = new Registration(Map.of());
        register.setType(IQ.Type.set);
        register.setTo(JidCreate.domainBareFrom(CHANNELS));
        connection.createStanzaCollectorAndSend(register).nextResultOrThrow();
        connection.sendStanza(connection.getStanzaFactory().buildPresenceStanza().to(JidCreate.domainBareFrom(CHANNELS)).build());
        return connection;
    }

    private static void awaitComponent() {
        ComponentLink link = link();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!link.ready() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
        assertTrue(link.ready(), "the component never connected to Prosody: " + ProsodyResource.prosody.log());
    }

    @Test
    void aProsodyUserCreatesFollowsAndPostsOnOurChannelsAndIsNotified() throws Exception {
        awaitComponent();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        XMPPTCPConnection alice = prosodyUser("alice-" + suffix, "alice-pw-" + suffix);
        XMPPTCPConnection bob = prosodyUser("bob-" + suffix, "bob-pw-" + suffix);
        try {
            String topic = "/user/verona-" + suffix + "@topics.localhost/posts";
            PubSubManager.getInstanceFor(alice, JidCreate.bareFrom(CHANNELS)).createNode(topic);
            LeafNode bobView = PubSubManager.getInstanceFor(bob, JidCreate.bareFrom(CHANNELS)).getLeafNode(topic);
            BlockingQueue<String> bobSees = follow(bob, bobView);

            publish(alice, topic, "Two households, both alike in dignity");

            String notified = bobSees.poll(15, TimeUnit.SECONDS);
            assertNotNull(notified, "bob, on Prosody, got no notification: " + ProsodyResource.prosody.log());
            assertTrue(notified.contains("Two households") && notified.contains(alice.getUser().asBareJid().toString()), notified);
            given().get("/verona-" + suffix + "@topics.localhost/content/posts").then().statusCode(200)
                    .body("[0].content", equalTo("Two households, both alike in dignity"));
            List<Item> items = bobView.getItems();
            assertEquals(1, items.size());
        } finally {
            alice.disconnect();
            bob.disconnect();
        }
    }

    @Test
    void aTooDeepStanzaFromOneProsodyUserIsRefusedAndTheLinkCarriesOn() throws Exception {
        awaitComponent();
        int connections = ProsodyResource.link.connections();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        XMPPTCPConnection mallory = prosodyUser("mallory-" + suffix, "mallory-pw-" + suffix);
        XMPPTCPConnection alice = prosodyUser("alice-" + suffix, "alice-pw-" + suffix);
        XMPPTCPConnection bob = prosodyUser("bob-" + suffix, "bob-pw-" + suffix);
        try {
            // Prosody bounds the size of its users' stanzas, not their depth: 40 levels reach the channel service
            StandardExtensionElement deep = StandardExtensionElement.builder("n", "urn:example:deep").setText("bottom").build();
            for (int level = 1; level < 40; level++) {
                deep = StandardExtensionElement.builder("n", "urn:example:deep").addElement(deep).build();
            }
            Message message = mallory.getStanzaFactory().buildMessageStanza().to(JidCreate.domainBareFrom(CHANNELS)).addExtension(deep).build();
            StanzaCollector errors = mallory.createStanzaCollector(stanza -> stanza instanceof Message m && m.getType() == Message.Type.error);
            mallory.sendStanza(message);
            Message refused = errors.nextResult(10_000);
            assertNotNull(refused, "the deep message was not answered: " + ProsodyResource.prosody.log());
            assertEquals(StanzaError.Condition.policy_violation, refused.getError().getCondition(), refused.toXML().toString());

            assertTrue(link().ready(), "the component link went down");
            assertEquals(connections, ProsodyResource.link.connections(), "the component link was reconnected: it had been closed");
            String topic = "/user/deep-" + suffix + "@topics.localhost/posts";
            PubSubManager.getInstanceFor(alice, JidCreate.bareFrom(CHANNELS)).createNode(topic);
            BlockingQueue<String> bobSees = follow(bob, PubSubManager.getInstanceFor(bob, JidCreate.bareFrom(CHANNELS)).getLeafNode(topic));
            publish(alice, topic, "still here");
            String notified = bobSees.poll(15, TimeUnit.SECONDS);
            assertNotNull(notified, "after the deep stanza, bob got no notification");
            assertTrue(notified.contains("still here"), notified);
        } finally {
            mallory.disconnect();
            alice.disconnect();
            bob.disconnect();
        }
    }

    @Test
    void afterTheLinkIsLostAndBackUsersWhoSentPresenceBeforeAreNotifiedAndProbed() throws Exception {
        awaitComponent();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        XMPPTCPConnection alice = prosodyUser("alice-" + suffix, "alice-pw-" + suffix);
        XMPPTCPConnection bob = prosodyUser("bob-" + suffix, "bob-pw-" + suffix);
        try {
            String topic = "/user/mantua-" + suffix + "@topics.localhost/posts";
            PubSubManager.getInstanceFor(alice, JidCreate.bareFrom(CHANNELS)).createNode(topic);
            BlockingQueue<String> bobSees = follow(bob, PubSubManager.getInstanceFor(bob, JidCreate.bareFrom(CHANNELS)).getLeafNode(topic));

            int connections = ProsodyResource.link.connections();
            ProsodyResource.link.takeWritten();
            ProsodyResource.link.cut();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while ((ProsodyResource.link.connections() == connections || !link().ready()) && System.nanoTime() < deadline) {
                LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
            }
            assertTrue(ProsodyResource.link.connections() > connections && link().ready(), "the component did not reconnect");
            String probe = "type=\"probe\"";
            String bobJid = "to=\"" + bob.getUser().asBareJid() + "\"";
            String written = "";
            while (!(written.contains(probe) && written.contains(bobJid)) && System.nanoTime() < deadline) {
                written += ProsodyResource.link.takeWritten();
                LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
            }
            assertTrue(written.contains(probe) && written.contains(bobJid), "bob's presence was not probed: " + written);

            // bob sends no presence again: his session and its presence to the channel service outlived our link
            publish(alice, topic, "A plague on both your houses");
            String notified = bobSees.poll(15, TimeUnit.SECONDS);
            assertNotNull(notified, "after the link came back, bob got no notification: " + ProsodyResource.prosody.log());
            assertTrue(notified.contains("A plague"), notified);
        } finally {
            alice.disconnect();
            bob.disconnect();
        }
    }

    @Test
    void aServerThatStopsReadingMakesTheChannelServiceDropNotBuffer() throws Exception {
        awaitComponent();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        XMPPTCPConnection carol = prosodyUser("carol-" + suffix, "carol-pw-" + suffix);
        MeterRegistry metrics = Arc.container().instance(MeterRegistry.class).get();
        double droppedBefore = dropped(metrics);
        int connections = ProsodyResource.link.connections();
        try {
            String topic = "/user/archive-" + suffix + "@topics.localhost/posts";
            PubSubManager.getInstanceFor(carol, JidCreate.bareFrom(CHANNELS)).createNode(topic);
            for (int i = 0; i < 4; i++) {
                publish(carol, topic, ("page " + i + " ").repeat(5_000));
            }
            ProsodyResource.link.stall(true);
            // each answer carries the four posts (~200 KB): far more than the 64 KiB the link may hold back
            for (int i = 0; i < 30; i++) {
                carol.sendIqRequestAsync(PubSub.createPubsubPacket(JidCreate.bareFrom(CHANNELS), IQ.Type.get, new GetItemsRequest(topic)));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (dropped(metrics) <= droppedBefore && System.nanoTime() < deadline) {
                LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
            }
            assertTrue(dropped(metrics) > droppedBefore, "nothing was dropped: what the stalled server does not read piles up");
        } finally {
            ProsodyResource.link.stall(false);
        }
        try {
            assertTrue(answersAgain(carol), "the channel service does not answer once the server reads again");
            assertEquals(connections, ProsodyResource.link.connections(), "the link was reconnected instead of carrying on");
        } finally {
            carol.disconnect();
        }
    }

    /** A ping is answered: the answers to the queries still queued (some dropped again) may come first. */
    private static boolean answersAgain(XMPPTCPConnection connection) throws Exception {
        connection.setReplyTimeout(2_000);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (PingManager.getInstanceFor(connection).ping(JidCreate.domainBareFrom(CHANNELS))) {
                    return true;
                }
            } catch (SmackException.NoResponseException stillBusy) {
                // dropped while the queue was full again; ask again
            }
        }
        return false;
    }

    private static double dropped(MeterRegistry metrics) {
        Counter counter = metrics.find("buddycloud.xmpp.component.dropped").counter();
        return counter == null ? -1 : counter.count();
    }

    private static ComponentLink link() {
        return Arc.container().instance(ComponentLink.class).get();
    }

    /** Subscribes and collects the published items of the node's notifications. */
    private static BlockingQueue<String> follow(XMPPTCPConnection connection, LeafNode node) throws Exception {
        Subscription subscription = node.subscribe(connection.getUser().asBareJid());
        assertEquals(Subscription.State.subscribed, subscription.getState());
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        node.addItemEventListener((ItemEventListener<Item>) event -> event.getItems().forEach(item ->
                seen.add(item instanceof PayloadItem<?> p ? p.getPayload().toXML().toString() : item.toXML().toString())));
        return seen;
    }

    private static void publish(XMPPTCPConnection connection, String node, String content) throws Exception {
        PubSubManager.getInstanceFor(connection, JidCreate.bareFrom(CHANNELS)).getLeafNode(node).publish(new PayloadItem<>(null,
                new SimplePayload("<entry xmlns='http://www.w3.org/2005/Atom'><content>" + content + "</content></entry>")));
    }
}
