package org.buddycloud.channels.rest;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.buddycloud.channels.portability.ArchiveKeys;
import org.buddycloud.channels.portability.ExportJobs;
import org.buddycloud.channels.portability.ImportJobs;
import org.buddycloud.channels.portability.PortabilityConfig;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Portable data (README "Portable data"): an account's archive made in the background and downloaded by an expiring
 * link; imports and how they went (the upload itself is {@code ArchiveUploadRoute}'s, which streams it to disk past
 * the body limit of the rest of the API); and the question another domain asks before it trusts an archive of ours.
 */
@Tag(name = "portable data")
@Produces(MediaType.APPLICATION_JSON)
@Path("/account")
public class ArchiveResource {

    /** An export as its owner sees it; {@code downloadUrl} once it is ready. */
    public record ExportJson(String id, String state, long done, long total, Long size, String sha256, Instant createdAt,
                             Instant finishedAt, Instant expiresAt, String downloadUrl, String error) {
    }

    public record ImportJson(String id, String state, String source, String archiveId, long done, long total, Object report,
                             Instant createdAt, Instant finishedAt, String error) {
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private final ExportJobs exports;
    private final ImportJobs imports;
    private final ArchiveKeys keys;
    private final PortabilityConfig config;
    private final SecurityIdentity identity;
    private final Clock clock;

    ArchiveResource(ExportJobs exports, ImportJobs imports, ArchiveKeys keys, PortabilityConfig config, SecurityIdentity identity,
                    Clock clock) {
        this.exports = exports;
        this.imports = imports;
        this.keys = keys;
        this.config = config;
        this.identity = identity;
        this.clock = clock;
    }

    @POST
    @Path("exports")
    @Authenticated
    @Operation(summary = "Start an export of the caller's account", description = "Made in the background; follow it at the"
            + " answer's URL. Asking while one is under way answers that one.")
    @APIResponse(responseCode = "202", description = "Queued (or under way)")
    @APIResponse(responseCode = "429", description = "Too many exports today")
    public Response startExport() {
        ExportJobs.Export export = exports.request(Callers.jid(identity), clock.instant(), config.exportsPerDay());
        return Response.accepted(json(export)).header("Location", "/account/exports/" + export.id()).build();
    }

    @GET
    @Path("exports")
    @Authenticated
    @Operation(summary = "The caller's exports, newest first")
    public List<ExportJson> exports() {
        return exports.of(Callers.jid(identity)).stream().filter(e -> "account".equals(e.kind())).map(this::json).toList();
    }

    @GET
    @Path("exports/{id}")
    @Authenticated
    @Operation(summary = "An export: its progress, and its download link once it is ready")
    @APIResponse(responseCode = "404", description = "No such export of the caller's")
    public ExportJson export(@PathParam("id") String id) {
        return json(own(id));
    }

    @DELETE
    @Path("exports/{id}")
    @Authenticated
    @Operation(summary = "Delete an export and its archive (its link stops working)")
    public Response deleteExport(@PathParam("id") String id) {
        if (!exports.delete(uuid(id), Callers.jid(identity))) {
            throw new DomainException(Condition.ITEM_NOT_FOUND, "no export " + id);
        }
        return Response.noContent().build();
    }

    @GET
    @Path("exports/{id}/archive")
    @PermitAll
    @Produces("application/zip")
    @Operation(summary = "Download an export's archive", description = "The link works without a token until it expires.")
    @APIResponse(responseCode = "404", description = "No such archive, a wrong key, or the link expired")
    public Response download(@PathParam("id") String id, @QueryParam("key") String key) {
        if (key == null || key.isBlank() || key.length() > 100) {
            throw new DomainException(Condition.NOT_AUTHORIZED, "the link's key is missing");
        }
        UUID exportId = uuid(id);
        ExportJobs.Export export = exports.byLink(exportId, key, clock.instant())
                .orElseThrow(() -> new DomainException(Condition.ITEM_NOT_FOUND, "no archive at this link (or it expired)"));
        StreamingOutput body = out -> {
            try (InputStream in = exports.read(exportId)) {
                in.transferTo(out);
            }
        };
        return Response.ok(body, "application/zip")
                .header("Content-Length", export.size())
                .header("Content-Disposition", "attachment; filename=\"buddycloud-" + export.account().localpart().orElse("account")
                        + "-" + export.createdAt().toString().substring(0, 10) + ".zip\"")
                .header("Repr-Digest", "sha-256=:" + java.util.Base64.getEncoder().encodeToString(HexFormat.of().parseHex(export.sha256())) + ":")
                .header("Cache-Control", "private, no-store")
                .build();
    }

    @GET
    @Path("imports")
    @Authenticated
    @Operation(summary = "The caller's imports, newest first")
    public List<ImportJson> imports() {
        return imports.of(Callers.jid(identity)).stream().map(ArchiveResource::json).toList();
    }

    @GET
    @Path("imports/{id}")
    @Authenticated
    @Operation(summary = "An import: its progress, and once done what it restored and what it left out")
    public ImportJson importJob(@PathParam("id") String id) {
        ImportJobs.Import job = imports.find(uuid(id)).filter(i -> i.account().equals(Callers.jid(identity)))
                .orElseThrow(() -> new DomainException(Condition.ITEM_NOT_FOUND, "no import " + id));
        return json(job);
    }

    private ExportJobs.Export own(String id) {
        Jid caller = Callers.jid(identity);
        return exports.find(uuid(id)).filter(e -> e.account().equals(caller) && "account".equals(e.kind()))
                .orElseThrow(() -> new DomainException(Condition.ITEM_NOT_FOUND, "no export " + id));
    }

    private ExportJson json(ExportJobs.Export e) {
        return json(e, keys);
    }

    static ExportJson json(ExportJobs.Export e, ArchiveKeys keys) {
        String link = "ready".equals(e.state()) ? "/account/exports/" + e.id() + "/archive?key=" + keys.linkKey(e.id()) : null;
        return new ExportJson(e.id().toString(), e.state(), e.done(), e.total(), e.size(), e.sha256(), e.createdAt(), e.finishedAt(),
                e.expiresAt(), link, e.error());
    }

    static ImportJson json(ImportJobs.Import i) {
        Object report = null;
        if (i.report() != null) {
            try {
                report = JSON.readTree(i.report());
            } catch (java.io.IOException e) {
                report = i.report();
            }
        }
        return new ImportJson(i.id().toString(), i.state(), i.source(), i.archiveId().toString(), i.done(), i.total(), report,
                i.createdAt(), i.finishedAt(), i.error());
    }

    static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new DomainException(Condition.ITEM_NOT_FOUND, "no such id: " + id);
        }
    }
}
