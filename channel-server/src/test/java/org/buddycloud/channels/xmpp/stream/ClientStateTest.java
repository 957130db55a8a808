package org.buddycloud.channels.xmpp.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.buddycloud.xmppkit.xml.XmlElement;
import org.junit.jupiter.api.Test;

/** XEP-0352: what an inactive client's session holds back, and what it sends at once. */
class ClientStateTest {

    private static final String CLIENT = "jabber:client";

    private static XmlElement presence(String from, String status) {
        return XmlElement.of("presence", CLIENT).attr("from", from).addText("status", status);
    }

    private static XmlElement chatState(String from, String state) {
        XmlElement message = XmlElement.of("message", CLIENT).attr("from", from).attr("type", "chat");
        message.add(state, ClientState.CHAT_STATES);
        return message;
    }

    private static XmlElement chat(String from, String body) {
        return XmlElement.of("message", CLIENT).attr("from", from).attr("type", "chat").addText("body", body);
    }

    private static List<String> xml(List<XmlElement> stanzas) {
        return stanzas.stream().map(XmlElement::toXml).toList();
    }

    @Test
    void anActiveClientGetsEverythingAtOnce() {
        ClientState state = new ClientState(10);
        XmlElement presence = presence("romeo@localhost/a", "here");
        assertEquals(List.of(presence), state.offer(presence));
    }

    @Test
    void anInactiveClientGetsOnlyTheLatestPresenceOfEachSenderWhenItIsActiveAgain() {
        ClientState state = new ClientState(10);
        state.inactive(true);
        assertEquals(List.of(), state.offer(presence("romeo@localhost/a", "away")));
        assertEquals(List.of(), state.offer(presence("mercutio@localhost/a", "here")));
        assertEquals(List.of(), state.offer(presence("romeo@localhost/a", "back")));
        state.inactive(false);
        assertEquals(xml(List.of(presence("mercutio@localhost/a", "here"), presence("romeo@localhost/a", "back"))), xml(state.release()));
        assertEquals(List.of(), state.release());
    }

    @Test
    void messagesWithABodyIqsAndSubscriptionRequestsGoOutAtOnce() {
        ClientState state = new ClientState(10);
        state.inactive(true);
        XmlElement body = chat("romeo@localhost/a", "hello");
        XmlElement iq = XmlElement.of("iq", CLIENT).attr("type", "result").attr("id", "1");
        XmlElement subscribe = XmlElement.of("presence", CLIENT).attr("from", "romeo@localhost").attr("type", "subscribe");
        assertEquals(List.of(body), state.offer(body));
        assertEquals(List.of(iq), state.offer(iq));
        assertEquals(List.of(subscribe), state.offer(subscribe));
        assertEquals(0, state.heldCount());
    }

    @Test
    void chatStatesAreHeldAndAMessageFromTheSameSenderMakesThemStale() {
        ClientState state = new ClientState(10);
        state.inactive(true);
        assertEquals(List.of(), state.offer(chatState("romeo@localhost/a", "composing")));
        assertEquals(List.of(), state.offer(chatState("mercutio@localhost/a", "composing")));
        state.offer(chat("romeo@localhost/a", "hello"));
        assertEquals(xml(List.of(chatState("mercutio@localhost/a", "composing"))), xml(state.release()));
    }

    @Test
    void holdingMoreThanTheBoundSendsEverythingHeld() {
        ClientState state = new ClientState(2);
        state.inactive(true);
        state.offer(presence("a@localhost/x", "1"));
        state.offer(presence("b@localhost/x", "2"));
        List<XmlElement> now = state.offer(presence("c@localhost/x", "3"));
        assertEquals(3, now.size(), "everything held goes out, in order");
        assertEquals("a@localhost/x", now.get(0).attr("from"));
        assertEquals(0, state.heldCount());
    }
}
