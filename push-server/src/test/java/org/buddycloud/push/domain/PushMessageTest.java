package org.buddycloud.push.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.Set;
import org.buddycloud.contracts.jid.Jid;
import org.junit.jupiter.api.Test;

/** What a push says, and what it keeps from the push provider. */
class PushMessageTest {

    private static final Jid ROMEO = Jid.parse("romeo@example.com");
    private static final Jid JULIET = Jid.parse("juliet@example.com");
    private static final Jid MERCUTIO = Jid.parse("mercutio@example.com");
    private static final PushPreferences TEXT_ALLOWED = new PushPreferences(Set.of(), Optional.empty(),
            PushPreferences.Digest.OFF, true);

    @Test
    void byDefaultThePostsTextDoesNotGoThroughTheProvider() {
        PushNotice post = new PushNotice(ROMEO, PushKind.POST_ON_FOLLOWED_CHANNEL, JULIET, JULIET, "p1");
        PushMessage message = PushMessage.of(post, 1, "Meet me at the balcony at nine", PushPreferences.defaults());
        assertEquals("New post by juliet@example.com in juliet@example.com", message.title());
        assertEquals("", message.body());
        assertFalse(message.toString().contains("balcony"));
        assertEquals("p1", message.itemId());
    }

    @Test
    void aWaitingChatMessageSaysFromWhomAndHowManyAndItsTextOnlyWhenTheRegistrationAskedForIt() {
        PushNotice waiting = new PushNotice(JULIET, PushKind.MESSAGE_WAITING, ROMEO, ROMEO, null);
        assertEquals("New message from romeo@example.com", PushMessage.of(waiting, 1, null).title());
        assertEquals("", PushMessage.of(waiting, 1, null).body());
        assertEquals("3 new messages from romeo@example.com", PushMessage.of(waiting, 3, null).title());
        assertEquals("I will come at nine", PushMessage.of(waiting, 1, "I will come at nine").body());
        assertEquals(PushMessage.collapseKey(JULIET, ROMEO), PushMessage.of(waiting, 1, null).collapseKey(), "one sender's burst collapses");
    }

    @Test
    void theUserMayLetItThroughAbbreviated() {
        PushNotice mention = new PushNotice(ROMEO, PushKind.MENTION, JULIET, MERCUTIO, "p2");
        assertEquals("A plague o' both your houses!", PushMessage.of(mention, 1, "  A plague o'\n both your houses!  ", TEXT_ALLOWED).body());
        String body = PushMessage.of(mention, 1, "x".repeat(1000), TEXT_ALLOWED).body();
        assertEquals(PushMessage.MAX_BODY, body.length());
        assertTrue(body.endsWith("…"));
    }

    @Test
    void aBurstIsOneMessageCountingThePostsAndSharingOneCollapseKeyPerUserAndChannel() {
        PushNotice newest = new PushNotice(ROMEO, PushKind.POST_ON_MY_CHANNEL, JULIET, MERCUTIO, "p9");
        PushMessage burst = PushMessage.of(newest, 7, null, PushPreferences.defaults());
        assertEquals("7 new posts in juliet@example.com", burst.title());
        String key = burst.collapseKey();
        assertEquals(32, key.length());
        assertTrue(key.matches("[A-Za-z0-9_-]{32}"), "RFC 8030 Topic: URL-safe base64, at most 32 characters");
        assertEquals(key, PushMessage.of(new PushNotice(ROMEO, PushKind.MENTION, JULIET, JULIET, "p1"), 1, null,
                PushPreferences.defaults()).collapseKey(), "the same user and channel");
        assertNotEquals(key, PushMessage.collapseKey(JULIET, JULIET), "another user");
        assertFalse(key.contains("romeo"), "the key names nobody");
    }
}
