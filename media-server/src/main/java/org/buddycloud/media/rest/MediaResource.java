package org.buddycloud.media.rest;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import org.buddycloud.media.domain.MediaItem;
import org.buddycloud.media.domain.Upload;
import org.buddycloud.media.service.MediaConfig;
import org.buddycloud.media.service.MediaService;
import org.buddycloud.media.service.MediaTransfers;
import org.buddycloud.servicekit.auth.JidPrincipal;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * The media API of PROTOCOL.md §3: list, upload (multipart, spooled to disk by the HTTP layer and
 * streamed to object storage, never held in memory), download with ranges and validators, metadata.
 */
@Path("/{channel}")
@Tag(name = "media")
public class MediaResource {

    private static final int COPY_BUFFER = 64 * 1024;

    private final MediaService media;
    private final MediaTransfers transfers;
    private final MediaConfig config;
    private final SecurityIdentity identity;

    MediaResource(MediaService media, MediaTransfers transfers, MediaConfig config, SecurityIdentity identity) {
        this.media = media;
        this.transfers = transfers;
        this.config = config;
        this.identity = identity;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The channel's files, newest first; after = the last id of the previous page")
    public List<MediaJson> list(@PathParam("channel") String channel, @QueryParam("max") @DefaultValue("20") int max,
                                @QueryParam("after") String after) {
        return media.list(caller(), jid(channel), max, after).stream().map(MediaJson::of).toList();
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Upload a file (part 'file'; fields filename, title, description, content-type)")
    public Response upload(@PathParam("channel") String channel, @RestForm("file") FileUpload file, @RestForm("filename") String fileName,
                           @RestForm("title") String title, @RestForm("description") String description,
                           @RestForm("content-type") String contentType, @RestForm("content-length") Long declaredLength,
                           UriInfo uri) {
        Jid channelJid = jid(channel);
        MediaItem item = withUpload(file, fileName, title, description, contentType, declaredLength,
                upload -> media.upload(caller(), channelJid, upload));
        return Response.created(uri.getAbsolutePathBuilder().path(item.id()).build()).entity(MediaJson.of(item)).build();
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Upload in the old form: base64 'data' with a mandatory 'content-type' (10 MB at most)")
    public Response uploadBase64(@PathParam("channel") String channel, @FormParam("data") String data, @FormParam("filename") String fileName,
                                 @FormParam("title") String title, @FormParam("description") String description,
                                 @FormParam("content-type") String contentType, UriInfo uri) {
        Jid channelJid = jid(channel);
        if (data == null || data.isBlank()) {
            throw new DomainException(Condition.BAD_REQUEST, "send the file base64-encoded in 'data'");
        }
        if (contentType == null || contentType.isBlank()) {
            throw new DomainException(Condition.BAD_REQUEST, "'content-type' is required with base64 data");
        }
        if (data.length() / 4L * 3 > config.maxBase64Size()) {
            throw new DomainException(Condition.PAYLOAD_TOO_BIG, "base64 uploads are at most " + config.maxBase64Size()
                    + " bytes; use multipart for larger files");
        }
        byte[] decoded;
        try {
            // the form already holds the whole body in memory (hence its smaller limit); decoding it here is no worse
            decoded = Base64.getMimeDecoder().decode(data);
        } catch (IllegalArgumentException e) {
            throw new DomainException(Condition.BAD_REQUEST, "'data' is not valid base64");
        }
        MediaItem item = media.upload(caller(), channelJid, new Upload(new ByteArrayInputStream(decoded), decoded.length,
                fileName == null ? "upload" : fileName, title, description, contentType));
        return Response.created(uri.getAbsolutePathBuilder().path(item.id()).build()).entity(MediaJson.of(item)).build();
    }

    @PUT
    @Path("/avatar")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Upload or replace the channel's avatar (same fields as an upload); avatars are public")
    public MediaJson replaceAvatar(@PathParam("channel") String channel, @RestForm("file") FileUpload file,
                                   @RestForm("filename") String fileName, @RestForm("title") String title,
                                   @RestForm("description") String description, @RestForm("content-type") String contentType,
                                   @RestForm("content-length") Long declaredLength) {
        Jid channelJid = jid(channel);
        return MediaJson.of(withUpload(file, fileName, title, description, contentType, declaredLength,
                upload -> media.replaceAvatar(caller(), channelJid, upload)));
    }

    @GET
    @Path("/avatar")
    @Operation(summary = "The channel's avatar, for anyone", description = "default=none: 204 No Content instead of 404 when "
            + "the channel has none, so that a page showing many channels' avatars does not log an error for each")
    public Response avatar(@PathParam("channel") String channel, @HeaderParam("Range") String range,
                           @HeaderParam("If-None-Match") String ifNoneMatch, @QueryParam("maxwidth") Integer maxWidth,
                           @QueryParam("maxheight") Integer maxHeight, @QueryParam("default") String fallback) {
        if (fallback != null && !"none".equals(fallback)) {
            throw new DomainException(Condition.BAD_REQUEST, "default may only be none");
        }
        MediaItem avatar;
        try {
            avatar = media.avatar(jid(channel));
        } catch (DomainException e) {
            if (fallback != null && e.condition() == Condition.ITEM_NOT_FOUND) {
                return Response.noContent().header("Cache-Control", "no-cache").build();
            }
            throw e;
        }
        return download(channel, avatar.id(), range, ifNoneMatch, maxWidth, maxHeight);
    }

    @GET
    @Path("/avatar/metadata")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The channel's avatar's metadata, for anyone")
    public MediaJson avatarMetadata(@PathParam("channel") String channel) {
        return MediaJson.of(media.avatar(jid(channel)));
    }

    /** Opens the spooled multipart file and hands it, with its declared metadata, to the use case. */
    private MediaItem withUpload(FileUpload file, String fileName, String title, String description, String contentType,
                                 Long declaredLength, java.util.function.Function<Upload, MediaItem> useCase) {
        if (file == null || file.uploadedFile() == null) {
            throw new DomainException(Condition.BAD_REQUEST, "send the file in a multipart part named 'file'");
        }
        if (declaredLength != null && declaredLength > media.maxSize()) {
            throw new DomainException(Condition.PAYLOAD_TOO_BIG, "the file is larger than " + media.maxSize() + " bytes");
        }
        if (declaredLength != null && declaredLength != file.size()) {
            throw new DomainException(Condition.BAD_REQUEST, "content-length says " + declaredLength + " bytes, the file has " + file.size());
        }
        try (InputStream content = Files.newInputStream(file.uploadedFile())) {
            return useCase.apply(new Upload(content, file.size(), fileName != null ? fileName : file.fileName(), title, description,
                    contentType != null ? contentType : file.contentType()));
        } catch (IOException e) {
            throw new UncheckedIOException("reading the spooled upload failed", e);
        }
    }

    @POST
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change a file's filename, title or description (the uploader, owners and moderators)")
    public MediaJson update(@PathParam("channel") String channel, @PathParam("id") String id, @FormParam("filename") String fileName,
                            @FormParam("title") String title, @FormParam("description") String description) {
        return MediaJson.of(media.update(caller(), jid(channel), id, fileName, title, description));
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a file (the uploader, owners and moderators)")
    public Response delete(@PathParam("channel") String channel, @PathParam("id") String id) {
        media.delete(caller(), jid(channel), id);
        return Response.noContent().build();
    }

    @GET
    @Path("/{id}/link")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A presigned S3 URL to download the file directly, for whoever may read it; expires")
    public MediaTransfers.Link link(@PathParam("channel") String channel, @PathParam("id") String id) {
        return transfers.link(caller(), jid(channel), id);
    }

    @GET
    @Path("/{id}/metadata")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A file's metadata")
    public MediaJson metadata(@PathParam("channel") String channel, @PathParam("id") String id) {
        return MediaJson.of(media.metadata(caller(), jid(channel), id));
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Download a file; supports Range (one range) and If-None-Match")
    public Response download(@PathParam("channel") String channel, @PathParam("id") String id, @HeaderParam("Range") String range,
                             @HeaderParam("If-None-Match") String ifNoneMatch, @QueryParam("maxwidth") Integer maxWidth,
                             @QueryParam("maxheight") Integer maxHeight) {
        if (maxWidth != null || maxHeight != null) {
            return send(media.preview(caller(), jid(channel), id, maxWidth, maxHeight), null, ifNoneMatch);
        }
        MediaService.Readable file = media.readable(caller(), jid(channel), id);
        MediaItem item = file.item();
        if (matches(ifNoneMatch, item)) {
            return notModified(item, file.publicCacheable());
        }
        ByteRange requested = ByteRange.parse(range, item.size());
        if (requested == ByteRange.UNSATISFIABLE) {
            return Response.status(416).header("Content-Range", "bytes */" + item.size()).build();
        }
        MediaService.Download download = requested == null ? media.open(file, 0, -1) : media.open(file, requested.first(), requested.length());
        return send(download, requested, null);
    }

    /** The file (or preview, or range of the file) with its validator and cache headers. */
    private Response send(MediaService.Download download, ByteRange requested, String ifNoneMatch) {
        MediaItem item = download.item();
        if (matches(ifNoneMatch, item)) {
            closeQuietly(download.content());
            return notModified(item, download.publicCacheable());
        }
        StreamingOutput body = out -> {
            try (InputStream in = download.content()) {
                // larger chunks than transferTo's 8 KiB: fewer writes through the HTTP layer for big files
                byte[] buffer = new byte[COPY_BUFFER];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    out.write(buffer, 0, n);
                }
            }
        };
        Response.ResponseBuilder response = Response.status(requested == null ? 200 : 206).entity(body)
                .type(item.contentType()).header("Content-Length", download.length()).header("Accept-Ranges", "bytes")
                .tag(new EntityTag(item.sha256())).header("Cache-Control", cacheControl(download.publicCacheable()))
                .header("Content-Disposition", "inline; filename=\"" + item.fileName().replace("\"", "") + "\"");
        if (requested != null) {
            response.header("Content-Range", "bytes " + requested.first() + "-" + (requested.first() + requested.length() - 1) + "/"
                    + item.size());
        }
        return response.build();
    }

    /** If-None-Match: {@code *} or one of the listed validators is this file's. */
    private static boolean matches(String ifNoneMatch, MediaItem item) {
        return ifNoneMatch != null && (ifNoneMatch.strip().equals("*")
                || List.of(ifNoneMatch.split(",")).stream().map(String::strip).anyMatch(item.etag()::equals));
    }

    private Response notModified(MediaItem item, boolean publicCacheable) {
        return Response.notModified(new EntityTag(item.sha256())).header("Cache-Control", cacheControl(publicCacheable)).build();
    }

    /** Shared caches may keep what anyone may read (open channels, avatars); the rest only the reader's own cache. */
    private String cacheControl(boolean publicCacheable) {
        return (publicCacheable ? "public, " : "private, ") + "max-age=" + config.cacheMaxAge().toSeconds();
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // nothing was read from it; the connection is dropped either way
            return;
        }
    }

    private Optional<Jid> caller() {
        return JidPrincipal.of(identity);
    }

    private static Jid jid(String channel) {
        return Jid.parse(channel);
    }
}
