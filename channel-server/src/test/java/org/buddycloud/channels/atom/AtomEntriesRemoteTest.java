package org.buddycloud.channels.atom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import org.junit.jupiter.api.Test;

/** Entries of another domain's node, as its channel server rewrote them, read for our copy. */
class AtomEntriesRemoteTest {

    private static final AtomEntries ATOM = new AtomEntries("montague.lit");
    private static final String NODE = "/user/juliet@capulet.lit/posts";
    private static final String TIMES = "<published>2026-01-01T00:00:00Z</published><updated>2026-01-02T10:30:00Z</updated>";
    private static final String AUTHOR = "<author><name>juliet@capulet.lit</name><uri>acct:juliet@capulet.lit</uri></author>";

    private static String entry(String times, String author) {
        return "<entry xmlns='http://www.w3.org/2005/Atom'><id>tag:capulet.lit," + NODE + ",p1</id><title>Post</title>"
                + "<content type='text'>hi</content>" + times + author + "</entry>";
    }

    @Test
    void readsTheAuthorAndTimesTheOriginGave() {
        AtomEntries.RemoteEntry remote = ATOM.parseRemote(entry(TIMES, AUTHOR));
        assertEquals(Jid.parse("juliet@capulet.lit"), remote.author());
        assertEquals(Instant.parse("2026-01-01T00:00:00Z"), remote.published());
        assertEquals(Instant.parse("2026-01-02T10:30:00Z"), remote.updated());
        assertEquals("hi", remote.draft().content());
        assertEquals("tag:capulet.lit," + NODE + ",p1", remote.draft().id());
    }

    @Test
    void theAcctUriNamesTheAuthorBeforeTheName() {
        String author = "<author><name>Juliet Capulet</name><uri>acct:juliet@capulet.lit</uri></author>";
        assertEquals(Jid.parse("juliet@capulet.lit"), ATOM.parseRemote(entry(TIMES, author)).author());
    }

    @Test
    void withoutAnAcctUriTheNameIsTheAuthorsBareJid() {
        String author = "<author><name>nurse@capulet.lit/kitchen</name></author>";
        assertEquals(Jid.parse("nurse@capulet.lit"), ATOM.parseRemote(entry(TIMES, author)).author());
    }

    @Test
    void refusesAnEntryWithoutAnAuthor() {
        assertBadRequest(entry(TIMES, ""));
        assertBadRequest(entry(TIMES, "<author/>"));
        assertBadRequest(entry(TIMES, "<author><name>not a jid@@</name></author>"));
    }

    @Test
    void refusesAnEntryWithoutItsTimesOrWithBadOnes() {
        assertBadRequest(entry("<updated>2026-01-02T10:30:00Z</updated>", AUTHOR));
        assertBadRequest(entry("<published>2026-01-01T00:00:00Z</published>", AUTHOR));
        assertBadRequest(entry("<published>new year</published><updated>2026-01-02T10:30:00Z</updated>", AUTHOR));
        assertBadRequest(entry("<published>2026-01-01T00:00:00Z</published><updated>2026-13-45T99:00:00Z</updated>", AUTHOR));
    }

    @Test
    void refusesDtdsAndEntities() {
        String xxe = "<?xml version='1.0'?><!DOCTYPE e [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>"
                + entry(TIMES, AUTHOR).replace("<content type='text'>hi", "<content type='text'>&x;");
        assertBadRequest(xxe);
        String laughs = "<!DOCTYPE l [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;'>]>"
                + entry(TIMES, AUTHOR).replace("<content type='text'>hi", "<content type='text'>&b;");
        assertBadRequest(laughs);
        String internal = "<!DOCTYPE e [<!ENTITY who 'juliet@capulet.lit'>]>"
                + entry(TIMES, "<author><uri>acct:&who;</uri></author>");
        assertBadRequest(internal);
    }

    private static void assertBadRequest(String xml) {
        DomainException refusal = assertThrows(DomainException.class, () -> ATOM.parseRemote(xml));
        assertEquals(Condition.BAD_REQUEST, refusal.condition(), refusal.getMessage());
    }
}
