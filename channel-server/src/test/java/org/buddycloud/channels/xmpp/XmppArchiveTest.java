package org.buddycloud.channels.xmpp;

import static io.restassured.RestAssured.given;
import static org.buddycloud.channels.xmpp.XmppTestSupport.account;
import static org.buddycloud.channels.xmpp.XmppTestSupport.port;
import static org.buddycloud.channels.xmpp.XmppTestSupport.smack;
import static org.buddycloud.channels.xmpp.XmppTestSupport.tls;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.arc.Arc;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.buddycloud.channels.ShiftableClock;
import org.buddycloud.channels.xmpp.server.MessageArchive;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.buddycloud.testsupport.KafkaTestResource;
import org.buddycloud.testsupport.PostgresTestResource;
import org.buddycloud.xmppkit.xml.XmlElement;
import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.chat2.Chat;
import org.jivesoftware.smack.chat2.ChatManager;
import org.jivesoftware.smack.filter.MessageTypeFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.forward.packet.Forwarded;
import org.jivesoftware.smackx.mam.MamManager;
import org.jivesoftware.smackx.mam.MamManager.MamQuery;
import org.jivesoftware.smackx.mam.MamManager.MamQueryArgs;
import org.jivesoftware.smackx.mam.element.MamPrefsIQ.DefaultBehavior;
import org.jivesoftware.smackx.sid.element.StanzaIdElement;
import org.jivesoftware.smackx.xdata.FormField;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;

