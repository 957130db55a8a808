package org.buddycloud.testsupport;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Talks to a channel server over its REST API, as an app would: register, log in, change a password; create, configure
 * and follow channels, approve followers, post.
 */
public final class ChannelServerClient {

    /** A registered account and the tokens of one login. */
    public record Login(String username, String jid, String password, String accessToken, String refreshToken) {
    }

    private final String baseUrl;

    public ChannelServerClient(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** Registers a fresh account with a unique name and logs it in. */
    public Login newAccount(String prefix) {
        String username = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        String password = "pw-" + UUID.randomUUID();
        String jid = given().baseUri(baseUrl).contentType(ContentType.JSON)
                .body(Map.of("username", username, "password", password, "email", username + "@example.com"))
                .post("/account").then().statusCode(201).extract().path("jid");
        return login(username, jid, password);
    }

    /** Registers the account with this name (again, after a deletion) and logs it in. */
    public Login register(String username, String password) {
        String jid = given().baseUri(baseUrl).contentType(ContentType.JSON)
                .body(Map.of("username", username, "password", password, "email", username + "@example.com"))
                .post("/account").then().statusCode(201).extract().path("jid");
        return login(username, jid, password);
    }

    public Login login(String username, String jid, String password) {
        JsonPath tokens = given().baseUri(baseUrl).auth().preemptive().basic(username, password)
                .post("/auth/token").then().statusCode(200).extract().jsonPath();
        return new Login(username, jid, password, tokens.getString("access_token"), tokens.getString("refresh_token"));
    }

    public void changePassword(Login login, String newPassword) {
        given().baseUri(baseUrl).auth().preemptive().basic(login.username(), login.password()).contentType(ContentType.JSON)
                .body(Map.of("password", newPassword)).post("/account/pw/change").then().statusCode(204);
    }

    public void revoke(String token) {
        given().baseUri(baseUrl).contentType(ContentType.JSON).body(Map.of("token", token))
                .post("/auth/revoke").then().statusCode(200);
    }

    /** Deletes the account, and with it its channel, its memberships and the topic channels it alone owns. */
    public void deleteAccount(Login login) {
        given().baseUri(baseUrl).auth().oauth2(login.accessToken()).delete("/account").then().statusCode(204);
    }

    /** Creates the topic channel {@code channel} (name@topics.domain), owned by {@code owner}. */
    public void createTopic(Login owner, String channel) {
        given().baseUri(baseUrl).auth().oauth2(owner.accessToken()).post("/" + channel).then().statusCode(201);
    }

    /** Asks to follow the channel's posts (subscribed at once where it is open, pending where the owner approves). */
    public void follow(Login follower, String channel) {
        subscription(follower, channel, "subscribed");
    }

    public void unfollow(Login follower, String channel) {
        subscription(follower, channel, "none");
    }

    private void subscription(Login follower, String channel, String value) {
        given().baseUri(baseUrl).auth().oauth2(follower.accessToken()).contentType(ContentType.JSON)
                .body(Map.of(channel + "/posts", value)).post("/subscribed").then().statusCode(200);
    }

    /** Sets fields of the channel's posts node ({@code title}, {@code access_model}, …). */
    public void configure(Login owner, String channel, Map<String, Object> metadata) {
        given().baseUri(baseUrl).auth().oauth2(owner.accessToken()).contentType(ContentType.JSON)
                .body(metadata).post("/" + channel + "/metadata/posts").then().statusCode(200);
    }

    /** Lets a pending follower of the owner's own channel in. */
    public void approve(Login owner, String channel, String follower) {
        given().baseUri(baseUrl).auth().oauth2(owner.accessToken()).contentType(ContentType.JSON)
                .body(List.of(Map.of("jid", follower, "subscription", "subscribed")))
                .post("/" + channel + "/subscribers/posts/approve").then().statusCode(200);
    }

    /** Publishes a post; its id. */
    public String post(Login author, String channel, String content) {
        return given().baseUri(baseUrl).auth().oauth2(author.accessToken()).contentType(ContentType.JSON)
                .body(Map.of("content", content)).post("/" + channel + "/content/posts").then().statusCode(201).extract().path("id");
    }

    /** Exports the account as an app would (README "Portable data"): asks, follows the export until ready, downloads it. */
    public byte[] exportArchive(Login owner) {
        String id = given().baseUri(baseUrl).auth().oauth2(owner.accessToken()).post("/account/exports").then().statusCode(202)
                .extract().path("id");
        String[] link = new String[1];
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(90)).pollInterval(java.time.Duration.ofMillis(300))
                .until(() -> {
                    JsonPath status = given().baseUri(baseUrl).auth().oauth2(owner.accessToken()).get("/account/exports/" + id)
                            .then().statusCode(200).extract().jsonPath();
                    if ("failed".equals(status.getString("state"))) {
                        throw new AssertionError("the export failed: " + status.prettify());
                    }
                    link[0] = status.getString("downloadUrl");
                    return "ready".equals(status.getString("state"));
                });
        return given().baseUri(baseUrl).get(link[0]).then().statusCode(200).contentType("application/zip").extract().asByteArray();
    }

    /** Imports an archive into the account and follows the import until it is done; the import, with its report. */
    public JsonPath importArchive(Login owner, byte[] archive) {
        String id = given().baseUri(baseUrl).auth().oauth2(owner.accessToken()).contentType("application/zip").body(archive)
                .post("/account/imports").then().statusCode(202).extract().path("id");
        JsonPath[] done = new JsonPath[1];
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(90)).pollInterval(java.time.Duration.ofMillis(300))
                .until(() -> {
                    done[0] = given().baseUri(baseUrl).auth().oauth2(owner.accessToken()).get("/account/imports/" + id).then()
                            .statusCode(200).extract().jsonPath();
                    if ("failed".equals(done[0].getString("state"))) {
                        throw new AssertionError("the import failed: " + done[0].prettify());
                    }
                    return "done".equals(done[0].getString("state"));
                });
        return done[0];
    }
}
