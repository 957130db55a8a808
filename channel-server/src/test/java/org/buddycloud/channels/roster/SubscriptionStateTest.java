package org.buddycloud.channels.roster;

import static org.buddycloud.channels.roster.SubscriptionType.SUBSCRIBE;
import static org.buddycloud.channels.roster.SubscriptionType.SUBSCRIBED;
import static org.buddycloud.channels.roster.SubscriptionType.UNSUBSCRIBE;
import static org.buddycloud.channels.roster.SubscriptionType.UNSUBSCRIBED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.Test;

/** RFC 6121 Appendix A, row by row where it matters, and the ping-pong of two auto-accepting clients. */
class SubscriptionStateTest {

    private static final SubscriptionState NONE = SubscriptionState.NONE;

    @Test
    void aRequestWaitsThenTheApprovalMakesItTo() {
        SubscriptionState.Change asked = NONE.outbound(SUBSCRIBE);
        assertTrue(asked.passOn());
        assertTrue(asked.after().pendingOut());
        SubscriptionState.Change approved = asked.after().inbound(SUBSCRIBED);
        assertTrue(approved.passOn());
        assertEquals("to", approved.after().subscription());
        assertFalse(approved.after().pendingOut());
    }

    @Test
    void anApprovalNobodyAskedForIsKeptAsPreApprovalAndAnswersTheLaterRequest() {
        SubscriptionState.Change preApproval = NONE.outbound(SUBSCRIBED);
        assertFalse(preApproval.passOn(), "nothing to approve yet: the contact hears nothing");
        assertTrue(preApproval.after().preApproved());
        SubscriptionState.Change request = preApproval.after().inbound(SUBSCRIBE);
        assertFalse(request.passOn(), "the user is not asked again");
        assertTrue(request.autoReplySubscribed());
        assertEquals("from", request.after().subscription());
        assertFalse(request.after().preApproved());
    }

    @Test
    void aRequestFromAContactWhoAlreadyHasTheSubscriptionIsAnsweredByTheServer() {
        SubscriptionState from = new SubscriptionState(false, true, false, false, false);
        SubscriptionState.Change again = from.inbound(SUBSCRIBE);
        assertFalse(again.passOn());
        assertTrue(again.autoReplySubscribed());
        assertEquals(from, again.after());
    }

    @Test
    void stanzasThatChangeNothingGoNowhere() {
        SubscriptionState both = new SubscriptionState(true, true, false, false, false);
        assertFalse(both.inbound(SUBSCRIBED).passOn());
        assertFalse(both.outbound(SUBSCRIBED).passOn());
        assertFalse(NONE.inbound(UNSUBSCRIBE).passOn());
        assertFalse(NONE.inbound(UNSUBSCRIBED).passOn());
        assertFalse(NONE.outbound(UNSUBSCRIBE).passOn());
        assertFalse(NONE.outbound(UNSUBSCRIBED).passOn());
        SubscriptionState waiting = NONE.inbound(SUBSCRIBE).after();
        assertFalse(waiting.inbound(SUBSCRIBE).passOn(), "a repeated request is not shown twice");
    }

    @Test
    void cancellingEachWay() {
        SubscriptionState both = new SubscriptionState(true, true, false, false, false);
        assertEquals("from", both.outbound(UNSUBSCRIBE).after().subscription());
        assertEquals("to", both.outbound(UNSUBSCRIBED).after().subscription());
        assertEquals("to", both.inbound(UNSUBSCRIBE).after().subscription());
        assertEquals("from", both.inbound(UNSUBSCRIBED).after().subscription());
        SubscriptionState asking = NONE.outbound(SUBSCRIBE).after();
        SubscriptionState.Change denied = asking.inbound(UNSUBSCRIBED);
        assertTrue(denied.passOn());
        assertEquals(NONE, denied.after());
    }

    /**
     * Two clients that approve every request and ask back (the 615-stanza bounce): with the server
     * dropping what changes nothing, the exchange ends with both subscribed, in a handful of stanzas.
     */
    @Test
    void twoAutoAcceptingClientsSettleAfterOneExchange() {
        SubscriptionState[] state = {NONE, NONE};   // 0's item for 1, 1's item for 0
        Deque<int[]> wire = new ArrayDeque<>();      // {from, type ordinal}
        wire.add(new int[] {0, SUBSCRIBE.ordinal()});
        int delivered = 0;
        while (!wire.isEmpty()) {
            assertTrue(delivered < 20, "the exchange does not end");
            int[] stanza = wire.poll();
            int from = stanza[0];
            int to = 1 - from;
            SubscriptionType type = SubscriptionType.values()[stanza[1]];
            SubscriptionState.Change out = state[from].outbound(type);
            state[from] = out.after();
            if (!out.passOn()) {
                continue;
            }
            SubscriptionState.Change in = state[to].inbound(type);
            state[to] = in.after();
            if (in.autoReplySubscribed()) {
                SubscriptionState.Change reply = state[from].inbound(SUBSCRIBED);
                state[from] = reply.after();
                if (reply.passOn()) {
                    delivered++;
                }
            }
            if (in.passOn()) {
                delivered++;
                // what an auto-accepting client does with what it is shown
                if (type == SUBSCRIBE) {
                    wire.add(new int[] {to, SUBSCRIBED.ordinal()});
                    wire.add(new int[] {to, SUBSCRIBE.ordinal()});
                } else if (type == SUBSCRIBED) {
                    wire.add(new int[] {to, SUBSCRIBE.ordinal()});
                }
            }
        }
        assertEquals("both", state[0].subscription());
        assertEquals("both", state[1].subscription());
        assertTrue(delivered <= 4, "delivered " + delivered + " subscription stanzas");
    }
}
