package org.buddycloud.channels.rest;

import static org.buddycloud.channels.rest.ChannelRequests.actor;
import static org.buddycloud.channels.rest.ChannelRequests.node;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.buddycloud.channels.domain.Channel;
import org.buddycloud.channels.domain.NodeName;
import org.buddycloud.channels.service.ChannelTransactions;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Topic channels ({@code POST|DELETE /{channel}}) and app-defined nodes ({@code POST|DELETE /{channel}/{node}}). */
@Path("/{channel}")
@Tag(name = "channels")
@Produces(MediaType.APPLICATION_JSON)
public class ChannelResource {

    /** What creating a channel or node answers. */
    public record Created(String channel, String node) {
    }

    private final ChannelTransactions changes;
    private final SecurityIdentity identity;

    ChannelResource(ChannelTransactions changes, SecurityIdentity identity) {
        this.changes = changes;
        this.identity = identity;
    }

    @POST
    @Operation(summary = "Create a topic channel name@topics.<domain>, owned by the caller")
    @APIResponse(responseCode = "201", description = "Created; Location is its metadata", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "topic channel",
            value = "{\"channel\":\"verona@topics.localhost\",\"node\":\"/user/verona@topics.localhost/posts\"}")))
    @APIResponse(responseCode = "400", description = "Not a JID of the topics domain")
    @APIResponse(responseCode = "401", description = "No credentials")
    @APIResponse(responseCode = "403", description = "Not a user of this server")
    @APIResponse(responseCode = "409", description = "The channel exists")
    public Response createTopic(@PathParam("channel") String channel,
                                @Parameter(description = "a conversation: every follower moderates, the last to leave ends it")
                                @QueryParam("ephemeral") boolean ephemeral) {
        Channel created = changes.createTopicChannel(actor(identity), NodeName.channel(channel), ephemeral);
        NodeName posts = NodeName.of(created.jid(), NodeName.POSTS);
        return Response.created(URI.create("/" + created.jid() + "/metadata/posts"))
                .entity(new Created(created.jid().toString(), posts.toString())).build();
    }

    @DELETE
    @Operation(summary = "Delete a channel with all its nodes, posts and followers (owner)")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "401", description = "No credentials")
    @APIResponse(responseCode = "403", description = "Not an owner of the channel")
    @APIResponse(responseCode = "404", description = "No such channel", content = @Content(mediaType = "application/problem+json",
            examples = @ExampleObject(name = "no such channel", value = "{\"type\":\"urn:buddycloud:problem:item-not-found\","
                    + "\"title\":\"Not found\",\"status\":404,\"detail\":\"no channel nobody@localhost\","
                    + "\"instance\":\"/nobody@localhost\",\"condition\":\"item-not-found\"}")))
    public Response delete(@PathParam("channel") String channel) {
        changes.deleteChannel(actor(identity), NodeName.channel(channel));
        return Response.noContent().build();
    }

    @POST
    @Path("{node}")
    @Operation(summary = "Create an app-defined node in the caller's channel, configured like its /posts")
    @APIResponse(responseCode = "201", description = "Created; Location is its metadata", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "app node",
            value = "{\"channel\":\"juliet@localhost\",\"node\":\"/user/juliet@localhost/x-chess-moves\"}")))
    @APIResponse(responseCode = "400", description = "Invalid or reserved node name (invalid-node-format)", content = @Content(
            mediaType = "application/problem+json", examples = @ExampleObject(name = "reserved name",
            value = "{\"type\":\"urn:buddycloud:problem:bad-request\",\"title\":\"Bad request\",\"status\":400,"
                    + "\"detail\":\"the node name content is reserved\",\"instance\":\"/juliet@localhost/content\","
                    + "\"condition\":\"bad-request\",\"appCondition\":\"invalid-node-format\"}")))
    @APIResponse(responseCode = "401", description = "No credentials")
    @APIResponse(responseCode = "403", description = "Not an owner of the channel")
    @APIResponse(responseCode = "404", description = "No such channel")
    @APIResponse(responseCode = "409", description = "The node exists")
    public Response createNode(@PathParam("channel") String channel, @PathParam("node") String node,
                               @Parameter(description = "every follower moderates, the last to leave ends the node")
                               @QueryParam("ephemeral") boolean ephemeral) {
        NodeName name = node(channel, node);
        changes.createNode(actor(identity), name, ephemeral);
        return Response.created(URI.create("/" + name.channel() + "/metadata/" + name.type()))
                .entity(new Created(name.channel().toString(), name.toString())).build();
    }

    @DELETE
    @Path("{node}")
    @Operation(summary = "Delete an app-defined node with its posts (owner)")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "401", description = "No credentials")
    @APIResponse(responseCode = "403", description = "Not an owner of the channel")
    @APIResponse(responseCode = "404", description = "No such node")
    @APIResponse(responseCode = "405", description = "A node every personal channel has; delete the channel instead", content = @Content(
            mediaType = "application/problem+json", examples = @ExampleObject(name = "channel node",
            value = "{\"type\":\"urn:buddycloud:problem:not-allowed\",\"title\":\"Not allowed\",\"status\":405,"
                    + "\"detail\":\"the status node belongs to the channel; delete the channel instead\","
                    + "\"instance\":\"/juliet@localhost/status\",\"condition\":\"not-allowed\"}")))
    public Response deleteNode(@PathParam("channel") String channel, @PathParam("node") String node) {
        changes.deleteNode(actor(identity), node(channel, node));
        return Response.noContent().build();
    }
}
