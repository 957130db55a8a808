package org.buddycloud.channels.xmpp;

import static org.awaitility.Awaitility.await;
import static org.buddycloud.channels.xmpp.XmppTestSupport.account;
import static org.buddycloud.channels.xmpp.XmppTestSupport.smack;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.arc.Arc;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.buddycloud.channels.xmpp.accept.ComponentListener;
import org.buddycloud.channels.xmpp.accept.ConnectedComponents;
import org.buddycloud.xmppkit.StanzaReplies;
import org.buddycloud.xmppkit.component.ComponentConnection;
import org.buddycloud.xmppkit.component.ComponentSettings;
import org.buddycloud.xmppkit.component.IqTable;
import org.buddycloud.xmppkit.xml.XmlElement;
import org.buddycloud.testsupport.KafkaTestResource;
import org.buddycloud.testsupport.PostgresTestResource;
import org.jivesoftware.smack.XMPPException.XMPPErrorException;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.packet.UnparsedIQ;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.disco.ServiceDiscoveryManager;
import org.jivesoftware.smackx.disco.packet.DiscoverInfo;
import org.jivesoftware.smackx.disco.packet.DiscoverItems;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;

/**
 * Our own services as external components (XEP-0114) of the channel server: a component connected
 * with the xmpp-kit's client answers a logged-in Smack user; the handshake refuses unknown names,
 * wrong secrets and a second connection; a component is held to its own domain; and it comes back
 * by itself after the server ended its stream.
 */
