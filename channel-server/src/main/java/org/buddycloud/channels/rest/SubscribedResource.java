package org.buddycloud.channels.rest;

import static org.buddycloud.channels.rest.ChannelRequests.actor;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.buddycloud.channels.domain.ChannelQueries;
import org.buddycloud.channels.domain.Membership;
import org.buddycloud.channels.domain.MembershipStore;
import org.buddycloud.channels.federation.RemoteChannels;
import org.buddycloud.channels.domain.NodeName;
import org.buddycloud.channels.service.ChannelTransactions;
import org.buddycloud.contracts.access.Actor;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The caller's follows at {@code /subscribed}, keyed {@code channel/node} as in the old API. */
@Path("/subscribed")
@Tag(name = "followers")
@Produces(MediaType.APPLICATION_JSON)
public class SubscribedResource {

    /** One followed channel of the virtual {@code /subscriptions} node and what of it is followed. */
    public record FolloweeJson(String id, Map<String, String> nodes) {
    }

    private final ChannelTransactions changes;
    private final ChannelQueries queries;
    private final SecurityIdentity identity;
    private final RemoteChannels remote;

    SubscribedResource(ChannelTransactions changes, ChannelQueries queries, SecurityIdentity identity, RemoteChannels remote) {
        this.remote = remote;
        this.changes = changes;
        this.queries = queries;
        this.identity = identity;
    }

    @GET
    @Authenticated
    @Operation(summary = "What the caller follows: channel/node → affiliation (or pending/invited while not yet following)")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "follows",
            value = "{\"juliet@localhost/posts\":\"owner\",\"romeo@localhost/posts\":\"member\",\"nurse@localhost/posts\":\"pending\"}")))
    @APIResponse(responseCode = "401", description = "No credentials")
    public Map<String, String> subscribed() {
        Actor actor = actor(identity);
        Map<String, String> result = new LinkedHashMap<>();
        for (MembershipStore.NodeMembership m : queries.subscriptionsOf(actor, actor.jid())) {
            result.put(key(m.node()), state(m.membership()));
        }
        return result;
    }

    @POST
    @Authenticated
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Follow (any value but none) or unfollow (none) one node", description = "Private channels answer pending until approved.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = {
        @ExampleObject(name = "follow", value = "{\"romeo@localhost/posts\":\"subscribed\"}"),
        @ExampleObject(name = "unfollow", value = "{\"romeo@localhost/posts\":\"none\"}")}))
    @APIResponse(responseCode = "200", description = "The resulting state, in the same shape", content = {
        @Content(mediaType = MediaType.APPLICATION_JSON, examples = {
            @ExampleObject(name = "following", value = "{\"romeo@localhost/posts\":\"member\"}"),
            @ExampleObject(name = "waiting for approval", value = "{\"nurse@localhost/posts\":\"pending\"}")})})
    @APIResponse(responseCode = "400", description = "Not exactly one channel/node key")
    @APIResponse(responseCode = "401", description = "No credentials")
    @APIResponse(responseCode = "403", description = "Banned, or a whitelist channel that did not add you")
    @APIResponse(responseCode = "404", description = "No such channel or node")
    @APIResponse(responseCode = "409", description = "The last owner cannot unfollow (node-must-have-owner)")
    public Map<String, String> follow(Map<String, String> request) {
        if (AccountResource.required(request).size() != 1) {
            throw new DomainException(Condition.BAD_REQUEST, "send one {\"channel/node\": \"subscribed\" | \"none\"}");
        }
        Map.Entry<String, String> entry = request.entrySet().iterator().next();
        NodeName node = parseKey(entry.getKey());
        Actor actor = actor(identity);
        if (remote.isRemote(node)) {
            // another domain's channel: followed at its own server, through ours (which keeps a copy of it)
            org.buddycloud.contracts.channel.Subscription state = remote.follow(actor.jid(), node, !"none".equals(entry.getValue()));
            return Map.of(key(node), state == org.buddycloud.contracts.channel.Subscription.SUBSCRIBED
                    ? queries.subscriptionsOf(actor, actor.jid()).stream().filter(m -> m.node().equals(node)).findFirst()
                            .map(m -> state(m.membership())).orElse(state.wireName())
                    : state.wireName());
        }
        Membership result = "none".equals(entry.getValue())
                ? changes.unsubscribe(actor, node, actor.jid()) : changes.subscribe(actor, node);
        return Map.of(key(node), state(result));
    }

    static List<FolloweeJson> followees(List<ChannelQueries.Followee> followees) {
        return followees.stream().map(f -> {
            Map<String, String> nodes = new LinkedHashMap<>();
            f.nodes().forEach(m -> nodes.put(m.node().toString(), m.membership().affiliation().wireName()));
            return new FolloweeJson(f.channel().toString(), nodes);
        }).toList();
    }

    private static String state(Membership membership) {
        return membership.subscribed() ? membership.affiliation().wireName() : membership.subscription().wireName();
    }

    private static String key(NodeName node) {
        return node.channel() + "/" + node.type();
    }

    private static NodeName parseKey(String key) {
        int slash = key == null ? -1 : key.indexOf('/');
        if (slash <= 0) {
            throw new DomainException(Condition.BAD_REQUEST, "keys are channel/node, e.g. romeo@localhost/posts");
        }
        return NodeName.of(NodeName.channel(key.substring(0, slash)), key.substring(slash + 1));
    }
}
