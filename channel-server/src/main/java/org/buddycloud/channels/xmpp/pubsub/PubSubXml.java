package org.buddycloud.channels.xmpp.pubsub;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.stream.Stream;
import org.buddycloud.channels.atom.AtomEntries;
import org.buddycloud.channels.domain.Location;
import org.buddycloud.channels.domain.NodeConfig;
import org.buddycloud.channels.domain.NodeName;
import org.buddycloud.channels.domain.Post;
import org.buddycloud.channels.domain.PubSubRefusal;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.channels.xmpp.DataForm;
import org.buddycloud.channels.xmpp.Namespaces;
import org.buddycloud.xmppkit.xml.XmlElement;
import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.channel.Affiliation;
import org.buddycloud.contracts.channel.ChannelType;

/** How the channel model looks in XEP-0060: items with their Atom entries, node configuration forms. */
@ApplicationScoped
public class PubSubXml {

    static final String NODE_CONFIG = "http://jabber.org/protocol/pubsub#node_config";
    static final String META_DATA = "http://jabber.org/protocol/pubsub#meta-data";

    private static final List<String> ACCESS_MODELS = Stream.of(AccessModel.values()).map(AccessModel::wireName).toList();
    /** What {@link NodeConfig} accepts as the affiliation of a new follower. */
    private static final List<String> DEFAULT_AFFILIATIONS = List.of(Affiliation.MEMBER.wireName(), Affiliation.PUBLISHER.wireName());
    private static final List<String> CHANNEL_TYPES = Stream.of(ChannelType.values()).map(ChannelType::wireName).toList();

    private final AtomEntries atom;

    PubSubXml(AtomEntries atom) {
        this.atom = atom;
    }

    /** {@code <items node><item id>entry</item>…</items>} in the given namespace (pubsub or pubsub#event). */
    public XmlElement items(String namespace, NodeName node, List<Post> posts) {
        XmlElement items = XmlElement.of("items", namespace).attr("node", node.toString());
        posts.forEach(post -> items.append(item(namespace, post)));
        return items;
    }

    public String entry(Post post) {
        return atom.render(post);
    }

    /** An item with its payload: the Atom entry, or for a location the {@code <geoloc/>} as published. */
    public XmlElement item(String namespace, Post post) {
        return XmlElement.of("item", namespace).attr("id", post.id())
                .appendTrusted(post.contentType() == Post.ContentType.GEOLOC ? post.content() : atom.render(post));
    }

    /**
     * An XEP-0080 {@code <geoloc/>} as a {@link Location}: only text children of its own namespace, without
     * attributes, and {@code xml:lang} on the element itself; the core checks the rest.
     */
    public static Location location(XmlElement geoloc) {
        for (String attribute : geoloc.attributes().keySet()) {
            if (!attribute.equals("xml:lang") && !attribute.equals("xmlns")) {
                throw invalidPayload("<geoloc/> carries no attribute '" + attribute + "'");
            }
        }
        List<Location.Field> fields = new java.util.ArrayList<>();
        for (XmlElement child : geoloc.elements()) {
            if (!child.namespace().equals(Location.NAMESPACE) || !child.elements().isEmpty()
                    || child.attributes().keySet().stream().anyMatch(a -> !a.equals("xmlns"))) {
                throw invalidPayload("<geoloc/> holds only the plain elements of XEP-0080, not <" + child.name() + "/>");
            }
            fields.add(new Location.Field(child.name(), child.text()));
        }
        return new Location(geoloc.attr("xml:lang"), fields);
    }

    static PubSubRefusal invalidPayload(String message) {
        return new PubSubRefusal(Condition.BAD_REQUEST, PubSubRefusal.Reason.INVALID_PAYLOAD, message);
    }

    /** The configuration as a form: {@code pubsub#node_config} for owners, {@code pubsub#meta-data} in disco. */
    public XmlElement form(String type, String formType, NodeConfig c) {
        DataForm form = DataForm.of(type, formType)
                .field("pubsub#title", "text-single", "Title", c.title())
                .field("pubsub#description", "text-single", "Description", c.description())
                .listField("pubsub#access_model", "list-single", "Who may read", ACCESS_MODELS, c.accessModel().wireName())
                .listField("buddycloud#default_affiliation", "list-single", "Default affiliation", DEFAULT_AFFILIATIONS,
                        c.defaultAffiliation().wireName())
                .listField("buddycloud#channel_type", "list-single", "Channel type", CHANNEL_TYPES, c.channelType().wireName())
                .field("pubsub#creation_date", "text-single", "Created", c.createdAt().toString())
                .field("pubsub#creator", "jid-single", "Creator", c.creator().toString())
                .field("buddycloud#last_updated", "text-single", "Last updated", c.updatedAt().toString())
                .field("pubsub#type", "text-single", "Payload type", c.contentType())
                .field("buddycloud#advertise_node", "boolean", "Advertised", Boolean.toString(c.advertised()))
                .field("buddycloud#ephemeral", "boolean", "Ephemeral", Boolean.toString(c.ephemeral()));
        // offered empty too: a client fills in only the fields a form offers (XEP-0004), so a place could never be set
        NodeConfig.Geo place = c.location();
        form.field("x-buddycloud#geoloc-lat", "text-single", "Latitude", place == null ? null : string(place.latitude()))
                .field("x-buddycloud#geoloc-lon", "text-single", "Longitude", place == null ? null : string(place.longitude()))
                .field("x-buddycloud#geoloc-text", "text-single", "Place", place == null ? null : place.text());
        return form.element();
    }

    private static String string(Object value) {
        return value == null ? null : value.toString();
    }
}
