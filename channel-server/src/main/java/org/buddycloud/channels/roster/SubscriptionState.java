package org.buddycloud.channels.roster;

/**
 * One side's view of a presence subscription with one contact (RFC 6121 §3 and Appendix A): whether
 * the user receives the contact's presence ({@code to}), whether the contact receives the user's
 * ({@code from}), the requests still waiting each way, and a pre-approval (§3.4) of a request not yet
 * made. The transitions are Appendix A's tables; a stanza that changes nothing is not passed on, which
 * is what ends the subscription ping-pong of two auto-accepting clients.
 */
public record SubscriptionState(boolean to, boolean from, boolean pendingOut, boolean pendingIn, boolean preApproved) {

    public static final SubscriptionState NONE = new SubscriptionState(false, false, false, false, false);

    /** What a subscription stanza did: the state after it, whether it goes on, and whether the server answers for the user. */
    public record Change(SubscriptionState after, boolean passOn, boolean autoReplySubscribed) {

        public boolean changed(SubscriptionState before) {
            return !after.equals(before);
        }
    }

    /** The roster's name for the state (RFC 6121 §2.1.2.5). */
    public String subscription() {
        return to ? (from ? "both" : "to") : (from ? "from" : "none");
    }

    /** The user sent {@code type} to the contact (Appendix A.2). */
    public Change outbound(SubscriptionType type) {
        return switch (type) {
            // routed even when nothing changes: the contact's side decides whether it is news (A.3.1)
            case SUBSCRIBE -> new Change(to ? this : with(to, from, true, pendingIn, preApproved), true, false);
            case SUBSCRIBED -> {
                if (from) {
                    yield unchanged();
                }
                if (pendingIn) {
                    yield new Change(with(to, true, pendingOut, false, false), true, false);
                }
                yield new Change(with(to, from, pendingOut, pendingIn, true), false, false);   // a pre-approval, kept here
            }
            case UNSUBSCRIBE -> to || pendingOut ? new Change(with(false, from, false, pendingIn, preApproved), true, false) : unchanged();
            case UNSUBSCRIBED -> {
                if (from || pendingIn) {
                    yield new Change(with(to, false, pendingOut, false, false), true, false);
                }
                yield preApproved ? new Change(with(to, from, pendingOut, pendingIn, false), false, false) : unchanged();
            }
        };
    }

    /** The contact's {@code type} reached the user (Appendix A.3): passOn means it is delivered to the user's clients. */
    public Change inbound(SubscriptionType type) {
        return switch (type) {
            case SUBSCRIBE -> {
                if (from) {
                    yield new Change(this, false, true);
                }
                if (preApproved) {
                    yield new Change(with(to, true, pendingOut, false, false), false, true);
                }
                yield pendingIn ? unchanged() : new Change(with(to, from, pendingOut, true, preApproved), true, false);
            }
            case SUBSCRIBED -> pendingOut ? new Change(with(true, from, false, pendingIn, preApproved), true, false) : unchanged();
            case UNSUBSCRIBE -> from || pendingIn ? new Change(with(to, false, pendingOut, false, false), true, false) : unchanged();
            case UNSUBSCRIBED -> to || pendingOut ? new Change(with(false, from, false, pendingIn, preApproved), true, false) : unchanged();
        };
    }

    private Change unchanged() {
        return new Change(this, false, false);
    }

    private static SubscriptionState with(boolean to, boolean from, boolean pendingOut, boolean pendingIn, boolean preApproved) {
        return new SubscriptionState(to, from, pendingOut, pendingIn, preApproved);
    }
}
