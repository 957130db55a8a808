package org.buddycloud.push;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.buddycloud.push.PushTestSupport.DEADLINE;
import static org.buddycloud.push.PushTestSupport.account;
import static org.buddycloud.push.PushTestSupport.registerFcm;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.buddycloud.contracts.events.CloudEvent;
import org.buddycloud.contracts.events.EventTypes;
import org.buddycloud.contracts.events.KafkaEventCodec;
import org.buddycloud.contracts.events.MessageWaiting;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.buddycloud.testsupport.FcmStandIn;
import org.buddycloud.testsupport.FcmTestResource;
import org.buddycloud.testsupport.KafkaReplay;
import org.buddycloud.testsupport.PostgresTestResource;
import org.buddycloud.testsupport.ServiceTestStack;
import org.buddycloud.testsupport.XmppSocketClient;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * XEP-0357 with this push server as the app server: a mobile XMPP client registers its device here, enables push at
 * the channel server with {@code jid='push.localhost'} and the device's id as node, and a chat message that waits for
 * it while it sleeps reaches the phone through FCM (Google's stand-in) — once, whatever Kafka replays.
 */
@QuarkusTest
@WithTestResource(ServiceTestStack.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(FcmTestResource.class)
@WithTestResource(GreenMailTestResource.class)
class XmppWakeUpTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @BeforeEach
    void ready() {
        PushTestSupport.awaitReady();
    }

    @Test
    void aChatMessageForASleepingXmppClientWakesItsPhoneWithoutTheText() throws Exception {
        Login juliet = account("juliet");
        Login romeo = account("romeo");
        String token = "fcm-" + UUID.randomUUID();
        long device = registerFcm(juliet, token, Map.of());
        // her phone's XMPP connection is open but sleeps: no presence, so no chat message reaches it
        try (XmppSocketClient phone = xmpp(juliet)) {
            String enabled = phone.iq("<iq type='set'><enable xmlns='urn:xmpp:push:0' jid='push.localhost' node='" + device + "'/></iq>");
            assertTrue(enabled.contains("type='result'") || enabled.contains("type=\"result\""), enabled);
            try (XmppSocketClient sender = xmpp(romeo)) {
                sender.send("<message type='chat' to='" + juliet.jid() + "'><body>Wherefore art thou?</body></message>");
                sender.iq("<iq type='get' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>");
            }
            JsonNode message = awaitFcm(token, 1).get(0).message();
            assertEquals("New message from " + romeo.jid(), message.path("notification").path("title").asText());
            assertTrue(message.path("notification").path("body").isMissingNode(), "no text unless the enable form asks: " + message);
            assertEquals("message_waiting", message.path("data").path("event").asText());
            assertEquals(romeo.jid(), message.path("data").path("channel").asText(), "the app opens the chat with the sender");
        }
    }

    @Test
    void aReplayedEventWakesThePhoneOnceWithTheTextItAskedFor() throws Exception {
        Login juliet = account("juliet");
        Login bob = account("bob");
        String token = "fcm-" + UUID.randomUUID();
        String bobsToken = "fcm-" + UUID.randomUUID();
        long device = registerFcm(juliet, token, Map.of());
        long bobsDevice = registerFcm(bob, bobsToken, Map.of());
        double federated = undeliverable("federation");
        MessageWaiting waiting = new MessageWaiting(Jid.parse(juliet.jid()), 3, Jid.parse("romeo@localhost"), List.of(
                new MessageWaiting.Registration(Jid.parse("push.localhost"), Long.toString(device), List.of(), "by the sycamore"),
                // a node naming someone else's device wakes nobody
                new MessageWaiting.Registration(Jid.parse("push.localhost"), Long.toString(bobsDevice), List.of(), "by the sycamore"),
                new MessageWaiting.Registration(Jid.parse("p2.siacs.eu"), "Ww9Eb4Kp", List.of(), null)), Instant.now());
        ProducerRecord<byte[], byte[]> record = record(CloudEvent.of(EventTypes.MESSAGE_WAITING, "//test", waiting, Instant.now()));

        KafkaReplay.publish(Map.of("bootstrap.servers", bootstrapServers), record);
        JsonNode message = awaitFcm(token, 1).get(0).message();
        assertEquals("by the sycamore", message.path("notification").path("body").asText());
        KafkaReplay.publish(Map.of("bootstrap.servers", bootstrapServers), record);
        PushTestSupport.keepsHolding(() -> fcm().receivedFor(token).size() == 1 && fcm().receivedFor(bobsToken).isEmpty());
        assertTrue(undeliverable("federation") >= federated + 1, "another app server needs federation: counted");
    }

    private static XmppSocketClient xmpp(Login login) throws Exception {
        int port = ConfigProvider.getConfig().getValue(ServiceTestStack.CHANNEL_SERVER_XMPP_PORT, Integer.class);
        XmppSocketClient xmpp = XmppSocketClient.connect(port, "localhost");
        xmpp.login(login.username(), login.password());
        return xmpp;
    }

    private static ProducerRecord<byte[], byte[]> record(CloudEvent<?> event) {
        ProducerRecord<String, byte[]> record = new KafkaEventCodec().record("buddycloud.accounts", event);
        return new ProducerRecord<>(record.topic(), null, record.key().getBytes(StandardCharsets.UTF_8), record.value(), record.headers());
    }

    private static FcmStandIn fcm() {
        return FcmTestResource.fcm();
    }

    private static List<FcmStandIn.Received> awaitFcm(String token, int count) {
        return await().atMost(DEADLINE).until(() -> fcm().receivedFor(token), list -> list.size() >= count);
    }

    private static double undeliverable(String reason) {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith("buddycloud_push_xmpp_undeliverable_total") && l.contains("reason=\"" + reason + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
