package org.buddycloud.media.rest;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.time.Instant;
import java.util.Optional;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import org.buddycloud.media.domain.MediaItem;
import org.buddycloud.media.service.MediaTransfers;
import org.buddycloud.servicekit.auth.JidPrincipal;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Presigned transfers for large files: ask for an upload URL, PUT the bytes to S3 with it, confirm.
 * The file then is like any other (same id, same routes).
 */
@Path("/{channel}/transfers")
@Tag(name = "media")
public class TransferResource {

    /** What the client announces: the file's name, type, exact length, and optionally a title and description. */
    public record TransferRequest(String fileName, String contentType, Long size, String title, String description) {
    }

    /** Where to PUT the bytes (with the Content-Type given) until {@code expiresAt}, and where to confirm. */
    public record TransferOffer(String id, String uploadUrl, String method, String contentType, Instant expiresAt, URI confirmUrl) {
    }

    private final MediaTransfers transfers;
    private final SecurityIdentity identity;

    TransferResource(MediaTransfers transfers, SecurityIdentity identity) {
        this.transfers = transfers;
        this.identity = identity;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Start a presigned upload: answers an S3 URL to PUT the bytes to, then confirm at confirmUrl")
    public Response offer(@PathParam("channel") String channel, TransferRequest request, UriInfo uri) {
        if (request == null || request.size() == null || request.fileName() == null) {
            throw new DomainException(Condition.BAD_REQUEST, "send {fileName, contentType, size[, title, description]}");
        }
        MediaTransfers.Offer offer = transfers.offer(caller(), Jid.parse(channel), request.fileName(), request.contentType(),
                request.size(), request.title(), request.description());
        URI confirm = uri.getAbsolutePathBuilder().path(offer.upload().id()).build();
        return Response.created(confirm).entity(new TransferOffer(offer.upload().id(), offer.url(), "PUT", offer.upload().contentType(),
                offer.expiresAt(), confirm)).build();
    }

    @POST
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Confirm a presigned upload: the stored bytes are checked and the file is recorded")
    public Response confirm(@PathParam("channel") String channel, @PathParam("id") String id, UriInfo uri) {
        MediaItem item = transfers.confirm(caller(), Jid.parse(channel), id);
        URI file = uri.getBaseUriBuilder().path(channel).path(item.id()).build();
        return Response.created(file).entity(MediaJson.of(item)).build();
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Give up a presigned upload; whatever was uploaded is removed")
    public Response cancel(@PathParam("channel") String channel, @PathParam("id") String id) {
        transfers.cancel(caller(), Jid.parse(channel), id);
        return Response.noContent().build();
    }

    private Optional<Jid> caller() {
        return JidPrincipal.of(identity);
    }
}
