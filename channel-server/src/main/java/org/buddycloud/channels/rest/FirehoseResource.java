package org.buddycloud.channels.rest;

import static org.buddycloud.channels.rest.ChannelRequests.actor;
import static org.buddycloud.channels.rest.ChannelRequests.page;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.buddycloud.channels.domain.ChannelQueries;
import org.buddycloud.channels.domain.Post;
import org.buddycloud.channels.domain.Slice;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /firehose}: the newest posts of this server that the caller may read; cursors are {@code node,id}. */
@Path("/firehose")
@Tag(name = "content")
@Produces(MediaType.APPLICATION_JSON)
public class FirehoseResource {

    /** A post with the node it belongs to. */
    public record SourcedPost(String source, PostJson post) {
    }

    private final ChannelQueries queries;
    private final SecurityIdentity identity;

    FirehoseResource(ChannelQueries queries, SecurityIdentity identity) {
        this.queries = queries;
        this.identity = identity;
    }

    @GET
    @Operation(summary = "Newest posts of all channels the caller may read (anonymous: open channels)",
            description = "Paged with max, after (older) and before (newer); cursors and the X-RSM-First/X-RSM-Last headers are node,id.")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(
            name = "posts", value = "[{\"source\":\"/user/juliet@localhost/posts\",\"post\":" + ContentResource.POST_EXAMPLE + "}]")))
    @APIResponse(responseCode = "400", description = "Bad paging: max outside 1..200, both after and before, or a cursor that is not node,id")
    @APIResponse(responseCode = "404", description = "No such post to page from")
    public Response firehose(@QueryParam("max") Integer max, @QueryParam("after") String after, @QueryParam("before") String before) {
        Slice<Post> slice = queries.firehose(actor(identity), page(max, after, before, 50));
        return ContentResource.paged(Response.ok(slice.items().stream()
                .map(p -> new SourcedPost(p.node().toString(), PostJson.of(p))).toList()), slice).build();
    }
}
