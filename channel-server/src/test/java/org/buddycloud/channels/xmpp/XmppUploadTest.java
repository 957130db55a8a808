package org.buddycloud.channels.xmpp;

import static io.restassured.RestAssured.given;
import static org.buddycloud.channels.xmpp.XmppTestSupport.account;
import static org.buddycloud.channels.xmpp.XmppTestSupport.port;
import static org.buddycloud.channels.xmpp.XmppTestSupport.smack;
import static org.buddycloud.channels.xmpp.XmppTestSupport.tls;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.util.List;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.buddycloud.testsupport.KafkaTestResource;
import org.buddycloud.testsupport.PostgresTestResource;
import org.buddycloud.xmppkit.xml.XmlElement;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.httpfileupload.HttpFileUploadManager;
import org.jivesoftware.smackx.httpfileupload.UploadService;
import org.jivesoftware.smackx.httpfileupload.element.Slot;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.junit.jupiter.api.Test;

/** XEP-0363 HTTP File Upload: the server's JID hands out slots for the media server, and refuses what it should. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class XmppUploadTest {

    private static final String UPLOAD = "urn:xmpp:http:upload:0";
    private static final String STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";
    private static final long MAX = 104_857_600;

    @Test
    void smackFindsTheServiceAndGetsASlotWithASignedShortLivedToken() throws Exception {
        Login juliet = account("juliet");
        XMPPTCPConnection connection = smack(juliet);
        try {
            HttpFileUploadManager uploads = HttpFileUploadManager.getInstanceFor(connection);
            assertTrue(uploads.discoverUploadService(), "the server's disco#info names " + UPLOAD);
            UploadService service = uploads.getDefaultUploadService();
            assertEquals("localhost", service.getAddress().toString());
            assertEquals(UploadService.Version.v0_3, service.getVersion());
            assertEquals(MAX, service.getMaxFileSize());

            Slot slot = uploads.requestSlot("balcony scene.jpg", 12_345, "image/jpeg");
            String url = slot.getPutUrl().toString();
            assertTrue(url.matches("http://localhost:8080/upload/[A-Za-z0-9_-]{32}/balcony%20scene\\.jpg"), url);
            assertEquals(url, slot.getGetUrl().toString(), "the GET URL is the capability the PUT creates");
            String authorization = slot.getHeaders().get("Authorization");
            assertTrue(authorization.startsWith("Bearer "), authorization);

            JwtClaims claims = new JwtConsumerBuilder().setExpectedAudience("buddycloud-upload").setRequireExpirationTime()
                    .setVerificationKeyResolver(new JwksVerificationKeyResolver(
                            new JsonWebKeySet(given().get("/.well-known/jwks.json").asString()).getJsonWebKeys()))
                    .build().processToClaims(authorization.substring(7));
            assertEquals(juliet.jid(), claims.getSubject());
            assertEquals(url.substring(url.indexOf("/upload/") + 8, url.lastIndexOf('/')), claims.getJwtId());
            assertEquals("balcony scene.jpg", claims.getStringClaimValue("filename"));
            assertEquals(12_345L, claims.getClaimValue("size", Long.class));
            assertEquals("image/jpeg", claims.getStringClaimValue("content-type"));
            assertEquals(300, claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue(), "five minutes");

            Slot another = uploads.requestSlot("balcony scene.jpg", 12_345, "image/jpeg");
            assertNotEquals(slot.getPutUrl(), another.getPutUrl(), "every slot is a fresh capability");
        } finally {
            connection.disconnect();
        }
    }

    @Test
    void aFileLargerThanTheMediaServerTakesIsRefusedWithItsLimit() throws Exception {
        Login romeo = account("romeo");
        try (RawClient client = RawClient.login(port(), tls(), "SCRAM-SHA-256", romeo.username(), romeo.password())) {
            XmlElement error = refused(client, "filename='poison.bin' size='" + (MAX + 1) + "' content-type='application/octet-stream'",
                    "modify", "not-acceptable");
            assertEquals(Long.toString(MAX), error.element("file-too-large", UPLOAD).orElseThrow()
                    .childText("max-file-size", UPLOAD).orElseThrow());
        }
    }

    @Test
    void namesThatAreNotOneFileAndSizesThatAreNotLengthsAreBadRequests() throws Exception {
        Login mercutio = account("mercutio");
        try (RawClient client = RawClient.login(port(), tls(), "SCRAM-SHA-256", mercutio.username(), mercutio.password())) {
            for (String bad : List.of("filename='../etc/passwd' size='10'", "filename='a\\b.txt' size='10'", "filename='' size='10'",
                    "size='10'", "filename='tab&#9;bed.txt' size='10'", "filename='" + "x".repeat(256) + "' size='10'",
                    "filename='..' size='10'", "filename='zero.txt' size='0'", "filename='minus.txt' size='-5'",
                    "filename='nan.txt' size='ten'", "filename='typed.txt' size='10' content-type='not a type'")) {
                refused(client, bad, "modify", "bad-request");
            }
            XmlElement ok = client.iq("<iq type='get' to='localhost'><request xmlns='" + UPLOAD
                    + "' filename='" + "x".repeat(255) + "' size='10'/></iq>");
            assertEquals("result", ok.attr("type"), "255 characters and no content-type will do");
            XmlElement set = client.iq("<iq type='set' to='localhost'><request xmlns='" + UPLOAD + "' filename='a.txt' size='10'/></iq>");
            assertEquals("bad-request", condition(set, "modify"));
        }
    }

    @Test
    void anAccountThatAsksForTooManySlotsIsToldWhenToComeBack() throws Exception {
        Login tybalt = account("tybalt");
        try (RawClient client = RawClient.login(port(), tls(), "SCRAM-SHA-256", tybalt.username(), tybalt.password())) {
            for (int i = 0; i < 60; i++) {
                XmlElement slot = client.iq("<iq type='get' to='localhost'><request xmlns='" + UPLOAD + "' filename='photo" + i
                        + ".jpg' size='1000' content-type='image/jpeg'/></iq>");
                assertEquals("result", slot.attr("type"), "slot " + i);
            }
            XmlElement error = refused(client, "filename='one-more.jpg' size='1000'", "wait", "resource-constraint");
            Instant retry = Instant.parse(error.element("retry", UPLOAD).orElseThrow().attr("stamp"));
            assertTrue(retry.isAfter(Instant.now().plusSeconds(9 * 60)) && retry.isBefore(Instant.now().plusSeconds(11 * 60)),
                    "come back when the 10-minute window ends: " + retry);
        }
        Login benvolio = account("benvolio");
        try (RawClient client = RawClient.login(port(), tls(), "SCRAM-SHA-256", benvolio.username(), benvolio.password())) {
            assertEquals("result", client.iq("<iq type='get' to='localhost'><request xmlns='" + UPLOAD
                    + "' filename='mine.jpg' size='1000'/></iq>").attr("type"), "each account has its own share");
        }
    }

    private static XmlElement refused(RawClient client, String attributes, String type, String condition) throws Exception {
        XmlElement reply = client.iq("<iq type='get' to='localhost'><request xmlns='" + UPLOAD + "' " + attributes + "/></iq>");
        assertEquals(condition, condition(reply, type), attributes);
        return reply.elements().stream().filter(e -> e.name().equals("error")).findFirst().orElseThrow();
    }

    private static String condition(XmlElement reply, String type) {
        assertEquals("error", reply.attr("type"), reply.toString());
        XmlElement error = reply.elements().stream().filter(e -> e.name().equals("error")).findFirst().orElseThrow();
        assertEquals(type, error.attr("type"), reply.toString());
        return error.elements().stream().filter(e -> e.namespace().equals(STANZAS) && !e.name().equals("text"))
                .map(XmlElement::name).findFirst().orElseThrow();
    }
}
