package org.buddycloud.media.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.buddycloud.media.rest.MediaTestSupport.account;
import static org.buddycloud.media.rest.MediaTestSupport.bytes;
import static org.buddycloud.media.rest.MediaTestSupport.channelServer;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.buddycloud.contracts.auth.InvalidTokenException;
import org.buddycloud.contracts.auth.VerificationKeys;
import org.buddycloud.media.storage.ObjectStore;
import org.buddycloud.media.upload.SlotTokens;
import org.buddycloud.testsupport.ChannelServerClient;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.buddycloud.testsupport.PostgresTestResource;
import org.buddycloud.testsupport.S3TestResource;
import org.buddycloud.testsupport.ServiceTestStack;
import org.buddycloud.testsupport.XmppSocketClient;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * XEP-0363 across both services: a client asks the real channel server for a slot over XMPP, PUTs the file to this
 * media server with the slot's header, and anyone with the GET URL reads it back; what the slot does not allow is
 * refused. The slot's URLs name the gateway, which passes {@code /upload/…} on unchanged, so the tests send their
 * paths here.
 */
@QuarkusTest
@WithTestResource(ServiceTestStack.class)
@WithTestResource(S3TestResource.class)
@WithTestResource(PostgresTestResource.class)
class HttpUploadTest {

    private static final Pattern PUT = Pattern.compile("<put url=['\"]([^'\"]+)['\"]>\\s*<header name=['\"]Authorization['\"]>([^<]+)</header>");
    private static final Pattern GET = Pattern.compile("<get url=['\"]([^'\"]+)['\"]");

    @Inject
    DataSource dataSource;

    @Inject
    ObjectStore objects;

    @Inject
    VerificationKeys keys;

    /** What the channel server answers a slot request with. */
    record Slot(String putPath, String authorization, String getPath) {
        String slotId() {
            return putPath.split("/")[2];
        }
    }

    private static Slot slot(Login login, String fileName, long size, String contentType) throws Exception {
        int port = ConfigProvider.getConfig().getValue(ServiceTestStack.CHANNEL_SERVER_XMPP_PORT, Integer.class);
        try (XmppSocketClient xmpp = XmppSocketClient.connect(port, "localhost")) {
            xmpp.login(login.username(), login.password());
            String reply = xmpp.iq("<iq type='get' to='localhost'><request xmlns='urn:xmpp:http:upload:0' filename='" + fileName
                    + "' size='" + size + "'" + (contentType == null ? "" : " content-type='" + contentType + "'") + "/></iq>");
            Matcher put = PUT.matcher(reply);
            Matcher get = GET.matcher(reply);
            assertTrue(put.find() && get.find(), reply);
            return new Slot(URI.create(put.group(1)).getRawPath(), put.group(2), URI.create(get.group(1)).getRawPath());
        }
    }

    /** The slots' paths come percent-encoded, as clients send them. */
    private static io.restassured.specification.RequestSpecification asSent() {
        return given().urlEncodingEnabled(false);
    }

    private static Response put(Slot slot, byte[] content, String contentType) {
        return asSent().header("Authorization", slot.authorization()).contentType(contentType).body(content).put(slot.putPath());
    }

