package org.buddycloud.friends.rest;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import org.buddycloud.friends.domain.Claim;
import org.buddycloud.friends.domain.LookupHashes;
import org.buddycloud.friends.domain.Medium;
import org.buddycloud.friends.service.Claims;
import org.buddycloud.friends.service.Lookups;
import org.buddycloud.friends.service.Peppers;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Friend finding over REST: claims (ask, verify with the code sent, let others find it or not, remove), the hash
 * parameters, and lookups of hashes. The legacy {@code /match_contacts} answers only where an operator turned it on.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Blocking
public class FriendsResource {

    private final Claims claims;
    private final Lookups lookups;
    private final Peppers peppers;
    private final SecurityIdentity identity;

    FriendsResource(Claims claims, Lookups lookups, Peppers peppers, SecurityIdentity identity) {
        this.claims = claims;
        this.lookups = lookups;
        this.peppers = peppers;
        this.identity = identity;
    }

    @GET
    @Path("hash_details")
    @Operation(summary = "How to hash identifiers for a lookup: the algorithm and the current pepper (it turns on a schedule)")
    public FriendsJson.HashDetails hashDetails() {
        return new FriendsJson.HashDetails(List.of(LookupHashes.ALGORITHM), peppers.current().value());
    }

    @POST
    @Path("lookup")
    @Operation(summary = "The JIDs of verified, discoverable identifiers among these hashes (base64url SHA-256 of \"address medium pepper\")")
    public FriendsJson.Mappings lookup(FriendsJson.Lookup body) {
        FriendsJson.Lookup request = required(body);
        Map<String, String> mappings = new LinkedHashMap<>();
        lookups.lookup(Caller.of(identity), request.algorithm(), request.pepper(), request.addresses())
                .forEach((hash, jid) -> mappings.put(hash, jid.toString()));
        return new FriendsJson.Mappings(mappings);
    }

    @POST
    @Path("match_contacts")
    @Operation(summary = "Legacy (PROTOCOL.md §5): plain SHA-256 hashes of \"email:…\"/\"phone:…\"; off unless the operator turns it on. "
            + "\"mine\" is not taken as a claim: claims are verified (POST /claims)")
    public FriendsJson.LegacyItems matchContacts(FriendsJson.LegacyMatch body) {
        FriendsJson.LegacyMatch request = required(body);
        List<FriendsJson.LegacyItem> items = lookups.legacy(Caller.of(identity), request.others()).entrySet().stream()
                .map(e -> new FriendsJson.LegacyItem(e.getValue().toString(), e.getKey())).toList();
        return new FriendsJson.LegacyItems(items);
    }

    @GET
    @Path("claims")
    @Operation(summary = "The caller's claims, each identifier masked")
    public List<FriendsJson.ClaimView> myClaims() {
        return claims.of(Caller.of(identity)).stream().map(FriendsJson.ClaimView::of).toList();
    }

    @POST
    @Path("claims")
    @Operation(summary = "Claim a mail address or phone number: a code is sent to it (202); a verified claim is answered as it is (200)")
    public Response claim(FriendsJson.NewClaim body) {
        FriendsJson.NewClaim request = required(body);
        Claim claim = claims.request(Caller.of(identity), Medium.of(request.medium()), request.address(), request.country(),
                Boolean.TRUE.equals(request.discoverable()));
        return Response.status(claim.verified() ? 200 : 202).entity(FriendsJson.ClaimView.of(claim)).build();
    }

    @POST
    @Path("claims/{id}/verify")
    @Operation(summary = "Enter the code sent for the claim")
    public FriendsJson.ClaimView verify(@PathParam("id") String id, FriendsJson.Code body) {
        return FriendsJson.ClaimView.of(claims.verify(Caller.of(identity), id, required(body).code()));
    }

    @PATCH
    @Path("claims/{id}")
    @Operation(summary = "Let others find this identifier (discoverable: true) or stop them")
    public FriendsJson.ClaimView discoverable(@PathParam("id") String id, FriendsJson.Discoverable body) {
        Boolean discoverable = required(body).discoverable();
        if (discoverable == null) {
            throw new DomainException(Condition.BAD_REQUEST, "say {\"discoverable\": true} or false");
        }
        return FriendsJson.ClaimView.of(claims.discoverable(Caller.of(identity), id, discoverable));
    }

    @DELETE
    @Path("claims/{id}")
    @Operation(summary = "Remove the claim: nobody finds it from now on")
    public Response remove(@PathParam("id") String id) {
        claims.remove(Caller.of(identity), id);
        return Response.noContent().build();
    }

    private static <T> T required(T body) {
        if (body == null) {
            throw new DomainException(Condition.BAD_REQUEST, "a JSON body is needed");
        }
        return body;
    }
}
