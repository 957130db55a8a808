package org.buddycloud.taste.rest;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.buddycloud.contracts.access.Actor;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import org.buddycloud.servicekit.auth.JidPrincipal;
import org.buddycloud.taste.domain.ActivityQuery;
import org.buddycloud.taste.domain.Page;
import org.buddycloud.taste.domain.Taste;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/**
 * Recommendations over REST, at the old HTTP API's paths. Answers are for the caller (anonymous callers are shown
 * open channels only); what shaped them is only what the caller could list themselves, so asking for another user's
 * recommendations ({@code user=}, as the old API and the directory do) reveals nothing the caller could not see.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class TasteResource {

    private final Taste taste;
    private final SecurityIdentity identity;

    TasteResource(Taste taste, SecurityIdentity identity) {
        this.taste = taste;
        this.identity = identity;
    }

    @GET
    @Path("recommendations")
    @Operation(summary = "Channels the user might follow: those followed by who follows what they follow; the most active "
            + "for somebody who follows nothing yet")
    public TasteJson.Page recommendations(
            @QueryParam("user") @Parameter(description = "whose recommendations; the caller's when absent") String user,
            @QueryParam("max") String max, @QueryParam("index") String index) {
        Page page = Page.of(index, max);
        Jid whose = user == null || user.isBlank()
                ? caller().id().orElseThrow(() -> new DomainException(Condition.NOT_AUTHORIZED,
                        "log in for your recommendations, or name the user: ?user=juliet@example.com"))
                : Jid.parseEntityBare("user", user);
        return TasteJson.page(taste.recommend(caller(), whose, page));
    }

    @GET
    @Path("{channel}/similar")
    @Operation(summary = "Channels followed by the followers of this channel, most alike first")
    public TasteJson.Page similar(@PathParam("channel") String channel, @QueryParam("max") String max,
                                  @QueryParam("index") String index) {
        Page page = Page.of(index, max);
        return TasteJson.page(taste.similar(caller(), Jid.parseEntityBare("channel", channel), page));
    }

    @GET
    @Path("most_active")
    @Operation(summary = "The channels with the most posts in the last period days (at most 30), of one domain if asked")
    public TasteJson.Page mostActive(@QueryParam("period") @Parameter(description = "days, default 7") String period,
                                     @QueryParam("domain") String domain, @QueryParam("max") String max,
                                     @QueryParam("index") String index) {
        return TasteJson.page(taste.mostActive(caller(), ActivityQuery.of(period, domain, Page.of(index, max))));
    }

    private Actor caller() {
        return JidPrincipal.of(identity).map(Actor::of).orElse(Actor.ANONYMOUS);
    }
}
