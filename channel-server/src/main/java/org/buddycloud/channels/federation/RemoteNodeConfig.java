package org.buddycloud.channels.federation;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.buddycloud.channels.domain.NodeConfig;
import org.buddycloud.channels.domain.NodeName;
import org.buddycloud.channels.xmpp.DataForm;
import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.channel.Affiliation;
import org.buddycloud.contracts.channel.ChannelType;
import org.buddycloud.contracts.jid.Jid;

/** A remote node's configuration read from its {@code pubsub#meta-data} or {@code pubsub#node_config} form. */
final class RemoteNodeConfig {

    private RemoteNodeConfig() {
    }

    /**
     * The configuration the form describes; fields it lacks, or whose values we cannot read, keep safe defaults
     * (authorize: nobody reads more than asked).
     */
    static NodeConfig parse(NodeName node, Map<String, List<String>> form, Instant now) {
        AccessModel access = value(form, "pubsub#access_model", AccessModel::fromWire).orElse(AccessModel.AUTHORIZE);
        Affiliation defaultAffiliation = value(form, "buddycloud#default_affiliation", Affiliation::fromWire).orElse(Affiliation.MEMBER);
        ChannelType type = value(form, "buddycloud#channel_type", ChannelType::fromWire).orElse(ChannelType.PERSONAL);
        Jid creator = value(form, "pubsub#creator", Jid::parse).orElse(node.channel());
        Instant created = instant(form, "pubsub#creation_date").orElse(now);
        Instant updated = instant(form, "buddycloud#last_updated").orElse(created);
        String title = DataForm.first(form, "pubsub#title").orElse(node.channel() + " " + node.type());
        String description = DataForm.first(form, "pubsub#description").orElse("");
        Double lat = number(form, "x-buddycloud#geoloc-lat");
        Double lon = number(form, "x-buddycloud#geoloc-lon");
        String place = DataForm.first(form, "x-buddycloud#geoloc-text").filter(t -> !t.isBlank()).orElse(null);
        NodeConfig.Geo geo = lat == null && lon == null && place == null ? null : new NodeConfig.Geo(lat, lon, place);
        return new NodeConfig(bounded(title, 128), bounded(description, 1024), access, defaultAffiliation, type, creator, created,
                updated, DataForm.flag(form, "buddycloud#advertise_node").orElse(true),
                DataForm.first(form, "pubsub#type").orElse(NodeConfig.ATOM), geo, DataForm.flag(form, "buddycloud#ephemeral").orElse(false));
    }

    /** A field read with {@code parse}; a value we cannot read counts as missing (its default then), not as an error. */
    private static <T> Optional<T> value(Map<String, List<String>> form, String var, java.util.function.Function<String, T> parse) {
        try {
            return DataForm.first(form, var).map(parse);
        } catch (RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    private static Optional<Instant> instant(Map<String, List<String>> form, String var) {
        try {
            return DataForm.first(form, var).map(Instant::parse);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Double number(Map<String, List<String>> form, String var) {
        try {
            return DataForm.first(form, var).filter(v -> !v.isBlank()).map(Double::valueOf).orElse(null);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String bounded(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max);
    }
}
