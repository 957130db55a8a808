package org.buddycloud.channels.xmpp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.xmppkit.xml.Fragments;
import org.buddycloud.xmppkit.xml.XmlElement;
import org.junit.jupiter.api.Test;

/** Which messages are archived and copied, and what a client may not write into one: no Quarkus, no network. */
class MessageRulesTest {

    private static XmlElement message(String xml) throws Exception {
        return Fragments.parse(xml.replaceFirst("<message", "<message xmlns='jabber:client'"), 65536, 16);
    }

    @Test
    void chatAndNormalWithABodyAreArchivedTypingAloneAndNoStoreAreNot() throws Exception {
        assertTrue(MessageRules.archivable(message("<message type='chat'><body>hi</body></message>")));
        assertTrue(MessageRules.archivable(message("<message><body>hi</body></message>")), "normal is the default type");
        assertFalse(MessageRules.archivable(message("<message type='normal'/>")));
        assertFalse(MessageRules.archivable(message("<message type='chat'><composing xmlns='http://jabber.org/protocol/chatstates'/></message>")));
        assertTrue(MessageRules.archivable(message("<message type='chat'><received xmlns='urn:xmpp:receipts' id='1'/></message>")));
        assertFalse(MessageRules.archivable(message("<message type='chat'><body>x</body><no-store xmlns='urn:xmpp:hints'/></message>")));
        assertFalse(MessageRules.archivable(message("<message type='chat'><body>x</body><no-permanent-store xmlns='urn:xmpp:hints'/></message>")));
        for (String type : List.of("groupchat", "headline", "error")) {
            assertFalse(MessageRules.archivable(message("<message type='" + type + "'><body>x</body></message>")), type);
        }
    }

    @Test
    void copiesFollowXep0280Section6() throws Exception {
        assertTrue(MessageRules.copiedToOtherClients(message("<message type='chat'/>")));
        assertTrue(MessageRules.copiedToOtherClients(message("<message><body>x</body></message>")));
        assertFalse(MessageRules.copiedToOtherClients(message("<message/>")));
        assertFalse(MessageRules.copiedToOtherClients(message("<message type='headline'><body>x</body></message>")));
        assertFalse(MessageRules.copiedToOtherClients(message("<message type='chat'><body>x</body><private xmlns='urn:xmpp:carbons:2'/></message>")));
        assertFalse(MessageRules.copiedToOtherClients(message("<message type='chat'><body>x</body><no-copy xmlns='urn:xmpp:hints'/></message>")));
    }

    @Test
    void whatOnlyTheServerWritesIsTakenOut() throws Exception {
        Set<Jid> ours = Set.of(Jid.parse("juliet@localhost"), Jid.parse("localhost"));
        XmlElement cleaned = MessageRules.cleaned(message("<message type='chat' to='juliet@localhost'><body>x</body>"
                + "<stanza-id xmlns='urn:xmpp:sid:0' by='juliet@localhost' id='forged'/>"
                + "<stanza-id xmlns='urn:xmpp:sid:0' by='elsewhere.example' id='theirs'/>"
                + "<private xmlns='urn:xmpp:carbons:2'/>"
                + "<sent xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'/></sent>"
                + "<received xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'/></received></message>"), ours::contains);
        assertEquals("<message xmlns=\"jabber:client\" type=\"chat\" to=\"juliet@localhost\"><body>x</body>"
                + "<stanza-id xmlns=\"urn:xmpp:sid:0\" by=\"elsewhere.example\" id=\"theirs\"/></message>", cleaned.toXml());
    }

    @Test
    void neverWinsOverAlwaysAndRosterNeedsTheContactInTheRoster() {
        Jid romeo = Jid.parse("romeo@localhost");
        Jid paris = Jid.parse("paris@localhost");
        ArchivePrefs prefs = new ArchivePrefs(ArchivePrefs.Mode.ROSTER, Set.of(romeo, paris), Set.of(paris));
        assertTrue(prefs.archives(Jid.parse("romeo@localhost/phone"), false));
        assertFalse(prefs.archives(paris, true));
        assertTrue(prefs.archives(Jid.parse("nurse@localhost"), true));
        assertFalse(prefs.archives(Jid.parse("nurse@localhost"), false));
        assertFalse(ArchivePrefs.byDefault(ArchivePrefs.Mode.NEVER).archives(romeo, true));
        assertTrue(ArchivePrefs.byDefault(ArchivePrefs.Mode.ALWAYS).archives(romeo, false));
    }
}
