package org.buddycloud.channels.xmpp;

import static io.restassured.RestAssured.given;
import static org.buddycloud.channels.xmpp.XmppTestSupport.CHANNELS;
import static org.buddycloud.channels.xmpp.XmppTestSupport.account;
import static org.buddycloud.channels.xmpp.XmppTestSupport.port;
import static org.buddycloud.channels.xmpp.XmppTestSupport.smack;
import static org.buddycloud.channels.xmpp.XmppTestSupport.smackConfig;
import static org.buddycloud.channels.xmpp.XmppTestSupport.tls;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.buddycloud.xmppkit.xml.XmlElement;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.buddycloud.testsupport.KafkaTestResource;
import org.buddycloud.testsupport.PostgresTestResource;
import org.jivesoftware.smack.sasl.SASLErrorException;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.disco.ServiceDiscoveryManager;
import org.jivesoftware.smackx.disco.packet.DiscoverInfo;
import org.jivesoftware.smackx.iqregister.AccountManager;
import org.jivesoftware.smackx.ping.PingManager;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Localpart;

/** Logging in (each SASL mechanism, TLS rules, wrong passwords), discovery, ping, registration and the token IQ. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class XmppLoginTest {

    @Test
    void smackLogsInWithScramSha1OverStartTls() throws Exception {
        Login romeo = account("romeo");
        XMPPTCPConnection connection = smack(romeo);
        try {
            assertTrue(connection.isSecureConnection(), "STARTTLS was negotiated");
            assertEquals("SCRAM-SHA-1", connection.getUsedSaslMechansism());
            assertEquals(romeo.jid(), connection.getUser().asBareJid().toString());
            assertTrue(PingManager.getInstanceFor(connection).pingMyServer(false));
        } finally {
            connection.disconnect();
        }
    }

    @Test
    void scramSha256LogsInAndTheServerProvesItKnowsTheKeys() throws Exception {
        Login juliet = account("juliet");
        try (RawClient client = RawClient.login(port(), tls(), "SCRAM-SHA-256", juliet.username(), juliet.password())) {
            assertTrue(client.fullJid().startsWith(juliet.jid() + "/raw"), client.fullJid());
            XmlElement pong = client.iq("<iq type='get' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>");
            assertEquals("result", pong.attr("type"));
        }
    }

    @Test
    void aClientThatClosesItsStreamGetsTheServersClosingTag() throws Exception {
        Login juliet = account("juliet");
        try (RawClient client = RawClient.login(port(), tls(), "SCRAM-SHA-256", juliet.username(), juliet.password())) {
            client.send("<presence type='unavailable'/></stream:stream>");
            assertTrue(client.closedByServer(java.time.Duration.ofSeconds(5)), "the server did not close the connection");
            assertTrue(client.serverClosedStream(), "the server closed the TCP connection without closing its stream");
        }
    }

    @Test
    void scramWorksWithoutTlsButPlainNeedsIt() throws Exception {
        Login juliet = account("juliet");
        try (RawClient client = RawClient.connect(port())) {
            XmlElement features = client.openStream();
            List<String> offered = features.element("mechanisms", "urn:ietf:params:xml:ns:xmpp-sasl").orElseThrow()
                    .elements().stream().map(XmlElement::text).toList();
            assertEquals(List.of("SCRAM-SHA-256", "SCRAM-SHA-1"), offered, "no PLAIN on a clear-text stream");
            assertFalse(client.authenticate("PLAIN", juliet.username(), juliet.password()));
            assertTrue(client.lastFailure().element("encryption-required", "urn:ietf:params:xml:ns:xmpp-sasl").isPresent(),
                    client.lastFailure().toXml());
            assertTrue(client.authenticate("SCRAM-SHA-256", juliet.username(), juliet.password()));
        }
        XMPPTCPConnection plain = new XMPPTCPConnection(smackConfig(juliet, juliet.password()).addEnabledSaslMechanism("PLAIN").build());
        try {
            plain.connect().login();
            assertEquals("PLAIN", plain.getUsedSaslMechansism());
            assertTrue(plain.isSecureConnection());
        } finally {
            plain.disconnect();
        }
    }

    @Test
    void aWrongPasswordIsRefusedWithEveryMechanism() throws Exception {
        Login romeo = account("romeo");
        for (String mechanism : List.of("SCRAM-SHA-1", "PLAIN")) {
            XMPPTCPConnection wrong = new XMPPTCPConnection(smackConfig(romeo, "not-the-password")
                    .addEnabledSaslMechanism(mechanism).build());
            try {
                wrong.connect();
                SASLErrorException refused = assertThrows(SASLErrorException.class, wrong::login);
                assertEquals("not-authorized", refused.getSASLFailure().getSASLErrorString(), mechanism);
            } finally {
                wrong.disconnect();
            }
        }
        try (RawClient client = RawClient.connect(port())) {
            client.openStream();
            assertFalse(client.authenticate("SCRAM-SHA-256", romeo.username(), "not-the-password"));
            assertTrue(client.lastFailure().element("not-authorized", "urn:ietf:params:xml:ns:xmpp-sasl").isPresent());
            assertTrue(client.authenticate("SCRAM-SHA-256", romeo.username(), romeo.password()), "the right password still works");
        }
    }

    @Test
    void theDomainListsTheChannelServiceWithItsIdentityAndFeatures() throws Exception {
        XMPPTCPConnection connection = smack(account("romeo"));
        try {
            ServiceDiscoveryManager disco = ServiceDiscoveryManager.getInstanceFor(connection);
            assertTrue(disco.discoverItems(JidCreate.domainBareFrom("localhost")).getItems().stream()
                    .anyMatch(item -> item.getEntityID().toString().equals(CHANNELS)), "the domain's items name the channel service");
            DiscoverInfo info = disco.discoverInfo(JidCreate.domainBareFrom(CHANNELS));
            assertTrue(info.hasIdentity("pubsub", "channels"), info.toXML().toString());
            for (String feature : List.of("http://jabber.org/protocol/pubsub", "http://jabber.org/protocol/disco#info",
                    "http://jabber.org/protocol/rsm", "jabber:iq:search", "urn:xmpp:mam:tmp")) {
                assertTrue(info.containsFeature(feature), feature);
            }
            assertTrue(disco.discoverInfo(JidCreate.domainBareFrom("localhost")).containsFeature("urn:xmpp:ping"));
            assertTrue(PingManager.getInstanceFor(connection).ping(JidCreate.domainBareFrom(CHANNELS)));
        } finally {
            connection.disconnect();
        }
    }

    @Test
    void inBandRegistrationCreatesAnAccountThatLogsIn() throws Exception {
        String username = "ibr-" + UUID.randomUUID().toString().substring(0, 8);
        String password = "pw-" + UUID.randomUUID();
        Login fresh = new Login(username, username + "@localhost", password, null, null);
        XMPPTCPConnection registering = new XMPPTCPConnection(smackConfig(fresh, password).build());
        try {
            registering.connect();
            AccountManager accounts = AccountManager.getInstance(registering);
            assertTrue(accounts.supportsAccountCreation());
            accounts.createAccount(Localpart.from(username), password, new HashMap<>(Map.of("email", username + "@example.com")));
        } finally {
            registering.disconnect();
        }
        XMPPTCPConnection connection = smack(fresh);
        try {
            assertEquals(fresh.jid(), connection.getUser().asBareJid().toString());
        } finally {
            connection.disconnect();
        }
        given().auth().preemptive().basic(username, password).post("/auth/token").then().statusCode(200);
    }

    @Test
    void inBandRegistrationAndPasswordChangesNeedTls() throws Exception {
        String username = "ibr-" + UUID.randomUUID().toString().substring(0, 8);
        String register = "<iq type='set'><query xmlns='jabber:iq:register'><username>" + username + "</username>"
                + "<password>a-good-password</password><email>" + username + "@example.com</email></query></iq>";
        try (RawClient client = RawClient.connect(port())) {
            XmlElement features = client.openStream();
            assertTrue(features.element("register", "http://jabber.org/features/iq-register").isEmpty(),
                    "registration is not offered in the clear: " + features.toXml());
            assertPolicyViolation(client.iq(register));
            assertTrue(client.startTls(tls()).element("register", "http://jabber.org/features/iq-register").isPresent(),
                    "registration is offered inside TLS");
        }
        try (RawClient client = RawClient.connect(port())) {
            client.openStream();
            assertFalse(client.authenticate("SCRAM-SHA-256", username, "a-good-password"), "the refused registration made no account");
        }
        Login juliet = account("juliet");
        try (RawClient client = RawClient.connect(port())) {
            client.openStream();
            assertTrue(client.authenticate("SCRAM-SHA-256", juliet.username(), juliet.password()));
            client.bind("clear");
            assertPolicyViolation(client.iq("<iq type='set' to='localhost'><query xmlns='jabber:iq:register'><username>"
                    + juliet.username() + "</username><password>another-password</password></query></iq>"));
            assertEquals("result", client.iq("<iq type='get' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>").attr("type"));
        }
        try (RawClient client = RawClient.login(port(), tls(), "SCRAM-SHA-256", juliet.username(), juliet.password())) {
            assertTrue(client.fullJid().startsWith(juliet.jid()), "the password was not changed");
        }
    }

    private static void assertPolicyViolation(XmlElement reply) {
        assertEquals("error", reply.attr("type"), reply.toXml());
        XmlElement error = reply.element("error", "jabber:client").orElseThrow();
        assertTrue(error.element("policy-violation", "urn:ietf:params:xml:ns:xmpp-stanzas").isPresent(), reply.toXml());
        assertTrue(error.childText("text", "urn:ietf:params:xml:ns:xmpp-stanzas").orElse("").contains("TLS"), reply.toXml());
    }

    @Test
    void theTokenIqGivesAnAccessTokenTheHttpApiAccepts() throws Exception {
        Login juliet = account("juliet");
        try (RawClient client = RawClient.login(port(), tls(), "SCRAM-SHA-256", juliet.username(), juliet.password())) {
            XmlElement reply = client.iq("<iq type='get' to='localhost'><token xmlns='http://buddycloud.org/v1'/></iq>");
            assertEquals("result", reply.attr("type"), reply.toXml());
            XmlElement token = reply.element("token", "http://buddycloud.org/v1").orElseThrow();
            assertEquals("Bearer", token.childText("token_type", "http://buddycloud.org/v1").orElseThrow());
            String accessToken = token.childText("access_token", "http://buddycloud.org/v1").orElseThrow();
            given().auth().oauth2(accessToken).get("/whoami").then().statusCode(200).body("jid", equalTo(juliet.jid()));
            XmlElement refused = client.iq("<iq type='set' to='localhost'><token xmlns='http://buddycloud.org/v1'/></iq>");
            assertEquals("error", refused.attr("type"));
        }
    }
}
