package org.buddycloud.channels.rest;

import io.restassured.RestAssured;
import org.buddycloud.testsupport.ChannelServerClient;

/** What the channel server's REST tests share: a client for this server under test. */
final class ChannelServerTest {

    private ChannelServerTest() {
    }

    static ChannelServerClient client() {
        return new ChannelServerClient("http://localhost:" + RestAssured.port);
    }
}
