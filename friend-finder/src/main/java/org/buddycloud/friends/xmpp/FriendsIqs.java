package org.buddycloud.friends.xmpp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.buddycloud.contracts.jid.InvalidJidException;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import org.buddycloud.friends.domain.LookupHashes;
import org.buddycloud.friends.service.Lookups;
import org.buddycloud.friends.service.Peppers;
import org.buddycloud.xmppkit.StanzaReplies;
import org.buddycloud.xmppkit.component.IqTable;
import org.buddycloud.xmppkit.xml.XmlElement;

/**
 * Friend finding over XMPP (PROTOCOL.md §5) at {@code friends.<domain>}: {@code <query xmlns='…/match'
 * pepper='…'><item item-hash='…'/>…</query>} is answered with {@code <item jid='…' matched-hash='…'/>} per match,
 * with the same allowance as over REST; without {@code pepper} the hashes are legacy ones (only where an operator
 * turned them on). {@code me='true'} items are not claims (those are verified, over REST) and are passed over.
 * {@code <query xmlns='…/hash_details'/>} tells the pepper.
 */
public final class FriendsIqs {

    public static final String MATCH = "http://buddycloud.com/friend_finder/match";
    public static final String HASH_DETAILS = "http://buddycloud.com/friend_finder/hash_details";

    private final Lookups lookups;
    private final Peppers peppers;

    public FriendsIqs(Lookups lookups, Peppers peppers) {
        this.lookups = lookups;
        this.peppers = peppers;
    }

    public IqTable table() {
        return IqTable.of("directory", "user", "Buddycloud friend finder")
                .get("query", MATCH, iq -> answer(iq, this::match))
                .get("query", HASH_DETAILS, iq -> answer(iq, this::hashDetails));
    }

    private interface Query {
        void answer(XmlElement iq, XmlElement query, XmlElement result);
    }

    private static XmlElement answer(XmlElement iq, Query query) {
        XmlElement request = iq.firstElement().orElseThrow();
        try {
            XmlElement reply = StanzaReplies.result(iq);
            query.answer(iq, request, reply.add("query", request.namespace()));
            return reply;
        } catch (DomainException e) {
            String type = switch (e.condition()) {
                case BAD_REQUEST -> "modify";
                case POLICY_VIOLATION -> "wait";
                case NOT_AUTHORIZED -> "auth";
                default -> "cancel";
            };
            return StanzaReplies.error(iq, type, e.condition().wireName(), e.getMessage());
        }
    }

    private void match(XmlElement iq, XmlElement query, XmlElement result) {
        Jid asker = asker(iq);
        List<String> hashes = new ArrayList<>();
        for (XmlElement item : query.elements("item", query.namespace())) {
            if (!"true".equals(item.attr("me"))) {
                hashes.add(item.attr("item-hash"));
            }
        }
        String pepper = query.attr("pepper");
        Map<String, Jid> found = pepper == null ? lookups.legacy(asker, hashes)
                : lookups.lookup(asker, LookupHashes.ALGORITHM, pepper, hashes);
        found.forEach((hash, jid) -> result.add("item").attr("jid", jid.toString()).attr("matched-hash", hash));
    }

    private void hashDetails(XmlElement iq, XmlElement query, XmlElement result) {
        result.attr("algorithm", LookupHashes.ALGORITHM).attr("pepper", peppers.current().value());
    }

    /** Lookups count against an account's allowance: a server or a component has none. */
    private static Jid asker(XmlElement iq) {
        try {
            Jid from = Jid.parse(iq.attr("from"));
            if (from.localpart().isPresent()) {
                return from.toBare();
            }
        } catch (InvalidJidException | NullPointerException e) {
            // refused below
        }
        throw new DomainException(Condition.NOT_AUTHORIZED, "only a user's account may look up friends");
    }
}
