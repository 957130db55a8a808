package org.buddycloud.channels.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.buddycloud.channels.domain.NodeName;
import org.junit.jupiter.api.Test;

/** The node an XEP-0060 {@code <redirect uri/>} names: where a channel that moved lives now. */
class MoveRedirectTest {

    @Test
    void theNodeOfAnXmppUriIsWhereTheChannelWent() {
        assertEquals(Optional.of(NodeName.parse("/user/romeo@capulet.lit/posts")),
                InboxUpdates.redirect("xmpp:channels.montague.lit?;node=/user/romeo@capulet.lit/posts"));
    }

    @Test
    void aPercentEncodedNodeIsDecodedAndAPlusStaysAPlus() {
        assertEquals(Optional.of(NodeName.parse("/user/romeo+verona@capulet.lit/posts")),
                InboxUpdates.redirect("xmpp:channels.capulet.lit?;node=%2Fuser%2Fromeo+verona%40capulet.lit%2Fposts;item=1"));
    }

    @Test
    void anythingElseNamesNoNode() {
        assertTrue(InboxUpdates.redirect(null).isEmpty());
        assertTrue(InboxUpdates.redirect("https://capulet.lit/?;node=/user/romeo@capulet.lit/posts").isEmpty());
        assertTrue(InboxUpdates.redirect("xmpp:channels.capulet.lit").isEmpty());
        assertTrue(InboxUpdates.redirect("xmpp:channels.capulet.lit?;node=not-a-channel-node").isEmpty());
        assertTrue(InboxUpdates.redirect("xmpp:channels.capulet.lit?;node=%zz").isEmpty());
    }
}
