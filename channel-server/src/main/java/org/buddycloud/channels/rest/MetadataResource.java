package org.buddycloud.channels.rest;

import static org.buddycloud.channels.rest.ChannelRequests.NODE;
import static org.buddycloud.channels.rest.ChannelRequests.actor;
import static org.buddycloud.channels.rest.ChannelRequests.node;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import org.buddycloud.channels.domain.ConfigChange;
import org.buddycloud.channels.domain.ChannelQueries;
import org.buddycloud.channels.domain.NodeConfig;
import org.buddycloud.channels.service.ChannelTransactions;
import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.channel.Affiliation;
import org.buddycloud.contracts.channel.ChannelType;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A node's configuration at {@code /{channel}/metadata/{node}}, in the old API's JSON shape. */
@Path("/{channel}/metadata/" + NODE)
@Tag(name = "channels")
@Produces(MediaType.APPLICATION_JSON)
public class MetadataResource {

    /** The metadata object; in a POST, fields left out stay as they are and the fixed ones may only repeat their value. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Metadata(String title, String description,
                           @JsonProperty("access_model") String accessModel,
                           @JsonProperty("default_affiliation") String defaultAffiliation,
                           @JsonProperty("channel_type") String channelType,
                           @JsonProperty("creation_date") Instant creationDate,
                           String creator,
                           @JsonProperty("last_updated") Instant lastUpdated,
                           @JsonProperty("advertise_node") Boolean advertised,
                           Boolean ephemeral) {

        static Metadata of(NodeConfig c) {
            return new Metadata(c.title(), c.description(), c.accessModel().wireName(), c.defaultAffiliation().wireName(),
                    c.channelType().wireName(), c.createdAt(), c.creator().toString(), c.updatedAt(), c.advertised(), c.ephemeral());
        }

        ConfigChange change() {
            return new ConfigChange(title, description, accessModel == null ? null : accessModel(accessModel),
                    defaultAffiliation == null ? null : enumValue(Affiliation.class, defaultAffiliation, "default_affiliation"),
                    advertised, null, channelType == null ? null : enumValue(ChannelType.class, channelType, "channel_type"),
                    creator == null ? null : Jid.parse(creator), creationDate, null, ephemeral);
        }

        private static AccessModel accessModel(String value) {
            AccessModel model = AccessModel.fromWire(value);
            if (!model.wireName().equals(value.trim().toLowerCase(java.util.Locale.ROOT))) {
                throw new DomainException(Condition.BAD_REQUEST, "access_model must be open, authorize, whitelist or local");
            }
            return model;
        }

        private static <E extends Enum<E>> E enumValue(Class<E> type, String value, String field) {
            try {
                return Enum.valueOf(type, value.trim().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new DomainException(Condition.BAD_REQUEST, "invalid " + field + ": " + value);
            }
        }
    }

    private static final String METADATA_EXAMPLE = "{\"title\":\"Juliet's balcony\",\"description\":\"Verona nights\","
            + "\"access_model\":\"open\",\"default_affiliation\":\"member\",\"channel_type\":\"personal\","
            + "\"creation_date\":\"2026-11-26T10:15:30Z\",\"creator\":\"juliet@localhost\",\"last_updated\":\"2026-11-26T10:15:30Z\","
            + "\"advertise_node\":true}";
    private static final String CONFIGURED_EXAMPLE = "{\"title\":\"Juliet's balcony\",\"description\":\"Verona nights\","
            + "\"access_model\":\"authorize\",\"default_affiliation\":\"member\",\"channel_type\":\"personal\","
            + "\"creation_date\":\"2026-11-26T10:15:30Z\",\"creator\":\"juliet@localhost\",\"last_updated\":\"2026-11-26T21:03:11Z\","
            + "\"advertise_node\":true}";

    private final ChannelTransactions changes;
    private final ChannelQueries queries;
    private final SecurityIdentity identity;

    MetadataResource(ChannelTransactions changes, ChannelQueries queries, SecurityIdentity identity) {
        this.changes = changes;
        this.queries = queries;
        this.identity = identity;
    }

    @GET
    @Operation(summary = "A node's metadata; readable by everybody but banned users, even on private channels")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "metadata", value = METADATA_EXAMPLE)))
    @APIResponse(responseCode = "403", description = "You are banned from this channel")
    @APIResponse(responseCode = "404", description = "No such channel or node")
    public Metadata metadata(@PathParam("channel") String channel, @PathParam("node") String node) {
        return Metadata.of(queries.configuration(actor(identity), node(channel, node)));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change a node's metadata (owner or moderator)")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "make private",
            value = "{\"title\":\"Juliet's balcony\",\"access_model\":\"authorize\"}")))
    @APIResponse(responseCode = "200", description = "The new metadata", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "metadata", value = CONFIGURED_EXAMPLE)))
    @APIResponse(responseCode = "400", description = "Invalid value, or a fixed field (channel_type, creator, creation_date, ephemeral) changed")
    @APIResponse(responseCode = "401", description = "No credentials")
    @APIResponse(responseCode = "403", description = "Not an owner or moderator")
    @APIResponse(responseCode = "404", description = "No such channel or node")
    @APIResponse(responseCode = "415", description = "Not JSON")
    public Metadata configure(@PathParam("channel") String channel, @PathParam("node") String node, Metadata metadata) {
        return Metadata.of(changes.configure(actor(identity), node(channel, node), AccountResource.required(metadata).change()));
    }
}
