package org.buddycloud.channels.xmpp.routing;

import jakarta.enterprise.context.ApplicationScoped;
import org.buddycloud.channels.service.PepTransactions;
import org.buddycloud.channels.service.RosterTransactions;
import org.buddycloud.channels.xmpp.IqAnswers;
import org.buddycloud.channels.xmpp.Namespaces;
import org.buddycloud.channels.xmpp.Stanzas;
import org.buddycloud.channels.xmpp.im.VcardIq;
import org.buddycloud.channels.xmpp.pep.PepIqs;
import org.buddycloud.channels.xmpp.server.MamIqs;
import org.buddycloud.channels.xmpp.server.PushIq;
import org.buddycloud.channels.xmpp.stream.ClientSession;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.xmppkit.xml.XmlElement;

/**
 * IQ requests addressed to an account's bare JID, which the server answers for the account (RFC
 * 6121 §8.5.1): its personal pubsub service (XEP-0163), its vCard, its archive (XEP-0313, the owner's
 * alone), and discovery of them. The user's
 * own requests without a 'to' come here too, with the user as the account.
 */
@ApplicationScoped
public class AccountIqs {

    private final PepIqs pep;
    private final VcardIq vcard;
    private final PepTransactions nodes;
    private final RosterTransactions rosters;
    private final MamIqs mam;
    private final ServerIqs server;

    AccountIqs(PepIqs pep, VcardIq vcard, PepTransactions nodes, RosterTransactions rosters, MamIqs mam, ServerIqs server) {
        this.mam = mam;
        this.server = server;
        this.pep = pep;
        this.vcard = vcard;
        this.nodes = nodes;
        this.rosters = rosters;
    }

    /** Whether the request is one this class answers (by its child's namespace). */
    public static boolean answers(XmlElement query) {
        return switch (query.namespace()) {
            case Namespaces.PUBSUB, Namespaces.PUBSUB_OWNER, Namespaces.VCARD -> true;
            default -> false;
        };
    }

    /**
     * A request a user sent to her own bare JID (RFC 6121 §10.3.3): her archive (XEP-0313), her
     * personal service and vCard, discovery, and anything else as if sent to the server.
     */
    public XmlElement handleOwn(ClientSession from, XmlElement iq) {
        String type = iq.attr("type");
        if (!"get".equals(type) && !"set".equals(type)) {
            return null;
        }
        XmlElement query = iq.firstElement().orElse(null);
        if (query == null) {
            return Stanzas.error(iq, "modify", "bad-request", "an IQ request has one child element", null);
        }
        if (query.namespace().equals(Namespaces.MAM)) {
            return IqAnswers.answer(iq, () -> mam.handle(from, iq));
        }
        if (answers(query) || query.namespace().equals(Namespaces.DISCO_INFO) || query.namespace().equals(Namespaces.DISCO_ITEMS)) {
            return handle(from.fullJid(), from.fullJid().toBare(), iq);
        }
        return server.handle(from, iq);
    }

    /** A request to an account's bare JID, from anyone (the account's owner too). */
    public XmlElement handle(Jid actor, Jid account, XmlElement iq) {
        XmlElement query = iq.firstElement().orElse(null);
        if (query == null) {
            return Stanzas.error(iq, "modify", "bad-request", "an IQ request has one child element", null);
        }
        return IqAnswers.answer(iq, () -> switch (query.namespace()) {
            case Namespaces.PUBSUB, Namespaces.PUBSUB_OWNER -> pep.handle(actor, account.toBare(), iq, query);
            case Namespaces.VCARD -> vcard.handle(actor, account.toBare(), iq, query);
            case Namespaces.DISCO_INFO -> info(iq, query);
            case Namespaces.DISCO_ITEMS -> items(actor, account.toBare(), iq);
            default -> Stanzas.unsupported(iq);
        });
    }

    private static XmlElement info(XmlElement iq, XmlElement request) {
        XmlElement reply = Stanzas.result(iq);
        XmlElement query = reply.add("query", Namespaces.DISCO_INFO);
        if (request.attr("node") != null) {
            query.attr("node", request.attr("node"));
        }
        query.add("identity").attr("category", "account").attr("type", "registered");
        query.add("identity").attr("category", "pubsub").attr("type", "pep");
        for (String feature : new String[] {Namespaces.DISCO_INFO, Namespaces.DISCO_ITEMS, Namespaces.VCARD,
                Namespaces.PUBSUB + "#publish", Namespaces.PUBSUB + "#auto-create", Namespaces.PUBSUB + "#auto-subscribe", Namespaces.PUBSUB + "#create-nodes",
                Namespaces.PUBSUB + "#retrieve-items", Namespaces.PUBSUB + "#retract-items", Namespaces.PUBSUB + "#delete-nodes",
                Namespaces.PUBSUB + "#config-node", Namespaces.PUBSUB + "#persistent-items", Namespaces.PUBSUB_PUBLISH_OPTIONS,
                Namespaces.PUBSUB + "#access-presence", Namespaces.PUBSUB + "#access-open", Namespaces.PUBSUB + "#access-whitelist",
                Namespaces.PUBSUB + "#last-published", Namespaces.PUBSUB + "#item-ids", Namespaces.PUBSUB + "#filtered-notifications",
                Namespaces.MAM, Namespaces.MAM_EXTENDED, Namespaces.STANZA_ID, PushIq.NAMESPACE}) {
            query.add("feature").attr("var", feature);
        }
        return reply;
    }

    /** The account's nodes the asker may read. */
    private XmlElement items(Jid actor, Jid account, XmlElement iq) {
        boolean own = actor.toBare().equals(account);
        boolean subscribed = !own && rosters.state(account, actor).from();
        XmlElement reply = Stanzas.result(iq);
        XmlElement query = reply.add("query", Namespaces.DISCO_ITEMS);
        nodes.nodes(account).stream().filter(node -> node.access().allows(own, subscribed))
                .forEach(node -> query.add("item").attr("jid", account).attr("node", node.name()));
        return reply;
    }
}
