package org.buddycloud.media.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Random;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.buddycloud.testsupport.ChannelServerClient;
import org.buddycloud.testsupport.ServiceTestStack;
import org.eclipse.microprofile.config.ConfigProvider;

/** Accounts on the test channel server and test bytes, for the media API tests. */
final class MediaTestSupport {

    private MediaTestSupport() {
    }

    static String channelServer() {
        return ConfigProvider.getConfig().getValue(ServiceTestStack.CHANNEL_SERVER_URL, String.class);
    }

    /** A new account whose channel the media server already knows (its event has reached the read model). */
    static Login account(String name) {
        Login login = new ChannelServerClient(channelServer()).newAccount(name);
        await().atMost(Duration.ofSeconds(20)).until(() -> given().get("/" + login.jid()).statusCode() == 200);
        return login;
    }

    static byte[] bytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }
}
