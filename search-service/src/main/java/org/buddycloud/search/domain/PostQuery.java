package org.buddycloud.search.domain;

import java.util.Set;
import org.buddycloud.contracts.jid.Jid;

/**
 * Full text over posts ({@code content_query}).
 *
 * @param author  only posts written by this JID, or null
 * @param channel only posts of this channel, or null
 * @param within  only posts of these channels (what the caller follows), or null for all it may read
 */
public record PostQuery(SearchText text, Order order, Jid author, Jid channel, Set<Jid> within, Page page) {

    public enum Order {
        /** Best matches first. */
        RELEVANCE,
        /** Latest first, by the time of the last edit, as the old directory sorted. */
        NEWEST
    }

    public PostQuery {
        within = within == null ? null : Set.copyOf(within);
    }
}
