package org.buddycloud.channels.xmpp;

import static io.restassured.RestAssured.given;
import static org.buddycloud.channels.xmpp.XmppTestSupport.account;
import static org.buddycloud.channels.xmpp.XmppTestSupport.port;
import static org.buddycloud.channels.xmpp.XmppTestSupport.rest;
import static org.buddycloud.channels.xmpp.XmppTestSupport.tls;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.buddycloud.xmppkit.xml.XmlElement;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.buddycloud.testsupport.KafkaTestResource;
import org.buddycloud.testsupport.PostgresTestResource;
import org.junit.jupiter.api.Test;

/** Deleting an account ends its XMPP sessions, whichever path deleted it; other users stay connected. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class XmppAccountDeletionTest {

    @Test
    void aDeletedAccountsSessionsEnd() throws Exception {
        Login juliet = account("juliet");
        Login romeo = account("romeo");
        try (RawClient phone = RawClient.login(port(), tls(), "SCRAM-SHA-256", juliet.username(), juliet.password());
             RawClient bystander = RawClient.login(port(), tls(), "SCRAM-SHA-256", romeo.username(), romeo.password())) {
            given().auth().oauth2(juliet.accessToken()).delete("/account").then().statusCode(204);
            XmlElement error = phone.streamError(Duration.ofSeconds(30));
            assertNotNull(error, "the session of a deleted account ends with a stream error");
            assertEquals("not-authorized", error.elements().get(0).name());
            assertEquals("result", bystander.iq("<iq type='get' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>").attr("type"));
        }
    }

    @Test
    void theMessagesKeptForADeletedAccountGoWithIt() throws Exception {
        Login juliet = account("juliet");
        Login romeo = account("romeo");
        org.buddycloud.servicekit.jdbc.Sql sql = io.quarkus.arc.Arc.container().instance(org.buddycloud.servicekit.jdbc.Sql.class).get();
        try (RawClient romeoClient = RawClient.login(port(), tls(), "SCRAM-SHA-256", romeo.username(), romeo.password())) {
            romeoClient.send("<message to='" + juliet.jid() + "' type='chat' id='kept'><body>Meet me at the friar's</body></message>");
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> kept(sql, juliet.jid()) == 1);
        }
        given().auth().oauth2(juliet.accessToken()).delete("/account").then().statusCode(204);
        assertEquals(0, kept(sql, juliet.jid()), "nothing kept for an account that is gone");
        Login reborn = rest().register(juliet.username(), "a-second-life");
        try (RawClient phone = RawClient.login(port(), tls(), "SCRAM-SHA-256", reborn.username(), reborn.password())) {
            phone.send("<presence/>");
            assertNull(phone.poll(stanza -> stanza.toXml().contains("friar"), java.time.Duration.ofSeconds(2)),
                    "a new account of that name is handed nothing of the old one's");
        }
    }

    private static long kept(org.buddycloud.servicekit.jdbc.Sql sql, String jid) {
        return sql.one("SELECT count(*) FROM offline_messages WHERE jid = ?", rs -> rs.getLong(1), jid).orElse(0L);
    }
}
