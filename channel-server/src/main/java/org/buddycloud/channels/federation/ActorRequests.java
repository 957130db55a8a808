package org.buddycloud.channels.federation;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.buddycloud.channels.xmpp.IqAnswers;
import org.buddycloud.channels.xmpp.Namespaces;
import org.buddycloud.channels.xmpp.StanzaSink;
import org.buddycloud.channels.xmpp.Stanzas;
import org.buddycloud.channels.xmpp.s2s.S2sLinks;
import org.buddycloud.channels.xmpp.stream.XmppServer;
import org.buddycloud.contracts.access.Actor;
import org.buddycloud.contracts.jid.InvalidJidException;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.xmppkit.xml.XmlElement;

/**
 * Requests another domain's channel server makes for one of its users ({@code <actor/>}, PROTOCOL.md §1.13): believed
 * only when the sender is the channel server of the actor's domain (discovered, §1.1.5) and the actor is not one of
 * ours; then answered by our own rules, as for that user. Users of a domain with a channel server of its own follow
 * through it, not directly: their own server keeps the copy that tells them.
 */
@ApplicationScoped
public class ActorRequests {

    private final ChannelServerDiscovery discovery;
    private final S2sLinks links;
    private final XmppServer server;

    ActorRequests(ChannelServerDiscovery discovery, S2sLinks links, XmppServer server) {
        this.discovery = discovery;
        this.links = links;
        this.server = server;
    }

    /** The {@code <actor/>} of a request, if it names one. */
    public static Optional<XmlElement> actorOf(XmlElement query) {
        return query.element("actor", Namespaces.BUDDYCLOUD);
    }

    /**
     * Answers {@code iq} from {@code sender} (another domain's service) for the actor it names, with {@code handler}
     * once the sender is believed; the answer goes to {@code reply}.
     */
    public void handle(XmlElement iq, XmlElement actorElement, Jid sender, StanzaSink reply, Function<Actor, XmlElement> handler) {
        Jid actor;
        try {
            actor = Jid.parse(actorElement.text().trim()).toBare();
        } catch (InvalidJidException e) {
            reply.send(Stanzas.error(iq, "modify", "bad-request", "the actor is not a JID", null));
            return;
        }
        if (links.hosts(actor.domain())) {
            reply.send(Stanzas.error(iq, "auth", "forbidden", "a remote server cannot act for a user of ours", null));
            return;
        }
        authorize(actor.domain(), sender).whenCompleteAsync((believed, failure) -> {
            if (failure != null || !Boolean.TRUE.equals(believed)) {
                reply.send(Stanzas.error(iq, "auth", "forbidden", sender + " is not the channel server of " + actor.domain(), null));
                return;
            }
            answerAs(Actor.of(actor), iq, reply, handler);
        }, server.pool());
    }

    /**
     * A request straight from a remote user: refused (registration-required) when the user's domain has a channel
     * server, through which its users follow; else (a plain XMPP server such as Prosody) answered as for that user.
     */
    public void direct(XmlElement iq, Jid user, StanzaSink reply, Function<Actor, XmlElement> handler) {
        discovery.channelService(user.domain()).exceptionally(failure -> Optional.empty()).whenCompleteAsync((service, failure) -> {
            if (service != null && service.isPresent()) {
                reply.send(Stanzas.error(iq, "auth", "registration-required",
                        "users of " + user.domain() + " follow through their own channel server " + service.get(), null));
                return;
            }
            answerAs(Actor.of(user.toBare()), iq, reply, handler);
        }, server.pool());
    }

    /** The handler's answer for {@code actor} (or the error it failed with), to {@code reply}. */
    private static void answerAs(Actor actor, XmlElement iq, StanzaSink reply, Function<Actor, XmlElement> handler) {
        XmlElement answer = IqAnswers.answer(iq, () -> handler.apply(actor));
        if (answer != null) {
            reply.send(answer);
        }
    }

    private CompletableFuture<Boolean> authorize(String actorDomain, Jid sender) {
        if (sender.localpart().isPresent() || sender.resource().isPresent()) {
            return CompletableFuture.completedFuture(false);
        }
        return discovery.isChannelServiceOf(actorDomain, sender.toString());
    }
}
