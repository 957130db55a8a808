package org.buddycloud.channels.xmpp;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.buddycloud.channels.xmpp.pubsub.ChannelServiceEndpoint;
import org.buddycloud.channels.xmpp.server.ServerIqs;
import org.buddycloud.channels.xmpp.server.UserDelivery;
import org.buddycloud.channels.xmpp.stream.ClientSession;
import org.buddycloud.channels.xmpp.stream.StanzaRouter;
import org.buddycloud.channels.xmpp.xml.XmlElement;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.DomainException;

/**
 * Where a client's stanza goes, by its {@code to}: the server, the channel service, another local
 * user. The sender's address is the session's full JID whatever the client wrote. Other domains
 * would need server-to-server federation, which is not offered yet.
 */
@ApplicationScoped
public class Router implements StanzaRouter {

    private final XmppAddresses addresses;
    private final ServerIqs server;
    private final ChannelServiceEndpoint channels;
    private final UserDelivery users;

    Router(XmppAddresses addresses, ServerIqs server, ChannelServiceEndpoint channels, UserDelivery users) {
        this.addresses = addresses;
        this.server = server;
        this.channels = channels;
        this.users = users;
    }

    @Override
    public void route(ClientSession from, XmlElement stanza) {
        stanza.attr("from", from.fullJid().toString());
        Optional<Jid> to;
        try {
            to = Stanzas.jidAttribute(stanza, "to");
        } catch (DomainException e) {
            if (!"error".equals(stanza.attr("type"))) {
                from.send(Stanzas.error(stanza.attr("to", null), "modify", "jid-malformed", "the 'to' address is not a valid JID", null));
            }
            return;
        }
        try {
            if (to.isEmpty() || addresses.isServer(to.get())) {
                toServer(from, stanza);
            } else if (addresses.isChannelService(to.get())) {
                channels.handle(stanza, from);
            } else if (addresses.isLocalUser(to.get())) {
                users.deliver(from, to.get(), stanza);
            } else if (!"error".equals(stanza.attr("type"))) {
                from.send(Stanzas.error(stanza, "cancel", "remote-server-not-found", "federation with " + to.get().domain()
                        + " is not available", null));
            }
        } catch (RuntimeException e) {
            // the handlers answer their own failures; this is for what slipped past them (a message, a presence)
            String type = stanza.attr("type");
            if (!"error".equals(type) && !"result".equals(type)) {
                from.send(IqAnswers.failure(stanza, e));
            }
        }
    }

    private void toServer(ClientSession from, XmlElement stanza) {
        switch (stanza.name()) {
            case "iq" -> {
                XmlElement reply = server.handle(from, stanza);
                if (reply != null) {
                    from.send(reply);
                }
            }
            case "presence" -> {
                if (stanza.attr("to") != null) {
                    return;
                }
                String type = stanza.attr("type");
                if (type == null) {
                    users.becameAvailable(from);
                } else if (type.equals("unavailable")) {
                    from.available(false);
                }
            }
            default -> {
                // messages to the server itself are not for anyone
            }
        }
    }
}
