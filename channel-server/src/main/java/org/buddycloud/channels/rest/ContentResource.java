package org.buddycloud.channels.rest;

import static org.buddycloud.channels.rest.ChannelRequests.ATOM;
import static org.buddycloud.channels.rest.ChannelRequests.NODE;
import static org.buddycloud.channels.rest.ChannelRequests.actor;
import static org.buddycloud.channels.rest.ChannelRequests.node;
import static org.buddycloud.channels.rest.ChannelRequests.page;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.buddycloud.channels.atom.AtomEntries;
import org.buddycloud.channels.domain.ChannelQueries;
import org.buddycloud.channels.domain.NodeName;
import org.buddycloud.channels.domain.Page;
import org.buddycloud.channels.domain.Post;
import org.buddycloud.channels.domain.PostDraft;
import org.buddycloud.channels.federation.RemoteChannels;
import org.buddycloud.channels.xmpp.XmppAddresses;
import org.buddycloud.channels.domain.Slice;
import org.buddycloud.channels.service.ChannelTransactions;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A node's posts at {@code /{channel}/content/{node}} (PROTOCOL.md §2.2): JSON or Atom by
 * {@code Accept}, newest first, paged with {@code max}, {@code after} (older) and {@code before}
 * (newer); the page's position comes in {@code X-RSM-Count}, {@code X-RSM-First}, {@code X-RSM-Last}.
 */
@Path("/{channel}/content/" + NODE)
@Tag(name = "content")
public class ContentResource {

    static final String POST_EXAMPLE = "{\"id\":\"5d2c0e7a-balcony\",\"author\":\"juliet@localhost\",\"published\":\"2026-11-26T10:15:30Z\","
            + "\"updated\":\"2026-11-26T10:15:30Z\",\"title\":\"Post\",\"content\":\"Wherefore art thou?\",\"contentType\":\"text\"}";
    private static final String REPLY_EXAMPLE = "{\"id\":\"9a41c3f2-reply\",\"author\":\"romeo@localhost\",\"published\":\"2026-11-26T10:17:02Z\","
            + "\"updated\":\"2026-11-26T10:17:02Z\",\"content\":\"Call me but love\",\"contentType\":\"text\",\"replyTo\":\"5d2c0e7a-balcony\"}";
    private static final String STATUS_EXAMPLE = "{\"id\":\"77e1b0d4-status\",\"author\":\"juliet@localhost\",\"published\":\"2026-11-26T22:40:00Z\","
            + "\"updated\":\"2026-11-26T22:40:00Z\",\"content\":\"On the balcony\",\"contentType\":\"text\"}";
    private static final String ENTRY_REQUEST_EXAMPLE = "<entry xmlns=\"http://www.w3.org/2005/Atom\">"
            + "<title>Post</title><content type=\"text\">Wherefore art thou?</content></entry>";
    private static final String STATUS_ENTRY_EXAMPLE = "<entry xmlns=\"http://www.w3.org/2005/Atom\">"
            + "<content type=\"text\">On the balcony</content></entry>";
    private static final String ENTRY_EXAMPLE = "<entry xmlns=\"http://www.w3.org/2005/Atom\" xmlns:activity=\"http://activitystrea.ms/spec/1.0/\""
            + " xmlns:thr=\"http://purl.org/syndication/thread/1.0\"><id>tag:localhost,/user/juliet@localhost/posts,5d2c0e7a-balcony</id>"
            + "<title>Post</title><content type=\"text\">Wherefore art thou?</content>"
            + "<published>2026-11-26T10:15:30Z</published><updated>2026-11-26T10:15:30Z</updated>"
            + "<author><name>juliet@localhost</name><uri>acct:juliet@localhost</uri><activity:object-type>person</activity:object-type></author>"
            + "<activity:verb>post</activity:verb><activity:object><activity:object-type>note</activity:object-type></activity:object></entry>";
    private static final String REPLY_ENTRY_EXAMPLE = "<entry xmlns=\"http://www.w3.org/2005/Atom\" xmlns:activity=\"http://activitystrea.ms/spec/1.0/\""
            + " xmlns:thr=\"http://purl.org/syndication/thread/1.0\"><id>tag:localhost,/user/juliet@localhost/posts,9a41c3f2-reply</id>"
            + "<content type=\"text\">Call me but love</content>"
            + "<published>2026-11-26T10:17:02Z</published><updated>2026-11-26T10:17:02Z</updated>"
            + "<author><name>romeo@localhost</name><uri>acct:romeo@localhost</uri><activity:object-type>person</activity:object-type></author>"
            + "<activity:verb>post</activity:verb><activity:object><activity:object-type>comment</activity:object-type></activity:object>"
            + "<thr:in-reply-to ref=\"5d2c0e7a-balcony\"/></entry>";
    private static final String FEED_EXAMPLE = "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>juliet@localhost posts</title>"
            + "<id>xmpp:channels.localhost?pubsub;action=retrieve;node=/user/juliet@localhost/posts</id>"
            + "<updated>2026-11-26T10:15:30Z</updated>" + ENTRY_EXAMPLE + "</feed>";
    private static final String REPLIES_FEED_EXAMPLE = "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>juliet@localhost posts</title>"
            + "<id>xmpp:channels.localhost?pubsub;action=retrieve;node=/user/juliet@localhost/posts</id>"
            + "<updated>2026-11-26T10:17:02Z</updated>" + REPLY_ENTRY_EXAMPLE + "</feed>";
    private static final String THREADS_EXAMPLE = "[{\"id\":\"5d2c0e7a-balcony\",\"updated\":\"2026-11-26T10:17:02Z\",\"items\":["
            + REPLY_EXAMPLE + "," + POST_EXAMPLE + "]}]";

