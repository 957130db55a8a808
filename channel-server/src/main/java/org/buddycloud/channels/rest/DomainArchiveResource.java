package org.buddycloud.channels.rest;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import org.buddycloud.channels.portability.ArchiveKeys;
import org.buddycloud.channels.portability.ExportJobs;
import org.buddycloud.channels.portability.ImportJobs;
import org.buddycloud.channels.portability.PortabilityConfig;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The operator's export and import of the whole domain (README "Portable data"): under {@code /internal/}, which the
 * gateway never passes on, with the operator token. The domain archive's upload is {@code ArchiveUploadRoute}'s.
 */
@Path("/internal/domain")
@Tag(name = "portable data")
@Produces(MediaType.APPLICATION_JSON)
@PermitAll
public class DomainArchiveResource {

    static final String OPERATOR_HEADER = "X-Buddycloud-Operator-Token";
    static final String IMPORTS = "/internal/domain/imports";

    private final ExportJobs exports;
    private final ImportJobs imports;
    private final ArchiveKeys keys;
    private final PortabilityConfig config;
    private final Clock clock;
    private final Jid domain;

    DomainArchiveResource(ExportJobs exports, ImportJobs imports, ArchiveKeys keys, PortabilityConfig config, Clock clock,
                          @ConfigProperty(name = "buddycloud.domain") String domain) {
        this.exports = exports;
        this.imports = imports;
        this.keys = keys;
        this.config = config;
        this.clock = clock;
        this.domain = Jid.parse(domain);
    }

    @POST
    @Path("exports")
    @Operation(summary = "Start an export of the whole domain (every account with its password keys)")
    public Response startExport(@HeaderParam(OPERATOR_HEADER) String token) {
        requireOperator(config, token);
        ExportJobs.Export export = exports.request("domain", domain, clock.instant(), Integer.MAX_VALUE);
        return Response.accepted(ArchiveResource.json(export, keys)).build();
    }

    @GET
    @Path("exports/{id}")
    @Operation(summary = "A domain export: its progress, and its download link once it is ready")
    public ArchiveResource.ExportJson export(@HeaderParam(OPERATOR_HEADER) String token, @PathParam("id") String id) {
        requireOperator(config, token);
        return exports.find(ArchiveResource.uuid(id)).filter(e -> "domain".equals(e.kind()))
                .map(e -> ArchiveResource.json(e, keys))
                .orElseThrow(() -> new DomainException(Condition.ITEM_NOT_FOUND, "no domain export " + id));
    }

    @GET
    @Path("imports/{id}")
    @Operation(summary = "A domain import: its progress and, once done, how many accounts, posts and files it restored")
    public ArchiveResource.ImportJson importJob(@HeaderParam(OPERATOR_HEADER) String token, @PathParam("id") String id) {
        requireOperator(config, token);
        return imports.find(ArchiveResource.uuid(id)).filter(i -> i.account().equals(domain)).map(ArchiveResource::json)
                .orElseThrow(() -> new DomainException(Condition.ITEM_NOT_FOUND, "no domain import " + id));
    }

    /** Refuses a caller without the operator token (and everyone while none is configured). */
    static void requireOperator(PortabilityConfig config, String presented) {
        String token = config.operatorToken().filter(t -> !t.isBlank())
                .orElseThrow(() -> new DomainException(Condition.FORBIDDEN, "domain archives are off: set buddycloud.portability.operator-token"));
        if (presented == null || !MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8))) {
            throw new DomainException(Condition.FORBIDDEN, "an operator calls this with the operator token in " + OPERATOR_HEADER);
        }
    }
}