    private String stored(String slotId) throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT uploader || ' ' || file_size || ' ' || (stored_at IS NOT NULL) "
                     + "FROM http_uploads WHERE slot_id = ?")) {
            s.setString(1, slotId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    @Test
    void aFileUploadedOverXep0363IsDownloadableWithTheReturnedUrl() throws Exception {
        Login juliet = new ChannelServerClient(channelServer()).newAccount("juliet");
        byte[] letter = bytes(300_000);
        Slot slot = slot(juliet, "letter to romeo.pdf", letter.length, "application/pdf");
        assertTrue(slot.putPath().startsWith("/upload/") && slot.putPath().endsWith("/letter%20to%20romeo.pdf"), slot.putPath());

        put(slot, letter, "application/pdf").then().statusCode(201);
        assertEquals(juliet.jid() + " 300000 true", stored(slot.slotId()), "who uploaded how much, and that it is complete");
        assertTrue(objects.stat("uploads/" + slot.slotId()).isPresent(), "the bytes are in S3 under uploads/");

        Response download = asSent().get(slot.getPath());
        download.then().statusCode(200).contentType("application/pdf").header("X-Content-Type-Options", "nosniff")
                .header("Content-Disposition", containsString("attachment")).header("Content-Length", "300000");
        assertArrayEquals(letter, download.asByteArray(), "the same bytes, for anyone holding the URL");
        asSent().header("Range", "bytes=10-19").get(slot.getPath()).then().statusCode(206).header("Content-Range", "bytes 10-19/300000");

        put(slot, letter, "application/pdf").then().statusCode(409).contentType("application/problem+json");
        assertArrayEquals(letter, asSent().get(slot.getPath()).asByteArray(), "a second PUT changes nothing");
    }

    @Test
    void picturesShowInline() throws Exception {
        Login romeo = new ChannelServerClient(channelServer()).newAccount("romeo");
        byte[] picture = bytes(2_000);
        Slot slot = slot(romeo, "balcony.png", picture.length, "image/png");
        put(slot, picture, "image/png").then().statusCode(201);
        asSent().get(slot.getPath()).then().statusCode(200).contentType("image/png").header("Content-Disposition", containsString("inline"))
                .header("X-Content-Type-Options", "nosniff");
        asSent().get(slot.getPath().replace("balcony.png", "other.png")).then().statusCode(404);
        given().get("/upload/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/balcony.png").then().statusCode(404);
    }

    @Test
    void whatTheSlotDoesNotAllowIsRefusedAndLeavesTheSlotUnused() throws Exception {
        Login mercutio = new ChannelServerClient(channelServer()).newAccount("mercutio");
        byte[] content = bytes(1_000);
        Slot slot = slot(mercutio, "queen-mab.txt", content.length, "text/plain");
        Slot other = slot(mercutio, "other.txt", content.length, "text/plain");

        put(slot, bytes(999), "text/plain").then().statusCode(400).contentType("application/problem+json");
        put(slot, bytes(1_001), "text/plain").then().statusCode(413).contentType("application/problem+json");
        put(slot, content, "text/html").then().statusCode(403).contentType("application/problem+json");
        asSent().header("Authorization", other.authorization()).contentType("text/plain").body(content).put(slot.putPath())
                .then().statusCode(403).body("status", equalTo(403));
        asSent().header("Authorization", slot.authorization()).contentType("text/plain").body(content)
                .put(slot.putPath().replace("queen-mab.txt", "renamed.txt")).then().statusCode(403);

        String[] parts = slot.authorization().substring(7).split("\\.");
        String tampered = "Bearer " + parts[0] + "." + parts[1].substring(0, parts[1].length() - 2)
                + (parts[1].endsWith("A") ? "BB" : "AA") + "." + parts[2];
        asSent().header("Authorization", tampered).contentType("text/plain").body(content).put(slot.putPath())
                .then().statusCode(401).contentType("application/problem+json").header("WWW-Authenticate", containsString("Bearer"));
        // an access token is no slot token; its holder is known, so as everywhere in the API that is 403, not 401
        asSent().auth().oauth2(mercutio.accessToken()).contentType("text/plain").body(content).put(slot.putPath())
                .then().statusCode(403).contentType("application/problem+json");
        asSent().contentType("text/plain").body(content).put(slot.putPath()).then().statusCode(401);
        assertEquals(null, stored(slot.slotId()), "nothing refused used the slot");

        put(slot, content, "text/plain; charset=utf-8").then().statusCode(201);
        assertArrayEquals(content, asSent().get(slot.getPath()).asByteArray());
    }

    @Test
    void aRealSlotTokenIsRefusedOnceItExpired() throws Exception {
        Login tybalt = new ChannelServerClient(channelServer()).newAccount("tybalt");
        Slot slot = slot(tybalt, "prince.txt", 10, null);
        String token = slot.authorization().substring(7);
        SlotTokens.Settings settings = new SlotTokens.Settings(ConfigProvider.getConfig().getValue("buddycloud.auth.issuer", String.class),
                "buddycloud-upload", Duration.ofSeconds(30));
        assertEquals(slot.slotId(), new SlotTokens(keys, settings, Clock.systemUTC()).verify(token).slotId());
        Clock sixMinutesOn = Clock.fixed(Instant.now().plus(Duration.ofMinutes(6)), ZoneOffset.UTC);
        assertEquals(InvalidTokenException.Reason.EXPIRED,
                assertThrows(InvalidTokenException.class, () -> new SlotTokens(keys, settings, sixMinutesOn).verify(token)).reason());
    }

    @Test
    void anAccountsUploadsGoWithTheAccount() throws Exception {
        Login benvolio = account("benvolio");
        byte[] content = bytes(500);
        Slot slot = slot(benvolio, "peace.bin", content.length, null);
        put(slot, content, "application/octet-stream").then().statusCode(201);
        given().baseUri(channelServer()).auth().oauth2(benvolio.accessToken()).delete("/account").then().statusCode(204);
        await().atMost(Duration.ofSeconds(30)).until(() -> stored(slot.slotId()) == null);
        asSent().get(slot.getPath()).then().statusCode(404);
        await().atMost(Duration.ofSeconds(10)).until(() -> objects.stat("uploads/" + slot.slotId()).isEmpty());
    }
}
