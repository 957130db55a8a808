package org.buddycloud.channels.xmpp.routing;

import jakarta.enterprise.context.ApplicationScoped;
import org.buddycloud.channels.xmpp.IqAnswers;
import org.buddycloud.channels.xmpp.Namespaces;
import org.buddycloud.channels.xmpp.Stanzas;
import org.buddycloud.channels.xmpp.XmppAddresses;
import org.buddycloud.channels.xmpp.accept.ConnectedComponents;
import org.buddycloud.channels.xmpp.im.BlockingIq;
import org.buddycloud.channels.xmpp.im.RosterIq;
import org.buddycloud.channels.xmpp.server.Carbons;
import org.buddycloud.channels.xmpp.server.MamIqs;
import org.buddycloud.channels.xmpp.server.PushIq;
import org.buddycloud.channels.xmpp.server.TokenIq;
import org.buddycloud.channels.xmpp.server.UploadSlotIq;
import org.buddycloud.channels.xmpp.stream.ClientSession;
import org.buddycloud.channels.xmpp.stream.RegistrationHandler;
import org.buddycloud.xmppkit.xml.XmlElement;

/**
 * IQs to the server itself: service discovery (pointing at the channel service the way the
 * original did, and at the connected external components), XEP-0199 ping, version, the roster (RFC 6121), blocking (XEP-0191), session, XEP-0077 for the logged-in
 * account, the HTTP access token, and XEP-0363 upload slots.
 */
@ApplicationScoped
public class ServerIqs {

    private final XmppAddresses addresses;
    private final RegistrationHandler registration;
    private final TokenIq tokens;
    private final ConnectedComponents components;
    private final RosterIq rosterIq;
    private final BlockingIq blockingIq;
    private final MamIqs mam;
    private final Carbons carbons;
    private final AccountIqs accountIqs;
    private final UploadSlotIq uploads;
    private final PushIq pushIq;

    ServerIqs(XmppAddresses addresses, RegistrationHandler registration, TokenIq tokens, ConnectedComponents components,
              RosterIq rosterIq, BlockingIq blockingIq, MamIqs mam, Carbons carbons, AccountIqs accountIqs, UploadSlotIq uploads,
              PushIq pushIq) {
        this.accountIqs = accountIqs;
        this.uploads = uploads;
        this.pushIq = pushIq;
        this.rosterIq = rosterIq;
        this.blockingIq = blockingIq;
        this.addresses = addresses;
        this.registration = registration;
        this.tokens = tokens;
        this.components = components;
        this.mam = mam;
        this.carbons = carbons;
    }

    public XmlElement handle(ClientSession from, XmlElement iq) {
        String type = iq.attr("type");
        if (!"get".equals(type) && !"set".equals(type)) {
            return null;
        }
        XmlElement query = iq.firstElement().orElse(null);
        if (query == null) {
            return Stanzas.error(iq, "modify", "bad-request", "an IQ request has one child element", null);
        }
        return IqAnswers.answer(iq, () -> switch (query.namespace()) {
            case Namespaces.PING -> Stanzas.result(iq);
            case Namespaces.SESSION -> Stanzas.result(iq);
            case Namespaces.DISCO_INFO -> AccountInfo.askedOfAnAccount(iq) ? AccountInfo.info(iq) : info(iq);
            case Namespaces.DISCO_ITEMS -> items(iq);
            case Namespaces.VERSION -> version(iq);
            case PushIq.NAMESPACE -> pushIq.handle(from.fullJid().toBare(), iq, query);
            case Namespaces.ROSTER -> rosterIq.handle(from, iq, query);
            case Namespaces.BLOCKING -> blockingIq.handle(from, iq, query);
            case Namespaces.PUBSUB, Namespaces.PUBSUB_OWNER, Namespaces.VCARD -> accountIqs.handle(from.fullJid(), from.fullJid().toBare(), iq);
            case Namespaces.REGISTER -> registration.handle(iq, from.fullJid().toBare(), null, from.encrypted());
            case Namespaces.BUDDYCLOUD -> query.is("token", Namespaces.BUDDYCLOUD) ? tokens.handle(iq, from.fullJid())
                    : Stanzas.unsupported(iq);
            case Namespaces.CARBONS -> carbons.handle(from, iq);
            // without a 'to', a MAM request is for the user's own archive (XEP-0313 §4); the server keeps none of its own
            case Namespaces.MAM -> iq.attr("to") == null ? mam.handle(from, iq) : Stanzas.unsupported(iq);
            case UploadSlotIq.NAMESPACE -> uploads.handle(iq, query, from.fullJid());
            default -> Stanzas.unsupported(iq);
        });
    }

    /**
     * An IQ from one of our external components to the server: discovery, ping and version. What
     * concerns accounts (registration, tokens, the roster) is for users only.
     */
    public XmlElement handleForComponent(XmlElement iq) {
        String type = iq.attr("type");
        if (!"get".equals(type) && !"set".equals(type)) {
            return null;
        }
        XmlElement query = iq.firstElement().orElse(null);
        if (query == null) {
            return Stanzas.error(iq, "modify", "bad-request", "an IQ request has one child element", null);
        }
        return IqAnswers.answer(iq, () -> switch (query.namespace()) {
            case Namespaces.PING -> Stanzas.result(iq);
            case Namespaces.DISCO_INFO -> info(iq);
            case Namespaces.DISCO_ITEMS -> items(iq);
            case Namespaces.VERSION -> version(iq);
            default -> Stanzas.unsupported(iq);
        });
    }

    private XmlElement info(XmlElement iq) {
        XmlElement reply = Stanzas.result(iq);
        XmlElement query = reply.add("query", Namespaces.DISCO_INFO);
        query.add("identity").attr("category", "server").attr("type", "im").attr("name", "Buddycloud");
        for (String feature : new String[] {Namespaces.DISCO_INFO, Namespaces.DISCO_ITEMS, Namespaces.PING, Namespaces.VERSION,
                Namespaces.REGISTER, Namespaces.BUDDYCLOUD, Namespaces.BLOCKING, Namespaces.CARBONS, Namespaces.VCARD,
                UploadSlotIq.NAMESPACE, PushIq.NAMESPACE}) {
            query.add("feature").attr("var", feature);
        }
        query.append(uploads.discoForm());
        return reply;
    }

    private XmlElement items(XmlElement iq) {
        XmlElement reply = Stanzas.result(iq);
        XmlElement query = reply.add("query", Namespaces.DISCO_ITEMS);
        query.add("item").attr("jid", addresses.channelService()).attr("name", "buddycloud-server");
        // our services joined as components (the search service as directory.<domain>), while they are connected
        components.connectedNames().forEach(name -> query.add("item").attr("jid", name));
        return reply;
    }

    private static XmlElement version(XmlElement iq) {
        XmlElement reply = Stanzas.result(iq);
        reply.add("query", Namespaces.VERSION).addText("name", "Buddycloud channel server").addText("version", "0.1.0");
        return reply;
    }

}
