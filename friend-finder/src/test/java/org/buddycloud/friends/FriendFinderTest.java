package org.buddycloud.friends;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.buddycloud.friends.service.Peppers;
import org.buddycloud.testsupport.ChannelServerClient;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.buddycloud.testsupport.PostgresTestResource;
import org.buddycloud.testsupport.ServiceTestStack;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Claims verified by codes that really go out (GreenMail's SMTP server, the SMS provider's HTTP interface), lookups
 * as a client makes them (hashes of Matrix's identity v2 shape, made here independently of the service), the pepper
 * turning, the allowances, removal and account deletion through the real channel server and Kafka, and refusals.
 */
@QuarkusTest
@WithTestResource(FriendsTestStack.class)
@WithTestResource(PostgresTestResource.class)
class FriendFinderTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @Inject
    Peppers peppers;

    @Inject
    javax.sql.DataSource dataSource;

    private final ChannelServerClient channels = new ChannelServerClient(
            ConfigProvider.getConfig().getValue(ServiceTestStack.CHANNEL_SERVER_URL, String.class));

    @BeforeEach
    void ready() {
        await().atMost(DEADLINE).until(() -> given().get("/q/health/ready").statusCode() == 200);
    }

    @Test
    void aVerifiedDiscoverableAddressIsFoundAndAnUnverifiedOneIsNot() {
        Login juliet = channels.newAccount("juliet");
        Login romeo = channels.newAccount("romeo");
        String address = "Juliet." + word() + "@Capulet.lit";
        String claim = claimMail(juliet, address, true).then().statusCode(202)
                .body("verified", equalTo(false)).body("address", matchesPattern("j….*@capulet\\.lit")).extract().path("id");
        String hash = hash(address.toLowerCase(), "email", pepper());
        assertEquals(Map.of(), lookup(romeo, List.of(hash)), "unverified: nobody finds it");

        verify(juliet, claim, FriendsTestStack.mailedCode(address.toLowerCase()).orElseThrow()).then().statusCode(200)
                .body("verified", equalTo(true));
        assertEquals(Map.of(hash, juliet.jid()), lookup(romeo, List.of(hash, hash(word() + "@nowhere.lit", "email", pepper()))));

        given().auth().oauth2(juliet.accessToken()).contentType(ContentType.JSON).body(Map.of("discoverable", false))
                .patch("/claims/" + claim).then().statusCode(200).body("discoverable", equalTo(false));
        assertEquals(Map.of(), lookup(romeo, List.of(hash)), "not discoverable: nobody finds it");
        given().auth().oauth2(juliet.accessToken()).get("/claims").then().statusCode(200)
                .body("[0].id", equalTo(claim)).body("[0].verified", equalTo(true));
    }

    @Test
    void aSquatterCannotClaimSomebodyElsesVerifiedAddress() {
        Login juliet = channels.newAccount("juliet");
        Login mallory = channels.newAccount("mallory");
        String address = "juliet." + word() + "@capulet.lit";
        verified(juliet, address);
        String hash = hash(address, "email", pepper());

        String squat = claimMail(mallory, address, true).then().statusCode(202).extract().path("id");
        assertEquals(2, FriendsTestStack.mailsTo(address), "the code goes to the address, which mallory cannot read");
        for (int i = 0; i < 5; i++) {
            verify(mallory, squat, String.format("%06d", i)).then().statusCode(400).body("detail", containsString("wrong code"));
        }
        verify(mallory, squat, FriendsTestStack.mailedCode(address).orElseThrow()).then().statusCode(400)
                .body("detail", containsString("spent"));
        verify(juliet, squat, "000000").then().statusCode(404);
        assertEquals(Map.of(hash, juliet.jid()), lookup(channels.newAccount("romeo"), List.of(hash)));
    }

    @Test
    void phoneNumbersInNationalAndInternationalFormAreOneIdentifier() {
        Login juliet = channels.newAccount("juliet");
        String national = "07400 1" + digits(5);
        String e164 = "44" + national.replace(" ", "").substring(1);
        String claim = given().auth().oauth2(juliet.accessToken()).contentType(ContentType.JSON)
                .body(Map.of("medium", "msisdn", "address", national, "country", "GB", "discoverable", true))
                .post("/claims").then().statusCode(202).body("address", equalTo("+44…" + e164.substring(e164.length() - 2)))
                .extract().path("id");
        verify(juliet, claim, FriendsTestStack.textedCode("+" + e164).orElseThrow()).then().statusCode(200);
        String hash = hash(e164, "msisdn", pepper());
        assertEquals(Map.of(hash, juliet.jid()), lookup(channels.newAccount("romeo"), List.of(hash)));
        // the same number in international form is the claim she has
        given().auth().oauth2(juliet.accessToken()).contentType(ContentType.JSON)
                .body(Map.of("medium", "msisdn", "address", "+" + e164, "discoverable", true))
                .post("/claims").then().statusCode(200).body("id", equalTo(claim));
    }

    @Test
    void afterThePepperTurnsTheOldOneWorksForItsGraceAndThenNot() {
        Login juliet = channels.newAccount("juliet");
        Login romeo = channels.newAccount("romeo");
        String address = "juliet." + word() + "@capulet.lit";
        verified(juliet, address);
        String old = pepper();
        peppers.rotateNow();
        String current = pepper();
        assertNotEquals(old, current);
        assertEquals(Map.of(hash(address, "email", current), juliet.jid()), lookup(romeo, List.of(hash(address, "email", current))));
        assertEquals(Map.of(hash(address, "email", old), juliet.jid()),
                lookupResponse(romeo, old, List.of(hash(address, "email", old))).then().statusCode(200).extract().jsonPath().getMap("mappings"),
                "the pepper before is still taken for its grace");
        await().atMost(DEADLINE).until(() -> lookupResponse(romeo, old, List.of(hash(address, "email", old))).statusCode() == 400);
        lookupResponse(romeo, old, List.of(hash(address, "email", old))).then().body("detail", containsString(current));
        peppers.dropStale();
    }

    @Test
    void lookupsAndCodesHaveAllowancesAnswered429() {
        Login greedy = channels.newAccount("greedy");
        List<String> fifty = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            fifty.add(hash("+4474001" + digits(5), "msisdn", pepper()));
        }
        lookupResponse(greedy, pepper(), fifty).then().statusCode(200);
        lookupResponse(greedy, pepper(), fifty.subList(0, 20)).then().statusCode(429)
                .header("Retry-After", matchesPattern("[1-9][0-9]*")).body("detail", containsString("60 hashes a day"));

        Login juliet = channels.newAccount("juliet");
        String address = "juliet." + word() + "@capulet.lit";
        for (int i = 0; i < 3; i++) {
            claimMail(juliet, address, false).then().statusCode(202);
        }
        claimMail(juliet, address, false).then().statusCode(429).header("Retry-After", matchesPattern("[1-9][0-9]*"))
                .body("detail", containsString("codes an hour"));
    }

    @Test
    void removingAClaimOrDeletingTheAccountEndsItAtOnce() {
        Login juliet = channels.newAccount("juliet");
        Login romeo = channels.newAccount("romeo");
        String first = "juliet." + word() + "@capulet.lit";
        String second = "juliet." + word() + "@verona.lit";
        String claim = verified(juliet, first);
        verified(juliet, second);
        given().auth().oauth2(juliet.accessToken()).delete("/claims/" + claim).then().statusCode(204);
        assertEquals(Map.of(), lookup(romeo, List.of(hash(first, "email", pepper()))));
        assertEquals(1, lookup(romeo, List.of(hash(second, "email", pepper()))).size());

        channels.deleteAccount(juliet);
        await().atMost(DEADLINE).until(() -> lookup(romeo, List.of(hash(second, "email", pepper()))).isEmpty());
    }

    @Test
    void aDeletedAccountLeavesNoRowThatNamesItButItsCodesStillCountForTheAddress() throws Exception {
        Login juliet = channels.newAccount("juliet");
        String address = "juliet." + word() + "@capulet.lit";
        String claim = verified(juliet, address);
        claimMail(juliet, "juliet." + word() + "@verona.lit", false).then().statusCode(202);
        lookup(juliet, List.of(hash("nurse." + word() + "@capulet.lit", "email", pepper())));
        assertEquals(4, rowsNaming(juliet.jid(), claim), "two claims, the hashes of one, a lookup count and two codes sent");

        channels.deleteAccount(juliet);
        await().atMost(DEADLINE).until(() -> rowsNaming(juliet.jid(), claim) == 0);
        // one code went to the address this hour, for an account that is gone: two more may, not three
        Login mallory = channels.newAccount("mallory");
        claimMail(mallory, address, false).then().statusCode(202);
        claimMail(mallory, address, false).then().statusCode(202);
        claimMail(mallory, address, false).then().statusCode(429).body("detail", containsString("codes an hour"));
    }

    /** How many of the tables' kinds of rows still name the account or its claim: claims, hashes, lookups, codes sent. */
    private int rowsNaming(String jid, String claim) throws java.sql.SQLException {
        String[] queries = {"SELECT count(*) FROM friend_claims WHERE jid = ?", "SELECT count(*) FROM friend_hashes WHERE claim_id = ?",
                "SELECT count(*) FROM friend_lookups WHERE jid = ?", "SELECT count(*) FROM friend_codes_sent WHERE jid = ?"};
        int kinds = 0;
        try (java.sql.Connection connection = dataSource.getConnection()) {
            for (String query : queries) {
                try (java.sql.PreparedStatement statement = connection.prepareStatement(query)) {
                    statement.setString(1, query.contains("claim_id") ? claim : jid);
                    try (java.sql.ResultSet rows = statement.executeQuery()) {
                        rows.next();
                        kinds += rows.getLong(1) > 0 ? 1 : 0;
                    }
                }
            }
        }
        return kinds;
    }

    @Test
    void badInputIsRefusedWithAProblem() {
        Login juliet = channels.newAccount("juliet");
        given().contentType(ContentType.JSON).body(Map.of("medium", "email", "address", "a@b.lit")).post("/claims").then().statusCode(401);
        claimBody(juliet, Map.of("medium", "carrier-pigeon", "address", "x")).then().statusCode(400).body("detail", containsString("medium"));
        claimBody(juliet, Map.of("medium", "email", "address", "not an address")).then().statusCode(400);
        claimBody(juliet, Map.of("medium", "msisdn", "address", "07400 123456")).then().statusCode(400)
                .body("detail", containsString("international"));
        claimBody(juliet, Map.of("medium", "msisdn", "address", "12", "country", "GB")).then().statusCode(400);
        verify(juliet, "no-such-claim", "123456").then().statusCode(404);
        given().auth().oauth2(juliet.accessToken()).contentType(ContentType.JSON)
                .body(Map.of("algorithm", "md5", "pepper", pepper(), "addresses", List.of("x".repeat(43))))
                .post("/lookup").then().statusCode(400).body("detail", containsString("sha256"));
        lookupResponse(juliet, "stale-pepper", List.of("x".repeat(43))).then().statusCode(400).body("detail", containsString(pepper()));
        lookupResponse(juliet, pepper(), List.of("not a hash!")).then().statusCode(400);
        List<String> tooMany = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            tooMany.add("h".repeat(43));
        }
        lookupResponse(juliet, pepper(), tooMany).then().statusCode(400).body("detail", containsString("at most 1000"));
        given().auth().oauth2(juliet.accessToken()).contentType(ContentType.JSON).body(Map.of("others", List.of("a".repeat(64))))
                .post("/match_contacts").then().statusCode(404).body("detail", containsString("legacy"));
        given().auth().oauth2(juliet.accessToken()).contentType(ContentType.JSON).body("{").post("/claims").then().statusCode(400);
    }

    // ---- as a client does it

    static String hash(String address, String medium, String pepper) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((address + " " + medium + " " + pepper).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theClaimsAnAccountMadeAreInItsArchiveButAreNotTakenOverByAnImport() throws Exception {
        Login juliet = channels.newAccount("juliet");
        String address = "juliet-" + word() + "@verona.example";
        String claim = verified(juliet, address);
        byte[] archive = channels.exportArchive(juliet);
        String claims = null;
        try (java.util.zip.ZipInputStream zip = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(archive))) {
            for (java.util.zip.ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                if (entry.getName().equals("settings/claims.json")) {
                    claims = new String(zip.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
        }
        assertNotNull(claims, "the archive holds her claims");
        assertTrue(claims.contains(claim) && claims.contains("\"verified\""), claims);
        assertFalse(claims.contains(address), "as the friend finder shows them: masked, not the address itself");

        Login moved = channels.newAccount("juliet");
        channels.importArchive(moved, archive);
        given().auth().oauth2(moved.accessToken()).get("/claims").then().statusCode(200).body("$", hasSize(0));
    }

    static String pepper() {
        return given().get("/hash_details").then().statusCode(200).body("algorithms", equalTo(List.of("sha256")))
                .extract().path("lookup_pepper");
    }

    private String verified(Login who, String address) {
        String claim = claimMail(who, address, true).then().statusCode(202).extract().path("id");
        verify(who, claim, FriendsTestStack.mailedCode(address).orElseThrow()).then().statusCode(200);
        return claim;
    }

    private static Response claimMail(Login who, String address, boolean discoverable) {
        return claimBody(who, Map.of("medium", "email", "address", address, "discoverable", discoverable));
    }

    private static Response claimBody(Login who, Map<String, Object> body) {
        return given().auth().oauth2(who.accessToken()).contentType(ContentType.JSON).body(body).post("/claims");
    }

    private static Response verify(Login who, String claim, String code) {
        return given().auth().oauth2(who.accessToken()).contentType(ContentType.JSON).body(Map.of("code", code))
                .post("/claims/" + claim + "/verify");
    }

    static Map<String, String> lookup(Login who, List<String> hashes) {
        Map<String, String> mappings = lookupResponse(who, pepper(), hashes).then().statusCode(200).extract().jsonPath().getMap("mappings");
        return new HashMap<>(mappings);
    }

    static Response lookupResponse(Login who, String pepper, List<String> hashes) {
        return given().auth().oauth2(who.accessToken()).contentType(ContentType.JSON)
                .body(Map.of("algorithm", "sha256", "pepper", pepper, "addresses", hashes)).post("/lookup");
    }

    private static String word() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    private static String digits(int count) {
        StringBuilder digits = new StringBuilder();
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int i = 0; i < count; i++) {
            digits.append(random.nextInt(10));
        }
        return digits.toString();
    }
}
