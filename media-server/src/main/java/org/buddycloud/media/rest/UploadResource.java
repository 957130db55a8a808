package org.buddycloud.media.rest;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.buddycloud.media.service.MediaConfig;
import org.buddycloud.media.upload.HttpUpload;
import org.buddycloud.media.upload.HttpUploads;
import org.buddycloud.media.upload.SlotGrant;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * XEP-0363 HTTP File Upload: the PUT and GET URLs of the slots the channel server hands out over XMPP. The PUT carries
 * the slot's token (not an access token: the caller's identity is the token's, checked here, never by the service's
 * authentication); the GET needs nothing but the URL.
 */
@Path("/upload/{slot}/{filename}")
@Tag(name = "upload")
public class UploadResource {

    private static final int COPY_BUFFER = 64 * 1024;

    private final HttpUploads uploads;
    private final MediaConfig config;

    UploadResource(HttpUploads uploads, MediaConfig config) {
        this.uploads = uploads;
        this.config = config;
    }

    @PUT
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Upload the file of an XEP-0363 slot, with the slot's Authorization header; once per slot")
    public Response put(@PathParam("slot") String slot, @PathParam("filename") String fileName,
                        @HeaderParam("Authorization") String authorization, @HeaderParam("Content-Length") Long contentLength,
                        @HeaderParam("Content-Type") String contentType, InputStream body) {
        SlotGrant grant = uploads.authorize(authorization);
        uploads.put(grant, slot, fileName, contentLength, contentType, body);
        return Response.status(Response.Status.CREATED).build();
    }

    @GET
    @Operation(summary = "Download an XEP-0363 upload; the URL is the capability, no credentials needed")
    public Response get(@PathParam("slot") String slot, @PathParam("filename") String fileName, @HeaderParam("Range") String range,
                        @HeaderParam("If-None-Match") String ifNoneMatch) {
        HttpUpload upload = uploads.find(slot, fileName);
        EntityTag etag = new EntityTag(upload.sha256());
        if (ifNoneMatch != null && (ifNoneMatch.strip().equals("*") || ifNoneMatch.contains("\"" + upload.sha256() + "\""))) {
            return cached(Response.notModified(etag)).build();
        }
        ByteRange requested = ByteRange.parse(range, upload.size());
        if (requested == ByteRange.UNSATISFIABLE) {
            return Response.status(416).header("Content-Range", "bytes */" + upload.size()).build();
        }
        long offset = requested == null ? 0 : requested.first();
        long length = requested == null ? upload.size() : requested.length();
        InputStream content = uploads.open(upload, offset, requested == null ? -1 : length);
        StreamingOutput body = out -> {
            try (InputStream in = content) {
                byte[] buffer = new byte[COPY_BUFFER];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    out.write(buffer, 0, n);
                }
            }
        };
        Response.ResponseBuilder response = cached(Response.status(requested == null ? 200 : 206).entity(body))
                .type(upload.contentType()).header("Content-Length", length).header("Accept-Ranges", "bytes").tag(etag)
                .header("Content-Disposition", disposition(upload))
                // what was uploaded is never run as a page of this origin, whatever its type claims
                .header("Content-Security-Policy", "default-src 'none'; sandbox");
        if (requested != null) {
            response.header("Content-Range", "bytes " + offset + "-" + (offset + length - 1) + "/" + upload.size());
        }
        return response.build();
    }

    /** Never changes: anyone holding the URL may keep it; nosniff, so the stored type is the one browsers use. */
    private Response.ResponseBuilder cached(Response.ResponseBuilder response) {
        return response.header("Cache-Control", "private, max-age=" + config.cacheMaxAge().toSeconds())
                .header("X-Content-Type-Options", "nosniff");
    }

    /** Pictures show in the page; anything else is saved, not opened in the browser. */
    private static String disposition(HttpUpload upload) {
        String kind = upload.contentType().startsWith("image/") ? "inline" : "attachment";
        String ascii = upload.fileName().replaceAll("[^\\x20-\\x7e]|[\"\\\\]", "_");
        return kind + "; filename=\"" + ascii + "\"; filename*=UTF-8''"
                + URLEncoder.encode(upload.fileName(), StandardCharsets.UTF_8).replace("+", "%20");
    }
}
