package org.buddycloud.channels.rest;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import org.buddycloud.channels.portability.ArchiveKeys;
import org.buddycloud.channels.portability.ChannelMoves;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * What another domain's server asks of ours about an archive we made: whether we signed it, before it trusts the posts
 * of other people it carries; and, once it restored it, that the account moved there.
 */
@Path("/archives")
@Tag(name = "portable data")
@Produces(MediaType.APPLICATION_JSON)
public class ArchiveVerificationResource {

    public record Verification(String manifestSha256, String signature) {
    }

    /** The archive a server restored (our export's id, its manifest's SHA-256 and our signature) and who it is now. */
    public record Move(String archiveId, String manifestSha256, String signature, String to) {
    }

    private final ArchiveKeys keys;
    private final ChannelMoves moves;

    ArchiveVerificationResource(ArchiveKeys keys, ChannelMoves moves) {
        this.keys = keys;
        this.moves = moves;
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

    @POST
    @Path("moved")
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "An account of ours moved to another domain", description = "Told by the server an account's archive was"
            + " imported into, which shows the export it restored (only the account's own export carries our signature of its"
            + " manifest). The move is recorded once; the channel's followers are told where it went (XEP-0060 delete with"
            + " redirect) and their servers, and ours for our users, make them follow it there. 403 for an archive we did not"
            + " make of an account, 409 when the account moved elsewhere already.")
    public Map<String, Object> moved(Move move) {
        if (move == null || move.manifestSha256() == null || !move.manifestSha256().matches("[0-9a-f]{64}")
                || move.signature() == null || move.signature().length() > 200 || move.archiveId() == null || move.to() == null) {
            throw new DomainException(Condition.BAD_REQUEST, "send {archiveId, manifestSha256 (hex), signature, to (the new JID)}");
        }
        UUID archive;
        try {
            archive = UUID.fromString(move.archiveId());
        } catch (IllegalArgumentException e) {
            throw new DomainException(Condition.BAD_REQUEST, "archiveId is no UUID");
        }
        Jid to = Jid.parseEntityBare("to", move.to());
        return moves.movedAway(archive, move.manifestSha256(), move.signature(), to)
                .<Map<String, Object>>map(told -> Map.of("moved", true, "followersTold", told))
                .orElse(Map.of("moved", false));
    }

}
