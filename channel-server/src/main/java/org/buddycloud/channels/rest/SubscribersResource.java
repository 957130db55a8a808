package org.buddycloud.channels.rest;

import static org.buddycloud.channels.rest.ChannelRequests.NODE;
import static org.buddycloud.channels.rest.ChannelRequests.actor;
import static org.buddycloud.channels.rest.ChannelRequests.node;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.buddycloud.channels.domain.ChannelQueries;
import org.buddycloud.channels.domain.Membership;
import org.buddycloud.channels.domain.NodeName;
import org.buddycloud.channels.service.ChannelTransactions;
import org.buddycloud.contracts.channel.Affiliation;
import org.buddycloud.contracts.channel.Subscription;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Followers and their affiliations at {@code /{channel}/subscribers/{node}}, and follow requests at {@code …/approve}. */
@Path("/{channel}/subscribers/" + NODE)
@Tag(name = "followers")
@Produces(MediaType.APPLICATION_JSON)
public class SubscribersResource {

    /** One subscription in the approval list: {@code {"jid": ..., "subscription": ...}}. */
    public record SubscriptionJson(String jid, String subscription) {
    }

    private final ChannelTransactions changes;
    private final ChannelQueries queries;
    private final SecurityIdentity identity;

    SubscribersResource(ChannelTransactions changes, ChannelQueries queries, SecurityIdentity identity) {
        this.changes = changes;
        this.queries = queries;
        this.identity = identity;
    }

    @GET
    @Operation(summary = "Followers and their affiliations", description = "Owners and moderators also see pending and banned JIDs.")
    @APIResponse(responseCode = "200", content = @Content(examples = @ExampleObject(name = "followers", value = "{\"juliet@localhost\":\"owner\",\"romeo@localhost\":\"publisher\"}")))
    public Map<String, String> subscribers(@PathParam("channel") String channel, @PathParam("node") String node) {
        Map<String, String> result = new LinkedHashMap<>();
        for (Membership m : queries.members(actor(identity), node(channel, node))) {
            result.put(m.jid().toString(), m.subscription() == Subscription.PENDING || m.subscription() == Subscription.INVITED
                    && m.affiliation() == Affiliation.NONE ? m.subscription().wireName() : m.affiliation().wireName());
        }
        return result;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set affiliations: member, publisher, moderator, owner, outcast or none (owner or moderator)")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "affiliations", value = "{\"romeo@localhost\":\"publisher\"}")))
    @APIResponse(responseCode = "200", description = "The followers after the change")
    public Map<String, String> setAffiliations(@PathParam("channel") String channel, @PathParam("node") String node,
                                               Map<String, String> affiliations) {
        Map<Jid, Affiliation> parsed = new LinkedHashMap<>();
        AccountResource.required(affiliations).forEach((jid, value) -> parsed.put(Jid.parse(jid), affiliation(value)));
        changes.setAffiliations(actor(identity), node(channel, node), parsed);
        return subscribers(channel, node);
    }

    @GET
    @Path("approve")
    @Operation(summary = "Pending follow requests (owner or moderator)")
    @APIResponse(responseCode = "200", content = @Content(examples = @ExampleObject(name = "pending", value = "[{\"jid\":\"romeo@localhost\",\"subscription\":\"pending\"}]")))
    public List<SubscriptionJson> pending(@PathParam("channel") String channel, @PathParam("node") String node) {
        return queries.pending(actor(identity), node(channel, node)).stream()
                .map(m -> new SubscriptionJson(m.jid().toString(), m.subscription().wireName())).toList();
    }

    @POST
    @Path("approve")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Approve (subscribed) or refuse (none) follow requests; invite with invited")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "decisions", value = "[{\"jid\":\"romeo@localhost\",\"subscription\":\"subscribed\"}]")))
    @APIResponse(responseCode = "200", description = "The resulting subscriptions")
    public List<SubscriptionJson> approve(@PathParam("channel") String channel, @PathParam("node") String node,
                                          List<SubscriptionJson> decisions) {
        Map<Jid, Subscription> parsed = new LinkedHashMap<>();
        for (SubscriptionJson d : AccountResource.required(decisions)) {
            if (d == null || d.jid() == null || d.subscription() == null) {
                throw new DomainException(Condition.BAD_REQUEST, "each decision needs a jid and a subscription");
            }
            parsed.put(Jid.parse(d.jid()), subscription(d.subscription()));
        }
        return changes.setSubscriptions(actor(identity), node(channel, node), parsed).stream()
                .map(m -> new SubscriptionJson(m.jid().toString(), m.subscription().wireName())).toList();
    }

    static Affiliation affiliation(String value) {
        try {
            return Affiliation.fromWire(value == null ? "" : value.trim().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new DomainException(Condition.BAD_REQUEST, "an affiliation is owner, moderator, publisher, member, outcast or none");
        }
    }

    static Subscription subscription(String value) {
        try {
            return Subscription.fromWire(value == null ? "" : value.trim().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new DomainException(Condition.BAD_REQUEST, "a subscription is subscribed, none or invited");
        }
    }
}
