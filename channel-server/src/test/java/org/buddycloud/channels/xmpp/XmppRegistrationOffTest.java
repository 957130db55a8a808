package org.buddycloud.channels.xmpp;

import static org.buddycloud.channels.xmpp.XmppTestSupport.account;
import static org.buddycloud.channels.xmpp.XmppTestSupport.port;
import static org.buddycloud.channels.xmpp.XmppTestSupport.tls;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import java.util.UUID;
import org.buddycloud.xmppkit.xml.XmlElement;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.buddycloud.testsupport.KafkaTestResource;
import org.buddycloud.testsupport.PostgresTestResource;
import org.junit.jupiter.api.Test;

/** XEP-0077 turned off by configuration: not offered, and refused when asked for anyway. */
@QuarkusTest
@TestProfile(XmppRegistrationOffTest.RegistrationOff.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class XmppRegistrationOffTest {

    private static final String STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";

    public static class RegistrationOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("buddycloud.xmpp.registration-enabled", "false");
        }
    }

    @Test
    void inBandRegistrationIsNeitherOfferedNorAccepted() throws Exception {
        String username = "ibr-" + UUID.randomUUID().toString().substring(0, 8);
        try (RawClient client = RawClient.connect(port())) {
            client.openStream();
            XmlElement features = client.startTls(tls());
            assertTrue(features.element("register", "http://jabber.org/features/iq-register").isEmpty(), features.toXml());
            assertServiceUnavailable(client.iq("<iq type='get'><query xmlns='jabber:iq:register'/></iq>"));
            assertServiceUnavailable(client.iq("<iq type='set'><query xmlns='jabber:iq:register'><username>" + username
                    + "</username><password>a-good-password</password></query></iq>"));
        }
        try (RawClient client = RawClient.connect(port())) {
            client.openStream();
            client.startTls(tls());
            assertFalse(client.authenticate("SCRAM-SHA-256", username, "a-good-password"), "the refused registration made an account");
        }
        // accounts made otherwise still change their password in band
        Login juliet = account("juliet");
        try (RawClient client = RawClient.login(port(), tls(), "SCRAM-SHA-256", juliet.username(), juliet.password())) {
            XmlElement changed = client.iq("<iq type='set' to='localhost'><query xmlns='jabber:iq:register'><username>"
                    + juliet.username() + "</username><password>another-good-password</password></query></iq>");
            assertEquals("result", changed.attr("type"), changed.toXml());
        }
    }

    private static void assertServiceUnavailable(XmlElement reply) {
        assertEquals("error", reply.attr("type"), reply.toXml());
        XmlElement error = reply.element("error", "jabber:client").orElseThrow();
        assertTrue(error.element("service-unavailable", STANZAS).isPresent(), reply.toXml());
        assertTrue(error.childText("text", STANZAS).orElse("").contains("turned off"), reply.toXml());
    }
}
