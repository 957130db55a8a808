package org.buddycloud.testsupport;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import java.io.IOException;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;
import org.junit.jupiter.api.Test;

/**
 * What every service promises about tokens, tested against the real channel server of
 * {@link ServiceTestStack}: its tokens are accepted, anything else is refused with a problem and a
 * challenge, and a revocation made at the channel server reaches the service through Kafka.
 * A service's test class extends this and runs it against itself.
 */
public abstract class TokenProtectedServiceContract {

    private static final Duration REVOCATION_DEADLINE = Duration.ofSeconds(10);

    protected ChannelServerClient channelServer() {
        return new ChannelServerClient(ConfigProvider.getConfig().getValue(ServiceTestStack.CHANNEL_SERVER_URL, String.class));
    }

    /** The channel server's XMPP client port. */
    protected int channelServerXmppPort() {
        return ConfigProvider.getConfig().getValue(ServiceTestStack.CHANNEL_SERVER_XMPP_PORT, Integer.class);
    }

    @Test
    void acceptsATokenAnXmppClientObtainedWithTheTokenIq() throws IOException {
        ChannelServerClient.Login romeo = channelServer().newAccount("romeo");
        try (XmppSocketClient xmpp = XmppSocketClient.connect(channelServerXmppPort(), "localhost")) {
            xmpp.login(romeo.username(), romeo.password());
            String reply = xmpp.iq("<iq type='get' to='localhost'><token xmlns='http://buddycloud.org/v1'/></iq>");
            String accessToken = reply.replaceAll("(?s).*<access_token>([^<]+)</access_token>.*", "$1");
            given().auth().oauth2(accessToken).get("/whoami").then().statusCode(200).body("jid", equalTo(romeo.jid()));
        }
    }

    @Test
    void acceptsATokenFromTheChannelServerAndSaysWhoseItIs() {
        ChannelServerClient.Login juliet = channelServer().newAccount("juliet");
        given().auth().oauth2(juliet.accessToken()).get("/whoami")
                .then().statusCode(200).body("jid", equalTo(juliet.jid()));
    }

    @Test
    void refusesARequestWithoutTokenWithAProblemAndABearerChallenge() {
        given().get("/whoami").then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", startsWith("Bearer realm="))
                .body("status", equalTo(401)).body("condition", equalTo("not-authorized"));
    }

    @Test
    void refusesGarbageAndTokensSignedWithAForeignKey() {
        given().auth().oauth2("not-a-token").get("/whoami").then().statusCode(401).body("condition", equalTo("not-authorized"));
        given().auth().oauth2(foreignToken()).get("/whoami").then().statusCode(401)
                .header("WWW-Authenticate", containsString("Bearer"));
        given().header("Authorization", "Digest username=\"juliet\"").get("/whoami").then().statusCode(401);
    }

    @Test
    void refusesAnOldTokenWithinSecondsOfAPasswordChange() {
        ChannelServerClient channelServer = channelServer();
        ChannelServerClient.Login romeo = channelServer.newAccount("romeo");
        given().auth().oauth2(romeo.accessToken()).get("/whoami").then().statusCode(200);
        channelServer.changePassword(romeo, "a-brand-new-password");
        await().atMost(REVOCATION_DEADLINE).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                given().auth().oauth2(romeo.accessToken()).get("/whoami").then().statusCode(401));
        ChannelServerClient.Login again = channelServer.login(romeo.username(), romeo.jid(), "a-brand-new-password");
        given().auth().oauth2(again.accessToken()).get("/whoami").then().statusCode(200).body("jid", equalTo(romeo.jid()));
    }

    @Test
    void refusesATokenWhoseSessionWasRevoked() {
        ChannelServerClient channelServer = channelServer();
        ChannelServerClient.Login mercutio = channelServer.newAccount("mercutio");
        given().auth().oauth2(mercutio.accessToken()).get("/whoami").then().statusCode(200);
        channelServer.revoke(mercutio.refreshToken());
        await().atMost(REVOCATION_DEADLINE).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                given().auth().oauth2(mercutio.accessToken()).get("/whoami").then().statusCode(401));
    }

    @Test
    void exposesHealthMetricsAndOpenApi() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItem("kafka-revocation-feed"));
        given().get("/q/metrics").then().statusCode(200).body(containsString("buddycloud_tokens_verified_total"));
        given().accept("application/json").get("/q/openapi").then().statusCode(200).body(containsString("/whoami"));
    }

    /** A well-formed token naming the right issuer and audience, signed with a key the channel server never had. */
    private static String foreignToken() {
        try {
            KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
            rsa.initialize(2048);
            JwtClaims claims = new JwtClaims();
            claims.setIssuer(ConfigProvider.getConfig().getValue("buddycloud.auth.issuer", String.class));
            claims.setAudience("buddycloud");
            claims.setSubject("juliet@localhost");
            claims.setJwtId(UUID.randomUUID().toString());
            claims.setIssuedAt(NumericDate.fromSeconds(Instant.now().getEpochSecond()));
            claims.setExpirationTime(NumericDate.fromSeconds(Instant.now().plusSeconds(600).getEpochSecond()));
            claims.setClaim("sid", "s");
            claims.setClaim("gen", Long.MAX_VALUE / 2);
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(claims.toJson());
            jws.setKey(rsa.generateKeyPair().getPrivate());
            jws.setKeyIdHeaderValue(Base64.getUrlEncoder().encodeToString(UUID.randomUUID().toString().getBytes()));
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
            return jws.getCompactSerialization();
        } catch (NoSuchAlgorithmException | JoseException e) {
            throw new IllegalStateException(e);
        }
    }
}