/** XEP-0313 archives of one-to-one chat, read with Smack's MamManager and, for the edge cases, a raw client. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class XmppArchiveTest {

    @Inject
    ShiftableClock clock;

    @Test
    void herArchivePagesForwardAndFromTheEndWithResultSetManagement() throws Exception {
        Login romeo = account("romeo");
        Login juliet = account("juliet");
        XMPPTCPConnection romeoClient = smack(romeo);
        XMPPTCPConnection julietClient = smack(juliet);
        try {
            send(romeoClient, juliet, "one", "two", "three", "four", "five", "six", "seven");
            MamManager mam = MamManager.getInstanceFor(julietClient);
            assertTrue(mam.isSupported(), "her account's disco#info lists urn:xmpp:mam:2");

            MamQuery query = mam.queryArchive(MamQueryArgs.builder().setResultPageSize(3).build());
            assertEquals(List.of("one", "two", "three"), bodies(query.getMessages()));
            assertFalse(query.isComplete());
            assertEquals(7, query.getPage().getMamFinIq().getRSMSet().getCount());
            assertEquals(List.of("four", "five", "six"), bodies(query.pageNext(3)));
            assertFalse(query.isComplete());
            assertEquals(List.of("seven"), bodies(query.pageNext(3)));
            assertTrue(query.isComplete(), "the third page reaches the end");
            assertEquals(List.of("four", "five", "six"), bodies(query.pagePrevious(3)), "and back");

            MamQuery last = mam.queryMostRecentPage(JidCreate.entityBareFrom(romeo.jid()), 3);
            assertEquals(List.of("five", "six", "seven"), bodies(last.getMessages()), "the last page, oldest first");
            assertEquals(List.of("two", "three", "four"), bodies(last.pagePrevious(3)));

            Message archived = query.getPage().getMessages().get(0);
            assertEquals(romeoClient.getUser().toString(), archived.getFrom().toString(), "the message as it was sent");
            assertNotNull(query.getPage().getForwarded().get(0).getDelayInformation(), "with the time it was archived");

            MamQuery romeos = MamManager.getInstanceFor(romeoClient).queryArchive(MamQueryArgs.builder().build());
            assertEquals(List.of("one", "two", "three", "four", "five", "six", "seven"), bodies(romeos.getMessages()),
                    "the sender's archive has them too");
            assertTrue(romeos.isComplete());
        } finally {
            romeoClient.disconnect();
            julietClient.disconnect();
        }
    }

    @Test
    void withFilterAndTimeRangeNarrowTheArchive() throws Exception {
        Login romeo = account("romeo");
        Login paris = account("paris");
        Login juliet = account("juliet");
        XMPPTCPConnection romeoClient = smack(romeo);
        XMPPTCPConnection parisClient = smack(paris);
        XMPPTCPConnection julietClient = smack(juliet);
        try {
            // a minute apart, so that each message has a time of its own
            send(romeoClient, juliet, "romeo 1");
            clock.shift(Duration.ofMinutes(1));
            send(parisClient, juliet, "paris 1");
            clock.shift(Duration.ofMinutes(1));
            send(romeoClient, juliet, "romeo 2");
            clock.shift(Duration.ofMinutes(1));
            send(parisClient, juliet, "paris 2");
            MamManager mam = MamManager.getInstanceFor(julietClient);
            MamQuery withRomeo = mam.queryArchive(MamQueryArgs.builder().limitResultsToJid(JidCreate.entityBareFrom(romeo.jid())).build());
            assertEquals(List.of("romeo 1", "romeo 2"), bodies(withRomeo.getMessages()));
            assertEquals(2, withRomeo.getPage().getMamFinIq().getRSMSet().getCount());

            List<Forwarded<Message>> all = mam.queryArchive(MamQueryArgs.builder().build()).getPage().getForwarded();
            Date second = all.get(1).getDelayInformation().getStamp();
            Date third = all.get(2).getDelayInformation().getStamp();
            assertEquals(List.of("paris 1", "romeo 2"), bodies(mam.queryArchive(MamQueryArgs.builder().limitResultsSince(second)
                    .limitResultsBefore(third).build()).getMessages()), "start and end are inclusive");
            assertEquals(List.of("romeo 2", "paris 2"), bodies(mam.queryArchive(MamQueryArgs.builder().limitResultsSince(third)
                    .build()).getMessages()));
        } finally {
            clock.reset();
            romeoClient.disconnect();
            parisClient.disconnect();
            julietClient.disconnect();
        }
    }

    @Test
    void aMessageSentWhileSheWasOfflineIsInHerArchiveAndCarriesItsId() throws Exception {
        Login romeo = account("romeo");
        Login juliet = account("juliet");
        XMPPTCPConnection romeoClient = smack(romeo);
        try {
            send(romeoClient, juliet, "I will come at nine");
        } finally {
            romeoClient.disconnect();
        }
        XMPPTCPConnection julietClient = new XMPPTCPConnection(XmppTestSupport.smackConfig(juliet, juliet.password())
                .addEnabledSaslMechanism("SCRAM-SHA-1").setSendPresence(false).build());
        try {
            julietClient.connect().login();
            StanzaCollector chats = julietClient.createStanzaCollector(MessageTypeFilter.CHAT);
            julietClient.sendStanza(julietClient.getStanzaFactory().buildPresenceStanza().build());
            Message kept = chats.nextResult(10_000);
            assertNotNull(kept, "the kept message was not delivered at login");
            StanzaIdElement stanzaId = StanzaIdElement.getStanzaId(kept);
            assertNotNull(stanzaId, "the delivered message names its place in her archive");
            assertEquals(juliet.jid(), stanzaId.getBy());

            MamQuery archive = MamManager.getInstanceFor(julietClient).queryArchive(MamQueryArgs.builder().build());
            assertEquals(List.of("I will come at nine"), bodies(archive.getMessages()));
            assertEquals(stanzaId.getId(), archive.getMamResultExtensions().get(0).getId(), "the same id as in the archive");
        } finally {
            julietClient.disconnect();
        }
    }

    @Test
    void prefsNeverStopsArchivingHerMessagesButNotHis() throws Exception {
        Login romeo = account("romeo");
        Login juliet = account("juliet");
        XMPPTCPConnection romeoClient = smack(romeo);
        XMPPTCPConnection julietClient = smack(juliet);
        try {
            MamManager mam = MamManager.getInstanceFor(julietClient);
            assertEquals(DefaultBehavior.always, mam.retrieveArchivingPreferences().mamPrefs.getDefault());
            mam.setDefaultBehavior(DefaultBehavior.never);
            assertEquals(DefaultBehavior.never, mam.retrieveArchivingPreferences().mamPrefs.getDefault(), "kept");

            BlockingQueue<Message> julietReads = new LinkedBlockingQueue<>();
            ChatManager.getInstanceFor(julietClient).addIncomingListener((from, message, chat) -> julietReads.add(message));
            send(romeoClient, juliet, "not for the record");
            Message received = julietReads.poll(10, TimeUnit.SECONDS);
            assertNotNull(received);
            assertNull(StanzaIdElement.getStanzaId(received), "no archive id when she keeps no archive");

            MamQuery hers = mam.queryArchive(MamQueryArgs.builder().build());
            assertEquals(List.of(), hers.getMessages());
            assertEquals(List.of("not for the record"),
                    bodies(MamManager.getInstanceFor(romeoClient).queryArchive(MamQueryArgs.builder().build()).getMessages()));
        } finally {
            romeoClient.disconnect();
            julietClient.disconnect();
        }
    }

    @Test
    void theQueryFormNamesItsFields() throws Exception {
        Login juliet = account("juliet");
        XMPPTCPConnection julietClient = smack(juliet);
        try {
            List<String> fields = MamManager.getInstanceFor(julietClient).retrieveFormFields().stream().map(FormField::getFieldName).toList();
            assertTrue(fields.containsAll(List.of("FORM_TYPE", "with", "start", "end")), fields.toString());
        } finally {
            julietClient.disconnect();
        }
    }

    @Test
    void anUnknownPageMarkIsItemNotFoundAndAForgedStanzaIdIsDropped() throws Exception {
        Login romeo = account("romeo");
        Login juliet = account("juliet");
        try (RawClient romeoRaw = RawClient.login(port(), tls(), "SCRAM-SHA-1", romeo.username(), romeo.password());
             RawClient julietRaw = RawClient.login(port(), tls(), "SCRAM-SHA-1", juliet.username(), juliet.password())) {
            julietRaw.send("<presence/>");
            julietRaw.iq("<iq type='get' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>");

            XmlElement unknown = julietRaw.iq("<iq type='set' to='" + juliet.jid() + "'><query xmlns='urn:xmpp:mam:2' queryid='q1'>"
                    + "<set xmlns='http://jabber.org/protocol/rsm'><max>5</max><after>no-such-id</after></set></query></iq>");
            assertEquals("error", unknown.attr("type"));
            assertTrue(unknown.element("error", "jabber:client").orElseThrow()
                    .element("item-not-found", "urn:ietf:params:xml:ns:xmpp-stanzas").isPresent(), unknown.toXml());

            romeoRaw.send("<message type='chat' to='" + juliet.jid() + "'><body>trust me</body>"
                    + "<stanza-id xmlns='urn:xmpp:sid:0' by='" + juliet.jid() + "' id='forged'/></message>");
            XmlElement received = julietRaw.expect(e -> e.name().equals("message"), Duration.ofSeconds(10));
            List<XmlElement> ids = received.elements("stanza-id", "urn:xmpp:sid:0");
            assertEquals(1, ids.size(), received.toXml());
            assertNotEquals("forged", ids.get(0).attr("id"));

            XmlElement page = julietRaw.iq("<iq type='set'><query xmlns='urn:xmpp:mam:2' queryid='q2'>"
                    + "<set xmlns='http://jabber.org/protocol/rsm'><before/></set></query></iq>");
            assertEquals("result", page.attr("type"), page.toXml());
            XmlElement fin = page.element("fin", "urn:xmpp:mam:2").orElseThrow();
            assertEquals("true", fin.attr("complete"));
            assertEquals(ids.get(0).attr("id"), fin.element("set", "http://jabber.org/protocol/rsm").orElseThrow()
                    .childText("last", "http://jabber.org/protocol/rsm").orElseThrow());

            XmlElement byId = julietRaw.iq("<iq type='set' to='" + juliet.jid() + "'><query xmlns='urn:xmpp:mam:2' queryid='q3'>"
                    + "<x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE' type='hidden'><value>urn:xmpp:mam:2</value></field>"
                    + "<field var='ids'><value>" + ids.get(0).attr("id") + "</value></field></x></query></iq>");
            assertEquals("result", byId.attr("type"), byId.toXml());
            XmlElement result = julietRaw.expect(e -> e.name().equals("message") && e.element("result", "urn:xmpp:mam:2")
                    .map(r -> "q3".equals(r.attr("queryid"))).orElse(false), Duration.ofSeconds(1)).element("result", "urn:xmpp:mam:2").orElseThrow();
            assertEquals(ids.get(0).attr("id"), result.attr("id"));
            assertEquals("trust me", result.element("forwarded", "urn:xmpp:forward:0").orElseThrow()
                    .element("message", "jabber:client").orElseThrow().childText("body", "jabber:client").orElseThrow());
        }
    }

    @Test
    void herArchiveAndPreferencesGoWithHerAccount() throws Exception {
        Login romeo = account("romeo");
        Login juliet = account("juliet");
        XMPPTCPConnection romeoClient = smack(romeo);
        XMPPTCPConnection julietClient = smack(juliet);
        try {
            send(romeoClient, juliet, "remember me");
            MamManager.getInstanceFor(julietClient).setDefaultBehavior(DefaultBehavior.roster);
        } finally {
            julietClient.disconnect();
        }
        try {
            MessageArchive archive = Arc.container().instance(MessageArchive.class).get();
            Jid julietJid = Jid.parse(juliet.jid());
            Jid romeoJid = Jid.parse(romeo.jid());
            assertEquals(1, archive.query(everything(julietJid)).count());
            given().auth().oauth2(juliet.accessToken()).delete("/account").then().statusCode(204);
            assertEquals(0, archive.query(everything(julietJid)).count(), "her archive was deleted with her account");
            assertEquals(Map.of(), archive.prefs(List.of(julietJid)), "and her preferences");
            assertEquals(1, archive.query(everything(romeoJid)).count(), "his archive is his");
        } finally {
            romeoClient.disconnect();
        }
    }

    private static MessageArchive.Query everything(Jid owner) {
        return new MessageArchive.Query(owner, null, null, null, null, null, List.of(), 10, null, null, false);
    }

    /** Sends the messages as chat and waits until the server handled them (a round trip on the same stream). */
    private static void send(XMPPTCPConnection from, Login to, String... bodies) throws Exception {
        Chat chat = ChatManager.getInstanceFor(from).chatWith(JidCreate.entityBareFrom(to.jid()));
        for (String body : bodies) {
            chat.send(body);
        }
        XmppTestSupport.ping(from);
    }

    private static List<String> bodies(List<Message> messages) {
        return messages.stream().map(Message::getBody).toList();
    }
}
