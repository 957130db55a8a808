package org.buddycloud.channels.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.Optional;
import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.channel.Affiliation;
import org.buddycloud.contracts.channel.ChannelType;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.AppCondition;
import org.buddycloud.contracts.problem.DomainException;
import org.junit.jupiter.api.Test;

class NodeConfigTest {

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private static final Jid JULIET = Jid.parse("juliet@example.com");
    private static final NodeConfig POSTS = NodeConfig.initial(NodeName.of(JULIET, NodeName.POSTS), ChannelType.PERSONAL, JULIET,
            AccessModel.OPEN, Affiliation.MEMBER, T0);

    @Test
    void newNodesHaveTheDocumentedDefaults() {
        assertEquals("juliet@example.com's very own buddycloud channel", POSTS.title());
        assertEquals(AccessModel.OPEN, POSTS.accessModel());
        assertEquals(Affiliation.MEMBER, POSTS.defaultAffiliation());
        assertEquals(NodeConfig.ATOM, POSTS.contentType());
        assertEquals(JULIET, POSTS.creator());
    }

    @Test
    void aChangeKeepsWhatItDoesNotMentionAndStampsTheUpdate() {
        NodeConfig changed = POSTS.apply(ConfigChange.of("Balcony", null, AccessModel.AUTHORIZE, null), T0.plusSeconds(5));
        assertEquals("Balcony", changed.title());
        assertEquals(POSTS.description(), changed.description());
        assertEquals(AccessModel.AUTHORIZE, changed.accessModel());
        assertEquals(T0.plusSeconds(5), changed.updatedAt());
        assertEquals(T0, changed.createdAt());
    }

    @Test
    void fixedFieldsMayBeRepeatedButNotChanged() {
        NodeConfig same = POSTS.apply(new ConfigChange(null, null, null, null, null, null, ChannelType.PERSONAL, JULIET, T0,
                NodeConfig.ATOM), T0);
        assertEquals(POSTS.channelType(), same.channelType());
        DomainException refusal = assertThrows(DomainException.class, () -> POSTS.apply(new ConfigChange(null, null, null, null,
                null, null, ChannelType.TOPIC, null, null, null), T0));
        assertEquals(Optional.of(AppCondition.IMMUTABLE_FIELD), refusal.appCondition());
        assertThrows(DomainException.class, () -> POSTS.apply(new ConfigChange(null, null, null, null, null, null, null,
                Jid.parse("romeo@example.com"), null, null), T0));
        assertThrows(DomainException.class, () -> POSTS.apply(new ConfigChange(null, null, null, null, null, null, null, null,
                T0.plusSeconds(1), null), T0));
        assertThrows(DomainException.class, () -> POSTS.apply(new ConfigChange(null, null, null, null, null, null, null, null,
                null, "urn:xmpp:json:0"), T0));
        // ephemeral is decided at creation only
        assertEquals(false, POSTS.apply(new ConfigChange(null, null, null, null, null, null, null, null, null, null, false), T0).ephemeral());
        assertThrows(DomainException.class, () -> POSTS.apply(new ConfigChange(null, null, null, null, null, null, null, null,
                null, null, true), T0));
        assertThrows(DomainException.class, () -> POSTS.asEphemeral().apply(new ConfigChange(null, null, null, null, null, null,
                null, null, null, null, false), T0));
    }

    @Test
    void invalidValuesAreRefused() {
        assertThrows(DomainException.class, () -> POSTS.apply(ConfigChange.of("x".repeat(129), null, null, null), T0));
        assertThrows(DomainException.class, () -> POSTS.apply(ConfigChange.of(null, "x".repeat(1025), null, null), T0));
        assertThrows(DomainException.class, () -> POSTS.apply(ConfigChange.of(null, null, null, Affiliation.OWNER), T0));
        assertThrows(DomainException.class, () -> new NodeConfig.Geo(91.0, 0.0, null));
    }

    @Test
    void nodeNamesFollowTheUserPattern() {
        assertEquals(NodeName.of(JULIET, "geo/current"), NodeName.parse("/user/juliet@example.com/geo/current"));
        assertEquals("/user/juliet@example.com/posts", NodeName.of(JULIET, "posts").toString());
        for (String bad : new String[] {"posts", "/user/example.com/posts", "/user/juliet@example.com/", "/user/juliet@example.com/Posts",
                "/user/juliet@example.com/a/b/c", "/user/juliet@example.com/" + "x".repeat(65)}) {
            DomainException refusal = assertThrows(DomainException.class, () -> NodeName.parse(bad), bad);
            assertEquals(Optional.of(AppCondition.INVALID_NODE_FORMAT), refusal.appCondition());
        }
    }

    @Test
    void mentionsAreTheJidsAPostNames() {
        assertEquals(java.util.List.of(Jid.parse("juliet@example.com"), Jid.parse("romeo@montague.org")),
                Mentions.in("Hey @juliet@example.com, ask romeo@montague.org (and juliet@example.com again). Not: @nobody"));
    }
}
