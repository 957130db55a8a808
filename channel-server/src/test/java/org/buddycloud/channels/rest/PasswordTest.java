package org.buddycloud.channels.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.MockMailbox;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.buddycloud.contracts.events.CredentialsChanged;
import org.buddycloud.testsupport.ChannelServerClient;
import org.buddycloud.testsupport.KafkaEvents;
import org.buddycloud.testsupport.KafkaTestResource;
import org.buddycloud.testsupport.PostgresTestResource;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class PasswordTest extends ClockedTest {

    private static final Pattern TOKEN = Pattern.compile("Reset token: (\\S+)");

    @Inject
    MockMailbox mailbox;

    @Test
    void changingThePasswordRevokesEveryEarlierTokenAndAnnouncesIt() {
        ChannelServerClient.Login juliet = ChannelServerTest.client().newAccount("juliet");
        ChannelServerTest.client().changePassword(juliet, "a-brand-new-secret");
        given().auth().oauth2(juliet.accessToken()).get("/whoami").then().statusCode(401);
        given().auth().preemptive().basic(juliet.username(), juliet.password()).post("/auth/token").then().statusCode(401);
        ChannelServerClient.Login again = ChannelServerTest.client().login(juliet.username(), juliet.jid(), "a-brand-new-secret");
        given().auth().oauth2(again.accessToken()).get("/whoami").then().statusCode(200);
        try (KafkaEvents events = new KafkaEvents(kafka, "buddycloud.accounts")) {
            CredentialsChanged changed = (CredentialsChanged) events.await("org.buddycloud.account.credentials-changed",
                    juliet.jid(), Duration.ofSeconds(30)).event().data();
            assertEquals(CredentialsChanged.Reason.PASSWORD_CHANGED, changed.reason());
        }
    }

    @Test
    void withATokenTheCurrentPasswordMustBeGiven() {
        ChannelServerClient.Login romeo = ChannelServerTest.client().newAccount("romeo");
        given().auth().oauth2(romeo.accessToken()).contentType(ContentType.JSON).body(Map.of("password", "a-new-secret-1"))
                .post("/account/pw/change").then().statusCode(403).body("detail", containsString("currentPassword"));
        given().auth().oauth2(romeo.accessToken()).contentType(ContentType.JSON)
                .body(Map.of("password", "a-new-secret-1", "currentPassword", romeo.password()))
                .post("/account/pw/change").then().statusCode(204);
    }

    @Test
    void aStolenTokenCannotGuessTheCurrentPasswordUnthrottled() {
        ChannelServerClient.Login gregory = ChannelServerTest.client().newAccount("gregory");
        for (int i = 0; i < 5; i++) {
            given().auth().oauth2(gregory.accessToken()).contentType(ContentType.JSON)
                    .body(Map.of("password", "taken-over-1", "currentPassword", "guess-" + i))
                    .post("/account/pw/change").then().statusCode(403);
        }
        given().auth().oauth2(gregory.accessToken()).contentType(ContentType.JSON)
                .body(Map.of("password", "taken-over-1", "currentPassword", gregory.password()))
                .post("/account/pw/change").then().statusCode(429);
    }

    @Test
    void nobodyChangesSomeoneElsesPasswordAndBadPasswordsAreRefused() {
        ChannelServerClient.Login nurse = ChannelServerTest.client().newAccount("nurse");
        given().auth().preemptive().basic(nurse.username(), nurse.password()).contentType(ContentType.JSON)
                .body(Map.of("username", "someone-else", "password", "a-new-secret-1"))
                .post("/account/pw/change").then().statusCode(403);
        given().auth().preemptive().basic(nurse.username(), nurse.password()).contentType(ContentType.JSON)
                .body(Map.of("password", "short")).post("/account/pw/change").then().statusCode(400);
        given().contentType(ContentType.JSON).body(Map.of("password", "a-new-secret-1")).post("/account/pw/change")
                .then().statusCode(401);
    }

    @Test
    void aMailedResetTokenSetsANewPasswordOnce() {
        ChannelServerClient.Login capulet = ChannelServerTest.client().newAccount("capulet");
        requestReset(capulet.username()).then().statusCode(202);
        String token = mailedToken(capulet.username() + "@example.com");
        confirm(token, "reset-and-reborn").then().statusCode(204);
        confirm(token, "and-once-more-please").then().statusCode(400).body("detail", containsString("invalid, used or expired"));
        given().auth().oauth2(capulet.accessToken()).get("/whoami").then().statusCode(401);
        ChannelServerTest.client().login(capulet.username(), capulet.jid(), "reset-and-reborn");
        try (KafkaEvents events = new KafkaEvents(kafka, "buddycloud.accounts")) {
            CredentialsChanged changed = (CredentialsChanged) events.await(r -> r.key().equals(capulet.jid())
                    && r.event().data() instanceof CredentialsChanged c && c.reason() == CredentialsChanged.Reason.PASSWORD_RESET,
                    Duration.ofSeconds(30)).event().data();
            assertEquals(capulet.jid(), changed.jid().toString());
        }
    }

    @Test
    void aNewPasswordVoidsEveryResetTokenMailedBefore() {
        ChannelServerClient.Login capulet = ChannelServerTest.client().newAccount("capulet");
        String address = capulet.username() + "@example.com";
        requestReset(capulet.username()).then().statusCode(202);
        requestReset(capulet.username()).then().statusCode(202);
        List<Mail> mails = await().atMost(Duration.ofSeconds(10)).until(() -> mailbox.getMailsSentTo(address), m -> m.size() >= 2);
        String older = token(mails.get(0));
        confirm(token(mails.get(1)), "reset-and-reborn").then().statusCode(204);
        confirm(older, "an-older-mail-wins").then().statusCode(400).body("detail", containsString("invalid, used or expired"));

        ChannelServerClient.Login montague = ChannelServerTest.client().newAccount("montague");
        requestReset(montague.username()).then().statusCode(202);
        String mailed = mailedToken(montague.username() + "@example.com");
        given().auth().oauth2(montague.accessToken()).contentType(ContentType.JSON)
                .body(Map.of("password", "changed-by-the-owner", "currentPassword", montague.password()))
                .post("/account/pw/change").then().statusCode(204);
        confirm(mailed, "a-thief-read-the-mail").then().statusCode(400);
    }

    @Test
    void theResetMailCarriesATokenNeverAPassword() {
        ChannelServerClient.Login friar = ChannelServerTest.client().newAccount("friar");
        requestReset(friar.jid()).then().statusCode(202);
        Mail mail = mailsTo(friar.username() + "@example.com").get(0);
        assertTrue(mail.getText().contains("Reset token"));
        assertTrue(!mail.getText().contains(friar.password()));
    }

    @Test
    void anUnknownAccountGetsTheSameAnswerAndNoMail() {
        int before = mailbox.getTotalMessagesSent();
        requestReset("nobody-by-that-name").then().statusCode(202);
        assertEquals(before, mailbox.getTotalMessagesSent());
        given().contentType(ContentType.JSON).body(Map.of()).post("/account/pw/reset").then().statusCode(400);
    }

    @Test
    void aResetTokenExpires() {
        ChannelServerClient.Login lawrence = ChannelServerTest.client().newAccount("lawrence");
        requestReset(lawrence.username()).then().statusCode(202);
        String token = mailedToken(lawrence.username() + "@example.com");
        clock.shift(Duration.ofMinutes(31));
        confirm(token, "too-late-for-this").then().statusCode(400);
    }

    @Test
    void resetRequestsAreRateLimitedPerAccount() {
        ChannelServerClient.Login peter = ChannelServerTest.client().newAccount("peter");
        for (int i = 0; i < 3; i++) {
            requestReset(peter.username()).then().statusCode(202);
        }
        requestReset(peter.username()).then().statusCode(429).body("condition", equalTo("policy-violation"));
        requestReset(peter.jid()).then().statusCode(429);
    }

    /** The mails sent to the address, once at least one arrived (sending is asynchronous). */
    private List<Mail> mailsTo(String address) {
        return await().atMost(Duration.ofSeconds(10)).until(() -> mailbox.getMailsSentTo(address), mails -> !mails.isEmpty());
    }

    private String mailedToken(String address) {
        List<Mail> mails = mailsTo(address);
        return token(mails.get(mails.size() - 1));
    }

    private static String token(Mail mail) {
        Matcher matcher = TOKEN.matcher(mail.getText());
        assertTrue(matcher.find(), "the mail carries a token");
        return matcher.group(1);
    }

    private static io.restassured.response.Response requestReset(String username) {
        return given().contentType(ContentType.JSON).body(Map.of("username", username)).post("/account/pw/reset");
    }

    private static io.restassured.response.Response confirm(String token, String password) {
        return given().contentType(ContentType.JSON).body(Map.of("token", token, "password", password)).post("/account/pw/reset/confirm");
    }
}
