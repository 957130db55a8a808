package org.buddycloud.channels.rest;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.HexFormat;
import java.util.Map;
import org.buddycloud.channels.portability.ArchiveKeys;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The question another domain asks before it trusts the posts of other people that an archive of ours carries. */
@Path("/archives")
@Tag(name = "portable data")
@Produces(MediaType.APPLICATION_JSON)
public class ArchiveVerificationResource {

    public record Verification(String manifestSha256, String signature) {
    }

    private final ArchiveKeys keys;

    ArchiveVerificationResource(ArchiveKeys keys) {
        this.keys = keys;
    }

    @POST
    @Path("verify")
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Whether this domain signed an archive", description = "Asked by another domain's server before it"
            + " trusts the posts of other people an archive of ours carries.")
    public Map<String, Boolean> verify(Verification verification) {
        if (verification == null || verification.manifestSha256() == null || !verification.manifestSha256().matches("[0-9a-f]{64}")
                || verification.signature() == null || verification.signature().length() > 200) {
            throw new DomainException(Condition.BAD_REQUEST, "send {manifestSha256 (hex), signature}");
        }
        return Map.of("valid", keys.isOurs(HexFormat.of().parseHex(verification.manifestSha256()), verification.signature()));
    }

}