@QuarkusTest
@TestProfile(XmppComponentsTest.WithComponents.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class XmppComponentsTest {

    private static final String SECRET = "directory-secret-" + UUID.randomUUID();
    private static final String ECHO = "urn:example:echo";
    private static final String DIRECTORY = "directory.localhost";
    /** Accepted, but never connected by any test. */
    private static final String ABSENT = "absent.localhost";

    public static class WithComponents implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "buddycloud.xmpp.components.accept.\"" + DIRECTORY + "\".secret", SECRET,
                    "buddycloud.xmpp.components.accept.\"rogue.localhost\".secret", SECRET,
                    "buddycloud.xmpp.components.accept.\"twice.localhost\".secret", SECRET,
                    "buddycloud.xmpp.components.accept.\"phoenix.localhost\".secret", SECRET,
                    "buddycloud.xmpp.components.accept.\"" + ABSENT + "\".secret", SECRET);
        }
    }

    private final ExecutorService workers = Executors.newFixedThreadPool(2);
    private ComponentConnection component;

    @AfterEach
    void disconnect() {
        if (component != null) {
            component.close();
        }
        workers.shutdownNow();
    }

    @Test
    void aUserAsksTheComponentAndGetsItsAnswer() throws Exception {
        component = echoComponent(DIRECTORY, ComponentSettings.of("127.0.0.1", componentPort(), DIRECTORY, SECRET));
        await().atMost(Duration.ofSeconds(10)).until(component::online);
        XMPPTCPConnection juliet = smack(account("juliet"));
        try {
            IQ answer = juliet.createStanzaCollectorAndSend(echo("wherefore art thou", DIRECTORY)).nextResultOrThrow();
            String echoed = ((UnparsedIQ) answer).getContent().toString();
            assertTrue(echoed.contains("wherefore art thou") && echoed.contains(juliet.getUser().toString()), echoed);

            ServiceDiscoveryManager disco = ServiceDiscoveryManager.getInstanceFor(juliet);
            DiscoverInfo info = disco.discoverInfo(JidCreate.domainBareFrom(DIRECTORY));
            assertTrue(info.hasIdentity("directory", "channel") && info.containsFeature(ECHO), info.toXML().toString());
            DiscoverItems items = disco.discoverItems(JidCreate.domainBareFrom("localhost"));
            assertTrue(items.getItems().stream().anyMatch(item -> item.getEntityID().toString().equals(DIRECTORY)),
                    "the server's disco#items does not list the connected component: " + items.toXML());
        } finally {
            juliet.disconnect();
        }
    }

    @Test
    void anIqToAnAcceptedComponentThatIsNotConnectedIsServiceUnavailable() throws Exception {
        XMPPTCPConnection romeo = smack(account("romeo"));
        try {
            XMPPErrorException refused = assertThrows(XMPPErrorException.class,
                    () -> romeo.createStanzaCollectorAndSend(echo("anyone there?", ABSENT)).nextResultOrThrow());
            assertEquals(StanzaError.Condition.service_unavailable, refused.getStanzaError().getCondition());
            assertEquals(StanzaError.Type.CANCEL, refused.getStanzaError().getType());
            DiscoverItems items = ServiceDiscoveryManager.getInstanceFor(romeo).discoverItems(JidCreate.domainBareFrom("localhost"));
            assertFalse(items.getItems().stream().anyMatch(item -> item.getEntityID().toString().equals(ABSENT)), items.toXML().toString());
        } finally {
            romeo.disconnect();
        }
    }

    @Test
    void aWrongSecretIsNotAuthorized() throws Exception {
        try (RawComponent raw = new RawComponent(componentPort())) {
            String answer = raw.connect(DIRECTORY, "not-the-secret");
            assertTrue(answer.contains("<not-authorized") && !answer.contains("<handshake/>"), answer);
            assertTrue(raw.closedByServer(), "the stream was not closed after the refusal");
        }
    }

    @Test
    void anUnknownNameIsNotAuthorizedEither() throws Exception {
        try (RawComponent raw = new RawComponent(componentPort())) {
            String answer = raw.connect("stranger.localhost", SECRET);
            assertTrue(answer.contains("<not-authorized") && !answer.contains("<handshake/>"), answer);
            assertTrue(raw.closedByServer(), "the stream was not closed after the refusal");
        }
    }

    @Test
    void aSecondConnectionUnderAConnectedNameIsRefusedAndTheFirstStays() throws Exception {
        try (RawComponent first = new RawComponent(componentPort()); RawComponent second = new RawComponent(componentPort())) {
            assertTrue(first.connect("twice.localhost", SECRET).contains("<handshake/>"), first.text());
            String refused = second.connect("twice.localhost", SECRET);
            assertTrue(refused.contains("<conflict") && !refused.contains("<handshake/>"), refused);
            first.send("<iq type='get' id='p1' from='twice.localhost' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>");
            String pong = first.readUntil(text -> text.contains("id=\"p1\""));
            assertTrue(pong.contains("type=\"result\""), "the first connection does not work any more: " + pong);
        }
    }

    @Test
    void aComponentSpeakingForAnotherDomainIsCutOff() throws Exception {
        try (RawComponent rogue = new RawComponent(componentPort())) {
            assertTrue(rogue.connect("rogue.localhost", SECRET).contains("<handshake/>"), rogue.text());
            rogue.send("<message from='juliet@localhost/balcony' to='romeo@localhost'><body>it is I, juliet</body></message>");
            String answer = rogue.readUntil(text -> text.contains("</stream:stream>"));
            assertTrue(answer.contains("<invalid-from"), answer);
            assertTrue(rogue.closedByServer(), "the stream was not closed");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> !components().connectedNames().contains("rogue.localhost"));
    }

    @Test
    void theComponentReconnectsAfterTheServerEndedItsStream() throws Exception {
        String phoenix = "phoenix.localhost";
        component = echoComponent(phoenix, ComponentSettings.of("127.0.0.1", componentPort(), phoenix, SECRET)
                .withRetry(Duration.ofMillis(100), Duration.ofMillis(500)));
        await().atMost(Duration.ofSeconds(10)).until(component::online);

        assertTrue(components().disconnect(phoenix, "reset", "the test ends the stream"));
        await().atMost(Duration.ofSeconds(10)).until(() -> !component.online());
        await().atMost(Duration.ofSeconds(10)).until(() -> component.online() && components().connectedNames().contains(phoenix));

        XMPPTCPConnection mercutio = smack(account("mercutio"));
        try {
            IQ answer = mercutio.createStanzaCollectorAndSend(echo("a plague", phoenix)).nextResultOrThrow();
            assertInstanceOf(UnparsedIQ.class, answer);
            assertTrue(((UnparsedIQ) answer).getContent().toString().contains("a plague"), answer.toXML().toString());
        } finally {
            mercutio.disconnect();
        }
    }

    /** A component that answers {@code <echo/>} with the text it was sent and who sent it. */
    private ComponentConnection echoComponent(String name, ComponentSettings settings) {
        Vertx vertx = Arc.container().instance(Vertx.class).get();
        ComponentConnection connection = new ComponentConnection(vertx, settings, workers, IqTable.of("directory", "channel", name)
                .get("echo", ECHO, iq -> StanzaReplies.result(iq).append(XmlElement.of("echo", ECHO)
                        .attr("from", iq.attr("from")).text(iq.element("echo", ECHO).orElseThrow().text()))));
        connection.start();
        return connection;
    }

    private static IQ echo(String text, String component) throws Exception {
        IQ request = new EchoRequest(text);
        request.setTo(JidCreate.domainBareFrom(component));
        return request;
    }

    /** {@code <echo xmlns='urn:example:echo'>text</echo>}, a request only our test component knows. */
    private static final class EchoRequest extends IQ {
        private final String text;

        EchoRequest(String text) {
            super("echo", ECHO);
            this.text = text;
            setType(Type.get);
        }

        @Override
        protected IQChildElementXmlStringBuilder getIQChildElementBuilder(IQChildElementXmlStringBuilder xml) {
            xml.rightAngleBracket();
            xml.escape(text);
            return xml;
        }
    }

    private static int componentPort() {
        return Arc.container().instance(ComponentListener.class).get().port();
    }

    private static ConnectedComponents components() {
        return Arc.container().instance(ConnectedComponents.class).get();
    }
}
