package org.buddycloud.channels.rest;

import static org.buddycloud.channels.rest.ChannelRequests.actor;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.buddycloud.channels.domain.ChannelQueries;
import org.buddycloud.channels.domain.NodeName;
import org.buddycloud.channels.domain.Page;
import org.buddycloud.channels.domain.Post;
import org.buddycloud.contracts.access.Actor;
import org.buddycloud.contracts.problem.AppCondition;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /sync}: what happened since a moment in every channel the caller follows (recent items). */
@Path("/sync")
@Tag(name = "content")
@Produces(MediaType.APPLICATION_JSON)
public class SyncResource {

    /** Per node without the posts: how many are new, how many mention the caller, and the newest of each. */
    public record Summary(int totalCount, int mentionsCount, Instant lastPost, Instant lastMention) {
    }

    private final ChannelQueries queries;
    private final SecurityIdentity identity;

    SyncResource(ChannelQueries queries, SecurityIdentity identity) {
        this.queries = queries;
        this.identity = identity;
    }

    @GET
    @Authenticated
    @Operation(summary = "Recent posts of every followed channel, keyed by node",
            description = "since: ISO-8601 instant (required); max: posts per node (default 10); summary=true gives counts"
                    + " instead of posts (the caller's own posts are not counted).")
    @APIResponse(responseCode = "200", content = @Content(examples = @ExampleObject(name = "summary",
            value = "{\"/user/romeo@localhost/posts\":{\"totalCount\":3,\"mentionsCount\":1,\"lastPost\":\"2026-11-26T10:15:30Z\","
                    + "\"lastMention\":\"2026-11-26T10:12:00Z\"}}")))
    @APIResponse(responseCode = "400", description = "since missing or not an instant, max out of range")
    public Map<String, Object> sync(@QueryParam("since") String since, @QueryParam("max") Integer max,
                                    @QueryParam("summary") boolean summary, @QueryParam("parentOnly") boolean parentOnly) {
        Instant from = ChannelRequests.since(since);
        if (from == null) {
            throw new DomainException(Condition.BAD_REQUEST, AppCondition.SINCE_REQUIRED, "since is required");
        }
        Actor actor = actor(identity);
        // a summary counts what is new, not one page of it (up to the per-node limit)
        int perNode = summary && max == null ? Page.LIMIT : max == null ? 10 : max;
        Map<NodeName, List<Post>> recent = queries.recentItems(actor, from, perNode, parentOnly);
        Map<String, Object> result = new LinkedHashMap<>();
        recent.forEach((node, posts) -> result.put(node.toString(),
                summary ? summarise(posts, actor) : posts.stream().map(PostJson::of).toList()));
        return result;
    }

    private static Summary summarise(List<Post> posts, Actor actor) {
        List<Post> others = posts.stream().filter(p -> !actor.is(p.author())).toList();
        List<Post> mentions = others.stream().filter(p -> p.mentions().contains(actor.jid())).toList();
        return new Summary(others.size(), mentions.size(), others.isEmpty() ? null : others.get(0).updated(),
                mentions.isEmpty() ? null : mentions.get(0).updated());
    }
}
