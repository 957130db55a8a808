package org.buddycloud.channels.domain;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.buddycloud.contracts.access.Audience;
import org.buddycloud.contracts.access.Permissions;
import org.buddycloud.contracts.events.EventOutbox;
import org.buddycloud.contracts.problem.AppCondition;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;

/** What every channel use case works with: the stores, the events, the one access rule (and who hears of what), the policy and the clock. */
abstract class ChannelCore {

    protected final ChannelStore channels;
    protected final MembershipStore memberships;
    protected final PostStore posts;
    protected final ChannelEvents events;
    protected final Permissions permissions;
    protected final Audience audience;
    protected final ChannelPolicy policy;
    private final Clock clock;

    ChannelCore(ChannelStores stores, EventOutbox outbox, ChannelPolicy policy, Clock clock) {
        this.channels = stores.channels();
        this.memberships = stores.memberships();
        this.posts = stores.posts();
        this.events = new ChannelEvents(outbox, policy.domain());
        this.permissions = new Permissions(policy.domain());
        this.audience = new Audience(permissions);
        this.policy = policy;
        this.clock = clock;
    }

    protected NodeConfig config(NodeName node) {
        return channels.config(node).orElseThrow(() -> new DomainException(Condition.ITEM_NOT_FOUND, "no node " + node));
    }

    /**
     * Refuses a change to a copy of another domain's channel (the inbox): its own server alone decides about it, and
     * only {@link InboxService} applies what that server said.
     */
    protected void requireOurs(NodeName node) {
        if (!policy.hosts(node.channel())) {
            throw new DomainException(Condition.NOT_ALLOWED, node + " belongs to " + node.channel().domain()
                    + ": it is changed through that domain's channel service");
        }
    }

    /** A post's content as the policy accepts it: some, and not too much. */
    protected String content(String content) {
        if (content == null || content.isBlank()) {
            throw new DomainException(Condition.BAD_REQUEST, AppCondition.CONTENT_ELEMENT_REQUIRED, "a post needs content");
        }
        if (content.length() > policy.maxContentLength()) {
            throw new DomainException(Condition.PAYLOAD_TOO_BIG, AppCondition.PAYLOAD_TOO_BIG,
                    "a post's content may have at most " + policy.maxContentLength() + " characters");
        }
        return content;
    }

    /** PostgreSQL keeps microseconds: times are cut there, so what is returned equals what is stored. */
    protected Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
