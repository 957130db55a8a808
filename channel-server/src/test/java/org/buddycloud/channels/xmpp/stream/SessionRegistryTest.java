package org.buddycloud.channels.xmpp.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.NotificationOptions;
import jakarta.enterprise.util.TypeLiteral;
import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.buddycloud.channels.xmpp.StanzaSink;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.xmppkit.xml.XmlElement;
import org.junit.jupiter.api.Test;

/** Who is online on one replica: a user's addresses as sessions bind and end, and the channel service's targets. */
class SessionRegistryTest {

    private static final Jid JULIET = Jid.parse("juliet@localhost");

    private final List<SessionEnded> ended = new ArrayList<>();
    private final SessionRegistry registry = new SessionRegistry(new Recorded(ended), OtherReplicas.NONE);

    @Test
    void aUsersSessionsComeAndGoOneByOne() {
        Session phone = new Session();
        Session laptop = new Session();
        phone.full = registry.bind(phone, JULIET, "phone");
        laptop.full = registry.bind(laptop, JULIET, "laptop");
        assertEquals(Set.of(phone, laptop), Set.copyOf(registry.localSessionsOf(JULIET)));

        registry.unbind(phone);
        assertEquals(List.of(laptop), registry.localSessionsOf(JULIET));
        registry.unbind(laptop);
        assertEquals(List.of(), registry.localSessionsOf(JULIET));
        assertEquals(2, ended.size());
        assertEquals(0, registry.sessionCount());
    }

    @Test
    void aResourceInUseGetsASuffixAndBothAddressesAreTheUsers() {
        Session first = new Session();
        Session second = new Session();
        first.full = registry.bind(first, JULIET, "balcony");
        second.full = registry.bind(second, JULIET, "balcony");
        assertEquals(2, Set.of(first.full, second.full).size());
        assertEquals(Set.of(first, second), Set.copyOf(registry.localSessionsOf(JULIET)));
    }

    @Test
    void theChannelServiceDeliversToTheAddressesThatSentItPresenceUntilTheyLeave() {
        Jid phone = Jid.parse("juliet@localhost/phone");
        Jid laptop = Jid.parse("juliet@localhost/laptop");
        StanzaSink link = stanza -> { };
        registry.channelPresence(phone, link, true);
        registry.channelPresence(laptop, link, true);
        assertEquals(Set.of(phone, laptop), registry.channelTargets(JULIET).keySet());

        registry.channelPresence(phone, null, false);
        assertEquals(Set.of(laptop), registry.channelTargets(JULIET).keySet());
        registry.dropChannelTargets(JULIET, link);
        assertEquals(Set.of(), registry.channelTargets(JULIET).keySet());
        assertEquals(Set.of(), registry.channelUsersVia(link, 10));
    }

    private static final class Session implements ClientSession {
        Jid full;

        @Override
        public Jid fullJid() {
            return full;
        }

        @Override
        public boolean available() {
            return true;
        }

        @Override
        public void available(boolean available) {
        }

        @Override
        public boolean encrypted() {
            return false;
        }

        @Override
        public boolean trySend(XmlElement stanza) {
            return true;
        }

        @Override
        public void send(XmlElement stanza) {
        }

        @Override
        public void close(String streamErrorCondition, String text) {
        }
    }

    /** The CDI event, recorded. */
    private record Recorded(List<SessionEnded> fired) implements Event<SessionEnded> {
        @Override
        public void fire(SessionEnded event) {
            fired.add(event);
        }

        @Override
        public <U extends SessionEnded> CompletionStage<U> fireAsync(U event) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <U extends SessionEnded> CompletionStage<U> fireAsync(U event, NotificationOptions options) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Event<SessionEnded> select(Annotation... qualifiers) {
            return this;
        }

        @Override
        public <U extends SessionEnded> Event<U> select(Class<U> subtype, Annotation... qualifiers) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <U extends SessionEnded> Event<U> select(TypeLiteral<U> subtype, Annotation... qualifiers) {
            throw new UnsupportedOperationException();
        }
    }
}