    private final ChannelTransactions changes;
    private final ChannelQueries queries;
    private final AtomEntries atom;
    private final SecurityIdentity identity;
    private final String serviceJid;
    private final RemoteChannels remote;

    ContentResource(ChannelTransactions changes, ChannelQueries queries, AtomEntries atom, SecurityIdentity identity,
                    XmppAddresses addresses, RemoteChannels remote) {
        this.remote = remote;
        this.changes = changes;
        this.queries = queries;
        this.atom = atom;
        this.identity = identity;
        this.serviceJid = addresses.channelService();
    }

    @GET
    @Operation(summary = "A node's posts, newest first", description = "JSON array of posts, or an Atom feed with Accept: "
            + ATOM + ". parentOnly=true leaves replies out. The /subscriptions node lists the channels its owner follows.")
    @APIResponse(responseCode = "200", description = "Newest first; X-RSM-Count, X-RSM-First and X-RSM-Last place the page", content = {
        @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "posts", value = "[" + POST_EXAMPLE + "]")),
        @Content(mediaType = ATOM, examples = @ExampleObject(name = "feed", value = FEED_EXAMPLE))})
    @APIResponse(responseCode = "400", description = "Bad paging: max outside 1..200, or both after and before")
    @APIResponse(responseCode = "401", description = "Private channel and no credentials")
    @APIResponse(responseCode = "403", description = "Private channel you may not read (closed-node, pending-subscription)")
    @APIResponse(responseCode = "404", description = "No such node, or no such item to page from")
    @APIResponse(responseCode = "406", description = "Neither JSON nor Atom is acceptable")
    public Response items(@PathParam("channel") String channel, @PathParam("node") String node, @QueryParam("max") Integer max,
                          @QueryParam("after") String after, @QueryParam("before") String before,
                          @QueryParam("parentOnly") boolean parentOnly, @Context HttpHeaders headers) {
        NodeName name = node(channel, node);
        ChannelRequests.Representation representation = ChannelRequests.representation(headers);
        if (name.isVirtual()) {
            return Response.ok(SubscribedResource.followees(queries.followees(actor(identity), name.channel())),
                    MediaType.APPLICATION_JSON).build();
        }
        if (remote.isRemote(name) && !remote.hasCopy(name)) {
            // a channel of another domain nobody here follows: read at its own server, as the caller
            Page wanted = page(max, after, before, 50);
            return slice(remote.items(actor(identity).jid(), name, wanted.max(), wanted.after(), wanted.before()), name, representation);
        }
        return slice(queries.items(actor(identity), name, page(max, after, before, 50), parentOnly), name, representation);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Publish a post or a reply (replyTo), or edit one's own post (its id)")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = {
        @ExampleObject(name = "post", value = "{\"content\":\"Wherefore art thou?\"}"),
        @ExampleObject(name = "reply", value = "{\"content\":\"Call me but love\",\"replyTo\":\"5d2c0e7a-balcony\"}")}))
    @APIResponse(responseCode = "201", description = "Published; Location names the post",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "post", value = POST_EXAMPLE)))
    @APIResponse(responseCode = "400", description = "Invalid post (content-element-required, max-thread-depth-exceeded, …)")
    @APIResponse(responseCode = "401", description = "No credentials")
    @APIResponse(responseCode = "403", description = "You may not post here")
    @APIResponse(responseCode = "404", description = "No such node, or no such post to reply to (parent-item-not-found)")
    @APIResponse(responseCode = "413", description = "Body or content too large")
    @APIResponse(responseCode = "415", description = "Neither JSON nor an Atom entry")
    @APIResponse(responseCode = "202", description = "A channel of another domain whose server is away now: kept, sent when it is back")
    public Response publish(@PathParam("channel") String channel, @PathParam("node") String node, PostJson.Input input) {
        NodeName name = node(channel, node);
        PostDraft draft = AccountResource.required(input).toDraft();
        if (remote.isRemote(name)) {
            return sentOn(name, remote.publish(actor(identity).jid(), name, draft.id(), atom.request(draft)));
        }
        return created(changes.publish(actor(identity), name, draft));
    }

    @POST
    @Consumes(ATOM)
    @Operation(summary = "Publish an Atom entry, as a post or (thr:in-reply-to) a reply")
    @RequestBody(content = @Content(mediaType = ATOM, examples = {
        @ExampleObject(name = "entry", value = ENTRY_REQUEST_EXAMPLE),
        @ExampleObject(name = "reply", value = "<entry xmlns=\"http://www.w3.org/2005/Atom\" xmlns:thr=\"http://purl.org/syndication/thread/1.0\">"
                + "<content type=\"text\">Call me but love</content><thr:in-reply-to ref=\"5d2c0e7a-balcony\"/></entry>")}))
    @APIResponse(responseCode = "201", description = "Published; Location names the post",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "post", value = POST_EXAMPLE)))
    @APIResponse(responseCode = "400", description = "Not an Atom entry (entry-element-required), or not well-formed XML")
    public Response publishAtom(@PathParam("channel") String channel, @PathParam("node") String node, String entry) {
        NodeName name = node(channel, node);
        PostDraft draft = atom.parse(AccountResource.required(entry));
        if (remote.isRemote(name)) {
            // checked here as an entry (a bad one is refused before it travels), sent as the caller wrote it
            return sentOn(name, remote.publish(actor(identity).jid(), name, draft.id(), atom.request(draft)));
        }
        return created(changes.publish(actor(identity), name, draft));
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace the newest post (how /status is set)")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "status", value = "{\"content\":\"On the balcony\"}")))
    @APIResponse(responseCode = "201", description = "The new post; Location names it",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "status", value = STATUS_EXAMPLE)))
    @APIResponse(responseCode = "400", description = "Invalid post, or a reply (a replacement is a top-level post)")
    @APIResponse(responseCode = "401", description = "No credentials")
    @APIResponse(responseCode = "403", description = "You may not post here")
    @APIResponse(responseCode = "404", description = "No such node")
    @APIResponse(responseCode = "415", description = "Neither JSON nor an Atom entry")
    public Response replace(@PathParam("channel") String channel, @PathParam("node") String node, PostJson.Input input) {
        return created(changes.replaceLatest(actor(identity), node(channel, node), AccountResource.required(input).toDraft()));
    }

    @PUT
    @Consumes(ATOM)
    @Operation(summary = "Replace the newest post with an Atom entry")
    @RequestBody(content = @Content(mediaType = ATOM, examples = @ExampleObject(name = "status entry", value = STATUS_ENTRY_EXAMPLE)))
    @APIResponse(responseCode = "201", description = "The new post; Location names it",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "status", value = STATUS_EXAMPLE)))
    public Response replaceAtom(@PathParam("channel") String channel, @PathParam("node") String node, String entry) {
        return created(changes.replaceLatest(actor(identity), node(channel, node), atom.parse(AccountResource.required(entry))));
    }

    @GET
    @Path("threads")
    @Operation(summary = "Threads, most recently active first, each with its replies (oldest first) and the post last")
    @APIResponse(responseCode = "200", description = "Paged by thread like the posts, with the same X-RSM headers",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "threads", value = THREADS_EXAMPLE)))
    @APIResponse(responseCode = "401", description = "Private channel and no credentials")
    @APIResponse(responseCode = "403", description = "Private channel you may not read")
    @APIResponse(responseCode = "404", description = "No such node, or no such thread to page from")
    public Response threads(@PathParam("channel") String channel, @PathParam("node") String node, @QueryParam("max") Integer max,
                            @QueryParam("after") String after, @QueryParam("before") String before) {
        Slice<ChannelQueries.Thread> threads = queries.threads(actor(identity), node(channel, node), page(max, after, before, 15));
        List<ThreadJson> body = threads.items().stream().map(ThreadJson::of).toList();
        return paged(Response.ok(body, MediaType.APPLICATION_JSON), threads).build();
    }

    @GET
    @Path("{item}")
    @Operation(summary = "One post, JSON or Atom entry")
    @APIResponse(responseCode = "200", content = {
        @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "post", value = POST_EXAMPLE)),
        @Content(mediaType = ATOM, examples = @ExampleObject(name = "entry", value = ENTRY_EXAMPLE))})
    @APIResponse(responseCode = "401", description = "Private channel and no credentials")
    @APIResponse(responseCode = "403", description = "Private channel you may not read")
    @APIResponse(responseCode = "404", description = "No such post")
    @APIResponse(responseCode = "406", description = "Neither JSON nor Atom is acceptable")
    public Response item(@PathParam("channel") String channel, @PathParam("node") String node, @PathParam("item") String item,
                         @Context HttpHeaders headers) {
        NodeName name = node(channel, node);
        ChannelRequests.Representation representation = ChannelRequests.representation(headers);
        Post post = queries.item(actor(identity), name, item);
        return representation == ChannelRequests.Representation.ATOM
                ? Response.ok(atom.render(post), ATOM).build() : Response.ok(PostJson.of(post), MediaType.APPLICATION_JSON).build();
    }

    @DELETE
    @Path("{item}")
    @Operation(summary = "Delete a post (author, owner or moderator); a post's replies go with it")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "401", description = "No credentials")
    @APIResponse(responseCode = "403", description = "Neither its author nor an owner or moderator", content = @Content(
            mediaType = "application/problem+json", examples = @ExampleObject(name = "not yours", value = "{\"type\":\"urn:buddycloud:problem:forbidden\","
                    + "\"title\":\"Forbidden\",\"status\":403,\"detail\":\"your affiliation (member) does not allow you to delete other people's posts\","
                    + "\"instance\":\"/juliet@localhost/content/posts/5d2c0e7a-balcony\",\"condition\":\"forbidden\"}")))
    @APIResponse(responseCode = "404", description = "No such post")
    public Response retract(@PathParam("channel") String channel, @PathParam("node") String node, @PathParam("item") String item) {
        NodeName name = node(channel, node);
        if (remote.isRemote(name)) {
            return remote.retract(actor(identity).jid(), name, item) ? Response.accepted().build() : Response.noContent().build();
        }
        changes.retract(actor(identity), name, item);
        return Response.noContent().build();
    }

    @GET
    @Path("{item}/replyto")
    @Operation(summary = "The replies to a post, newest first")
    @APIResponse(responseCode = "200", description = "Paged like the posts, with the same X-RSM headers", content = {
        @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "replies", value = "[" + REPLY_EXAMPLE + "]")),
        @Content(mediaType = ATOM, examples = @ExampleObject(name = "feed", value = REPLIES_FEED_EXAMPLE))})
    @APIResponse(responseCode = "401", description = "Private channel and no credentials")
    @APIResponse(responseCode = "403", description = "Private channel you may not read")
    @APIResponse(responseCode = "404", description = "No such node or post")
    public Response replies(@PathParam("channel") String channel, @PathParam("node") String node, @PathParam("item") String item,
                            @QueryParam("max") Integer max, @QueryParam("after") String after, @QueryParam("before") String before,
                            @Context HttpHeaders headers) {
        NodeName name = node(channel, node);
        return slice(queries.replies(actor(identity), name, item, page(max, after, before, 50)), name,
                ChannelRequests.representation(headers));
    }

    private Response slice(Slice<Post> slice, NodeName node, ChannelRequests.Representation representation) {
        Response.ResponseBuilder response = representation == ChannelRequests.Representation.ATOM
                ? Response.ok(atom.feed(node, serviceJid, slice.items()), ATOM)
                : Response.ok(slice.items().stream().map(PostJson::of).toList(), MediaType.APPLICATION_JSON);
        return paged(response, slice).build();
    }

    static Response.ResponseBuilder paged(Response.ResponseBuilder response, Slice<?> slice) {
        response.header("X-RSM-Count", slice.count());
        if (slice.first() != null) {
            response.header("X-RSM-First", slice.first()).header("X-RSM-Last", slice.last());
        }
        return response;
    }

    /**
     * A post sent on to another domain's server: 201 with its id (the post itself is that server's, and reaches the
     * copy here with its notification), or 202 when it waits in the queue for a server that is away.
     */
    private static Response sentOn(NodeName node, RemoteChannels.Published published) {
        URI location = URI.create("/" + node.channel() + "/content/" + node.type() + "/" + published.id());
        java.util.Map<String, Object> body = published.queued() ? java.util.Map.of("id", published.id(), "queued", true)
                : java.util.Map.of("id", published.id());
        Response.ResponseBuilder response = published.queued() ? Response.accepted() : Response.created(location);
        return response.location(location).entity(body).type(MediaType.APPLICATION_JSON).build();
    }

    private static Response created(Post post) {
        return Response.created(URI.create("/" + post.node().channel() + "/content/" + post.node().type() + "/" + post.id()))
                .entity(PostJson.of(post)).type(MediaType.APPLICATION_JSON).build();
    }

    /** A thread as the old API returned it: replies oldest first, then the post itself. */
    public record ThreadJson(String id, java.time.Instant updated, List<PostJson> items) {
        static ThreadJson of(ChannelQueries.Thread thread) {
            List<PostJson> items = new java.util.ArrayList<>(thread.replies().stream().map(PostJson::of).toList());
            items.add(PostJson.of(thread.parent()));
            return new ThreadJson(thread.parent().id(), thread.parent().updated(), items);
        }
    }
}
