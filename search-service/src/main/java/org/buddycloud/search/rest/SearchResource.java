package org.buddycloud.search.rest;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.buddycloud.contracts.access.Actor;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import org.buddycloud.search.domain.ActivityQuery;
import org.buddycloud.search.domain.ChannelQuery;
import org.buddycloud.search.domain.NearbyQuery;
import org.buddycloud.search.domain.Page;
import org.buddycloud.search.domain.PostQuery;
import org.buddycloud.search.domain.SearchText;
import org.buddycloud.search.service.Searches;
import org.buddycloud.servicekit.auth.JidPrincipal;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/**
 * Search over REST, as the old HTTP API's {@code GET /search} and the directory's other queries. Anonymous callers
 * find what is open; a bearer token finds, besides, what the caller may read.
 */
@Path("/search")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class SearchResource {

    private final Searches searches;
    private final SecurityIdentity identity;

    SearchResource(Searches searches, SecurityIdentity identity) {
        this.searches = searches;
        this.identity = identity;
    }

    @GET
    @Operation(summary = "Posts (type=content) or channels (type=metadata) matching the words and \"phrases\" of q")
    public SearchJson.Page<?> search(
            @QueryParam("type") @Parameter(description = "content (posts) or metadata (the channel directory)") String type,
            @QueryParam("q") @Parameter(description = "words that must all match; \"quoted phrases\" match as written") String q,
            @QueryParam("max") String max, @QueryParam("index") String index,
            @QueryParam("author") @Parameter(description = "content: only posts by this JID") String author,
            @QueryParam("channel") @Parameter(description = "content: only posts of this channel") String channel,
            @QueryParam("followed") @Parameter(description = "content: true for only the channels the caller follows") String followedOnly,
            @QueryParam("order") @Parameter(description = "content: relevance (default) or newest") String order) {
        Page page = Page.of(index, max);
        boolean followed = flag("followed", followedOnly);
        if (type == null || type.isBlank()) {
            throw new DomainException(Condition.BAD_REQUEST, "say which search: type=content (posts) or type=metadata (channels)");
        }
        return switch (type) {
            case "content" -> {
                if (followed && identity.isAnonymous()) {
                    throw new DomainException(Condition.NOT_AUTHORIZED, "log in to search the channels you follow");
                }
                yield SearchJson.posts(searches.posts(caller(), new PostQuery(SearchText.parse(q), order(order),
                        jid("author", author), jid("channel", channel), null, page), followed));
            }
            case "metadata" -> SearchJson.channels(searches.channels(caller(), new ChannelQuery(SearchText.parse(q), page)));
            default -> throw new DomainException(Condition.BAD_REQUEST, "type is content or metadata");
        };
    }

    @GET
    @Path("/nearby")
    @Operation(summary = "Channels about a place within radius km of lat/lon, nearest first")
    public SearchJson.Page<SearchJson.ChannelItem> nearby(@QueryParam("lat") String lat, @QueryParam("lon") String lon,
                                                          @QueryParam("radius") @Parameter(description = "km, default 1000") String radius,
                                                          @QueryParam("max") String max, @QueryParam("index") String index) {
        return SearchJson.channels(searches.nearby(caller(), NearbyQuery.of(lat, lon, radius, Page.of(index, max))));
    }

    @GET
    @Path("/most_active")
    @Operation(summary = "The channels with the most posts in the last period days, of one domain if asked")
    public SearchJson.Page<SearchJson.Activity> mostActive(@QueryParam("period") @Parameter(description = "days, default 7") String period,
                                                           @QueryParam("domain") String domain, @QueryParam("max") String max) {
        return SearchJson.activity(searches.mostActive(caller(), ActivityQuery.of(period, domain, max, searches.now())));
    }

    private Actor caller() {
        return JidPrincipal.of(identity).map(Actor::of).orElse(Actor.ANONYMOUS);
    }

    private static boolean flag(String name, String value) {
        if (value == null || value.isBlank() || value.equalsIgnoreCase("false")) {
            return false;
        }
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        throw new DomainException(Condition.BAD_REQUEST, name + " is true or false");
    }

    private static PostQuery.Order order(String order) {
        if (order == null || order.isBlank() || order.equalsIgnoreCase("relevance")) {
            return PostQuery.Order.RELEVANCE;
        }
        if (order.equalsIgnoreCase("newest")) {
            return PostQuery.Order.NEWEST;
        }
        throw new DomainException(Condition.BAD_REQUEST, "order is relevance or newest");
    }

    private static Jid jid(String name, String value) {
        return value == null || value.isBlank() ? null : Jid.parseEntityBare(name, value);
    }

}
