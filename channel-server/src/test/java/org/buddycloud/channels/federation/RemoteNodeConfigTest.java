package org.buddycloud.channels.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.buddycloud.channels.domain.NodeConfig;
import org.buddycloud.channels.domain.NodeName;
import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.channel.Affiliation;
import org.buddycloud.contracts.channel.ChannelType;
import org.buddycloud.contracts.jid.Jid;
import org.junit.jupiter.api.Test;

/** A remote node's configuration as its server describes it in a pubsub#meta-data form. */
class RemoteNodeConfigTest {

    private static final Jid JULIET = Jid.parse("juliet@capulet.lit");
    private static final NodeName POSTS = NodeName.of(JULIET, NodeName.POSTS);
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    /** Every field our own server writes into a meta-data form, with values unlike the defaults. */
    private static Map<String, List<String>> fullForm() {
        Map<String, List<String>> form = new HashMap<>();
        form.put("FORM_TYPE", List.of("http://jabber.org/protocol/pubsub#meta-data"));
        form.put("pubsub#title", List.of("Balcony"));
        form.put("pubsub#description", List.of("Where the light breaks"));
        form.put("pubsub#access_model", List.of("open"));
        form.put("buddycloud#default_affiliation", List.of("publisher"));
        form.put("buddycloud#channel_type", List.of("topic"));
        form.put("pubsub#creation_date", List.of("2025-06-01T08:00:00Z"));
        form.put("pubsub#creator", List.of("nurse@capulet.lit"));
        form.put("buddycloud#last_updated", List.of("2026-02-14T20:30:00Z"));
        form.put("pubsub#type", List.of("http://www.w3.org/2005/Atom+custom"));
        form.put("buddycloud#advertise_node", List.of("false"));
        form.put("buddycloud#ephemeral", List.of("1"));
        form.put("x-buddycloud#geoloc-lat", List.of("45.4384"));
        form.put("x-buddycloud#geoloc-lon", List.of("10.9916"));
        form.put("x-buddycloud#geoloc-text", List.of("Verona"));
        return form;
    }

    @Test
    void aFullFormGivesEveryField() {
        NodeConfig config = RemoteNodeConfig.parse(POSTS, fullForm(), NOW);
        assertEquals("Balcony", config.title());
        assertEquals("Where the light breaks", config.description());
        assertEquals(AccessModel.OPEN, config.accessModel());
        assertEquals(Affiliation.PUBLISHER, config.defaultAffiliation());
        assertEquals(ChannelType.TOPIC, config.channelType());
        assertEquals(Instant.parse("2025-06-01T08:00:00Z"), config.createdAt());
        assertEquals(Jid.parse("nurse@capulet.lit"), config.creator());
        assertEquals(Instant.parse("2026-02-14T20:30:00Z"), config.updatedAt());
        assertEquals("http://www.w3.org/2005/Atom+custom", config.contentType());
        assertFalse(config.advertised());
        assertTrue(config.ephemeral());
        assertEquals(new NodeConfig.Geo(45.4384, 10.9916, "Verona"), config.location());
    }

    @Test
    void anEmptyFormGetsTheSafeDefaults() {
        NodeConfig config = RemoteNodeConfig.parse(POSTS, Map.of(), NOW);
        assertEquals(AccessModel.AUTHORIZE, config.accessModel(), "nobody reads more than the origin allowed");
        assertEquals(Affiliation.MEMBER, config.defaultAffiliation());
        assertEquals(ChannelType.PERSONAL, config.channelType());
        assertEquals(JULIET, config.creator());
        assertEquals(NOW, config.createdAt());
        assertEquals(NOW, config.updatedAt());
        assertEquals("juliet@capulet.lit posts", config.title());
        assertEquals("", config.description());
        assertEquals(NodeConfig.ATOM, config.contentType());
        assertTrue(config.advertised());
        assertFalse(config.ephemeral());
        assertNull(config.location());
    }

    @Test
    void aFormWithoutTheAccessModelAndDefaultAffiliationKeepsTheOthersAndTheSafeDefaults() {
        Map<String, List<String>> form = fullForm();
        form.remove("pubsub#access_model");
        form.remove("buddycloud#default_affiliation");
        form.remove("buddycloud#last_updated");
        NodeConfig config = RemoteNodeConfig.parse(POSTS, form, NOW);
        assertEquals(AccessModel.AUTHORIZE, config.accessModel());
        assertEquals(Affiliation.MEMBER, config.defaultAffiliation());
        assertEquals("Balcony", config.title());
        assertEquals(config.createdAt(), config.updatedAt(), "a node never said updated was last changed when created");
    }

    @Test
    void anUnknownAccessModelIsReadAsAuthorize() {
        Map<String, List<String>> form = fullForm();
        form.put("pubsub#access_model", List.of("presence"));
        assertEquals(AccessModel.AUTHORIZE, RemoteNodeConfig.parse(POSTS, form, NOW).accessModel());
    }

    @Test
    void unreadableTimesAndCoordinatesAndEmptyPlaceFieldsAreLeftOut() {
        Map<String, List<String>> form = fullForm();
        form.put("pubsub#creation_date", List.of("yesterday"));
        form.put("buddycloud#last_updated", List.of("soon"));
        form.put("x-buddycloud#geoloc-lat", List.of("north"));
        form.put("x-buddycloud#geoloc-lon", List.of(""));
        form.put("x-buddycloud#geoloc-text", List.of(" "));
        NodeConfig config = RemoteNodeConfig.parse(POSTS, form, NOW);
        assertEquals(NOW, config.createdAt());
        assertEquals(NOW, config.updatedAt());
        assertNull(config.location(), "our own forms offer the place fields empty");
    }

    @Test
    void overLongTitleAndDescriptionAreCut() {
        Map<String, List<String>> form = fullForm();
        form.put("pubsub#title", List.of("t".repeat(500)));
        form.put("pubsub#description", List.of("d".repeat(5000)));
        NodeConfig config = RemoteNodeConfig.parse(POSTS, form, NOW);
        assertEquals("t".repeat(128), config.title());
        assertEquals("d".repeat(1024), config.description());
    }
}
