package org.buddycloud.channels.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.List;
import org.buddycloud.contracts.events.MessageWaiting;
import org.buddycloud.contracts.jid.Jid;
import org.junit.jupiter.api.Test;

/** What an app server is told of a waiting message: the text only where the registration asked for it. */
class PushRegistrationTest {

    private static final List<MessageWaiting.Option> SECRET = List.of(new MessageWaiting.Option("secret", List.of("eilae0ai")));

    @Test
    void theTextGoesOnlyWhereTheRegistrationAskedForIt() {
        PushRegistration quiet = new PushRegistration(Jid.parse("juliet@localhost"), Jid.parse("p2.siacs.eu"), "n", SECRET, false, Instant.EPOCH);
        PushRegistration asked = new PushRegistration(Jid.parse("juliet@localhost"), Jid.parse("push.localhost"), "7", List.of(), true,
                Instant.EPOCH);
        assertNull(quiet.toEvent("I will come at nine").lastMessageBody());
        assertEquals(SECRET, quiet.toEvent("I will come at nine").publishOptions(), "the app server gets its publish-options");
        assertEquals("I will come at nine", asked.toEvent("I will come at nine").lastMessageBody());
    }
}
