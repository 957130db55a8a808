package org.buddycloud.search;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import io.restassured.response.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.buddycloud.testsupport.ChannelServerClient;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.buddycloud.testsupport.ServiceTestStack;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;

/** Accounts, posts and follows on the real channel server of the tests, and the search API as its users call it. */
final class SearchTestSupport {

    static final Duration DEADLINE = Duration.ofSeconds(30);

    private SearchTestSupport() {
    }

    static String channelServer() {
        return ConfigProvider.getConfig().getValue(ServiceTestStack.CHANNEL_SERVER_URL, String.class);
    }

    static void awaitReady() {
        await().atMost(DEADLINE).until(() -> given().get("/q/health/ready").statusCode() == 200);
    }

    static Login account(String name) {
        return client().newAccount(name);
    }

    private static ChannelServerClient client() {
        return new ChannelServerClient(channelServer());
    }

    static String post(Login author, String channel, String content) {
        return client().post(author, channel, content);
    }

    static void retract(Login author, String channel, String id) {
        given().baseUri(channelServer()).auth().oauth2(author.accessToken()).delete("/" + channel + "/content/posts/" + id)
                .then().statusCode(204);
    }

    static void follow(Login follower, String channel) {
        client().follow(follower, channel);
    }

    static void configure(Login owner, String channel, Map<String, Object> metadata) {
        client().configure(owner, channel, metadata);
    }

    static void approve(Login owner, String follower) {
        client().approve(owner, owner.jid(), follower);
    }

    static void createTopic(Login owner, String channel) {
        client().createTopic(owner, channel);
    }

    static void deleteAccount(Login user) {
        client().deleteAccount(user);
    }

    /** A content search as {@code who} (null: anonymous); the item ids found. */
    static List<String> found(Login who, String query) {
        return search(who, Map.of("type", "content", "q", query)).then().statusCode(200).extract().jsonPath().getList("items.id");
    }

    static Response search(Login who, Map<String, ?> params) {
        var request = given().queryParams(params);
        return who == null ? request.get("/search") : request.auth().oauth2(who.accessToken()).get("/search");
    }

    static XMPPTCPConnection smack(Login account) throws Exception {
        int port = ConfigProvider.getConfig().getValue(ServiceTestStack.CHANNEL_SERVER_XMPP_PORT, Integer.class);
        XMPPTCPConnection connection = new XMPPTCPConnection(XMPPTCPConnectionConfiguration.builder()
                .setXmppDomain("localhost").setHost("127.0.0.1").setPort(port)
                .setUsernameAndPassword(account.username(), account.password())
                .setSecurityMode(SecurityMode.disabled).addEnabledSaslMechanism("SCRAM-SHA-1").setResource("smack").build());
        connection.setReplyTimeout(10_000);
        connection.connect().login();
        return connection;
    }
}
