package org.buddycloud.channels.xmpp;

import static io.restassured.RestAssured.given;
import static org.buddycloud.channels.xmpp.XmppTestSupport.CHANNELS;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.quarkus.arc.Arc;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.buddycloud.channels.xmpp.component.ComponentLink;
import org.buddycloud.localstack.testing.KafkaTestResource;
import org.buddycloud.localstack.testing.PostgresTestResource;
import org.buddycloud.localstack.testing.ProsodyProcess;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.parsing.ExceptionLoggingCallback;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smackx.iqregister.packet.Registration;
import org.jivesoftware.smackx.pubsub.Item;
import org.jivesoftware.smackx.pubsub.LeafNode;
import org.jivesoftware.smackx.pubsub.PayloadItem;
import org.jivesoftware.smackx.pubsub.PubSubManager;
import org.jivesoftware.smackx.pubsub.SimplePayload;
import org.jivesoftware.smackx.pubsub.Subscription;
import org.jivesoftware.smackx.pubsub.listener.ItemEventListener;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;

/**
 * Component mode (XEP-0114) against a real Prosody: users logged into Prosody register with the
 * channel service, create a channel, follow, post, and get notifications routed through Prosody.
 * Skips with a message where Prosody is not installed ({@code .ci/run} installs it).
 */
@QuarkusTest
@TestProfile(ComponentModeTest.BesideProsody.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class ComponentModeTest {

    private static final String SECRET = "component-secret-" + UUID.randomUUID();

    /** Prosody for the domain, with the channel service as its external component. */
    public static class ProsodyResource implements QuarkusTestResourceLifecycleManager {
        static volatile ProsodyProcess prosody;

        @Override
        public Map<String, String> start() {
            if (!ProsodyProcess.installed()) {
                return Map.of();
            }
            prosody = ProsodyProcess.start("localhost", Map.of(CHANNELS, SECRET), null);
            return Map.of("buddycloud.xmpp.component.enabled", "true", "buddycloud.xmpp.component.port",
                    Integer.toString(prosody.componentPort()), "buddycloud.xmpp.component.secret", SECRET);
        }

        @Override
        public void stop() {
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
        ComponentLink link = Arc.container().instance(ComponentLink.class).get();
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
            PubSubManager aliceService = PubSubManager.getInstanceFor(alice, JidCreate.bareFrom(CHANNELS));
            aliceService.createNode(topic);

            LeafNode bobView = PubSubManager.getInstanceFor(bob, JidCreate.bareFrom(CHANNELS)).getLeafNode(topic);
            Subscription subscription = bobView.subscribe(bob.getUser().asBareJid());
            assertEquals(Subscription.State.subscribed, subscription.getState());
            BlockingQueue<String> bobSees = new LinkedBlockingQueue<>();
            bobView.addItemEventListener((ItemEventListener<Item>) event -> event.getItems().forEach(item ->
                    bobSees.add(item instanceof PayloadItem<?> p ? p.getPayload().toXML().toString() : item.toXML().toString())));

            aliceService.getLeafNode(topic).publish(new PayloadItem<>(null, new SimplePayload(
                    "<entry xmlns='http://www.w3.org/2005/Atom'><content>Two households, both alike in dignity</content></entry>")));

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
}
