package org.buddycloud.channels.atom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.buddycloud.channels.domain.NodeName;
import org.buddycloud.channels.domain.Post;
import org.buddycloud.channels.domain.PostDraft;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.AppCondition;
import org.buddycloud.contracts.problem.DomainException;
import org.junit.jupiter.api.Test;

class AtomEntriesTest {

    private static final AtomEntries ATOM = new AtomEntries("example.com");
    private static final NodeName POSTS = NodeName.parse("/user/juliet@example.com/posts");

    @Test
    void readsWhatAClientSends() {
        PostDraft draft = ATOM.parse("""
                <entry xmlns="http://www.w3.org/2005/Atom" xmlns:thr="http://purl.org/syndication/thread/1.0"
                       xmlns:activity="http://activitystrea.ms/spec/1.0/" xmlns:review="http://activitystrea.ms/schema/1.0/review">
                  <title>Re</title>
                  <content type="text">Wherefore &amp; why</content>
                  <author><name>someone@else.org</name></author>
                  <thr:in-reply-to ref="tag:example.com,/user/juliet@example.com/posts,p1"/>
                  <activity:target><id>p1</id></activity:target>
                  <review:rating>4</review:rating>
                  <geoloc xmlns="http://jabber.org/protocol/geoloc"><lat>45.43</lat><lon>10.99</lon><text>Verona</text></geoloc>
                  <bcm:media xmlns:bcm="http://buddycloud.org/v1/media"><bcm:item id="m1" channel="juliet@example.com"/></bcm:media>
                  <meta xmlns="urn:example:app" kind="x">kept</meta>
                </entry>""");
        assertEquals("Wherefore & why", draft.content());
        assertEquals("text", draft.contentType());
        assertEquals("tag:example.com,/user/juliet@example.com/posts,p1", draft.inReplyTo());
        assertEquals("p1", draft.targetId());
        assertEquals("4", draft.rating());
        assertEquals(new Post.Geoloc(45.43, 10.99, "Verona"), draft.geoloc());
        assertEquals(List.of(new Post.MediaRef(Jid.parse("juliet@example.com"), "m1")), draft.media());
        assertTrue(draft.extensions().contains("urn:example:app") && draft.extensions().contains("kept"), draft.extensions());
    }

    @Test
    void refusesDtdsAndEntitiesAndAnythingButAnEntry() {
        String xxe = "<?xml version='1.0'?><!DOCTYPE e [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>"
                + "<entry xmlns='http://www.w3.org/2005/Atom'><content>&x;</content></entry>";
        assertThrows(DomainException.class, () -> ATOM.parse(xxe));
        String laughs = "<!DOCTYPE l [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;'>]>"
                + "<entry xmlns='http://www.w3.org/2005/Atom'><content>&b;</content></entry>";
        assertThrows(DomainException.class, () -> ATOM.parse(laughs));
        DomainException notEntry = assertThrows(DomainException.class, () -> ATOM.parse("<feed xmlns='http://www.w3.org/2005/Atom'/>"));
        assertEquals(Optional.of(AppCondition.ENTRY_ELEMENT_REQUIRED), notEntry.appCondition());
        assertThrows(DomainException.class, () -> ATOM.parse("<entry"));
    }

    @Test
    void aThreadsParserRefusesDtdsAfterGoodAndBrokenEntriesAsItsFirstDid() {
        String good = "<entry xmlns='http://www.w3.org/2005/Atom'><content>plain</content></entry>";
        String xxe = "<?xml version='1.0'?><!DOCTYPE e [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>"
                + "<entry xmlns='http://www.w3.org/2005/Atom'><content>&x;</content></entry>";
        for (int i = 0; i < 3; i++) {
            assertEquals("plain", ATOM.parse(good).content());
            assertThrows(DomainException.class, () -> ATOM.parse("<entry xmlns='http://www.w3.org/2005/Atom'><content>"));
            assertThrows(DomainException.class, () -> ATOM.parse(xxe));
        }
        assertEquals("plain", ATOM.parse(good).content());
    }

    @Test
    void writesTheServersEntryAndReadsItBack() {
        Instant now = Instant.parse("2026-11-26T10:15:30Z");
        Post post = new Post(POSTS, "r1", Jid.parse("romeo@example.com"), now, now, "Re", "<b>bold</b> & plain", Post.ContentType.TEXT,
                "p1", null, null, new Post.Geoloc(1.5, 2.5, null), List.of(), "<meta xmlns=\"urn:example:app\">kept</meta>");
        String entry = ATOM.render(post);
        assertTrue(entry.contains("<id>tag:example.com,/user/juliet@example.com/posts,r1</id>"), entry);
        assertTrue(entry.contains("<name>romeo@example.com</name>") && entry.contains("<uri>acct:romeo@example.com</uri>"), entry);
        assertTrue(entry.contains("comment</activity:object-type>") && entry.contains("<activity:verb>post</activity:verb>"), entry);
        // '>' needs no escaping in text, and StAX writers differ on it; '<' and '&' must be escaped.
        assertTrue(entry.contains("&lt;b") && entry.contains("bold&lt;/b") && entry.contains(" &amp; plain"), entry);
        PostDraft again = ATOM.parse(entry);
        assertEquals(post.content(), again.content());
        assertEquals("p1", again.inReplyTo());
        assertEquals(post.extensions(), again.extensions());
        assertNull(again.rating());
    }

    @Test
    void xhtmlContentIsMarkupNotText() {
        Instant now = Instant.parse("2026-11-26T10:15:30Z");
        Post post = new Post(POSTS, "x1", Jid.parse("juliet@example.com"), now, now, "Post", "<p>Hi <em>there</em></p>",
                Post.ContentType.XHTML, null, null, null, null, List.of(), null);
        PostDraft again = ATOM.parse(ATOM.render(post));
        assertEquals("xhtml", again.contentType());
        assertTrue(again.content().contains("<em"), again.content());
        assertThrows(DomainException.class, () -> AtomEntries.checkXhtml("<p>unclosed"));
    }
}
