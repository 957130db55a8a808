package org.buddycloud.channels.xmpp.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReplicaBusTest {

    @Test
    void aMessageComesBackAsItWasSentWhateverItsBodyHolds() {
        String body = "<message to='juliet@localhost/phone'>\n<body>line one\nline two</body></message>";
        ReplicaBus.Message message = ReplicaBus.decode(ReplicaBus.encode(ReplicaBus.Kind.DELIVER, body, "juliet@localhost/phone"));

        assertEquals(ReplicaBus.Kind.DELIVER, message.kind());
        assertEquals(List.of("juliet@localhost/phone"), message.args());
        assertEquals(body, message.body());
    }

    @Test
    void emptyArgumentsAndBodiesSurvive() {
        ReplicaBus.Message message = ReplicaBus.decode(ReplicaBus.encode(ReplicaBus.Kind.CLOSE, "", "romeo@localhost/pc", "conflict", ""));

        assertEquals(List.of("romeo@localhost/pc", "conflict", ""), message.args());
        assertEquals("", message.body());
    }

    @Test
    void anArgumentWithALineBreakIsRefusedRatherThanMisread() {
        assertThrows(IllegalArgumentException.class, () -> ReplicaBus.encode(ReplicaBus.Kind.CLOSE, "", "a\nb"));
    }

    @Test
    void channelNamesAreIdentifiersWhateverTheReplicaIsCalled() {
        String channel = ReplicaBus.channel("channel-server-7d9f\"; DROP TABLE x; --");

        assertTrue(channel.matches("[a-z0-9_]{1,63}"), channel);
        assertNotEquals(channel, ReplicaBus.channel("channel-server-7d9g"));
    }
}
