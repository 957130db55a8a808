package org.buddycloud.channels.xmpp;

import static io.restassured.RestAssured.given;
import static org.buddycloud.channels.xmpp.XmppTestSupport.account;
import static org.buddycloud.channels.xmpp.XmppTestSupport.port;
import static org.buddycloud.channels.xmpp.XmppTestSupport.tls;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

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
}
