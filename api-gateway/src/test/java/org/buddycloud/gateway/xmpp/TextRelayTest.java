package org.buddycloud.gateway.xmpp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.concurrent.TimeUnit;
import org.buddycloud.gateway.edge.EdgeRefusal;
import org.buddycloud.gateway.proxy.ProxyRoute;
import org.buddycloud.gateway.routing.Upstream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TextRelayTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"1000, 1000", "1001, 1001", "1008, 1008", "4001, 4001", "1005, 1000", "1006, 1001", "1015, 1001"})
    void eachSideHearsWhyTheOtherClosedInACodeItMayBeSent(short received, short sent) {
        assertEquals(sent, TextRelay.passedOn(received));
    }

    @Test
    void aConnectionThatBrokeOffWithoutACloseIsGoingAway() {
        assertEquals((short) 1001, TextRelay.passedOn(null));
    }

    @Test
    void aChannelServerThatCannotBeReachedIsA503BeforeTheUpgrade() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            // nothing listens on port 1
            Throwable failure = vertx.createWebSocketClient().connect(new WebSocketConnectOptions().setHost("127.0.0.1")
                    .setPort(1).setURI(XmppWebSocketRoute.PATH).addSubProtocol(XmppSubprotocol.NAME))
                    .toCompletionStage().toCompletableFuture().handle((socket, error) -> error).get(20, TimeUnit.SECONDS);
            EdgeRefusal refusal = ProxyRoute.serviceFailure(Upstream.CHANNEL_SERVER, failure);
            assertEquals(503, refusal.status(), refusal.getMessage());
            assertEquals("channel-server", refusal.service().orElseThrow());
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        }
    }
}
