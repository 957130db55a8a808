package org.buddycloud.channels.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.buddycloud.channels.service.AccountTransactions;
import org.buddycloud.channels.service.TokenTransactions;
import org.buddycloud.channels.token.TokenGrant;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The token endpoint: HTTP Basic (user name or bare JID, and password) buys an access token and a
 * refresh token, in the OAuth 2.0 token-response shape (RFC 6749 §5.1); refresh and revocation
 * (RFC 7009) as JSON or as the OAuth form encodings.
 */
@Path("/auth")
@Tag(name = "tokens")
@Produces(MediaType.APPLICATION_JSON)
public class TokenResource {

    public record TokenResponse(@JsonProperty("access_token") String accessToken,
                                @JsonProperty("token_type") String tokenType,
                                @JsonProperty("expires_in") long expiresIn,
                                @JsonProperty("refresh_token") String refreshToken) {

        static TokenResponse of(TokenGrant grant) {
            return new TokenResponse(grant.accessToken(), "Bearer", grant.expiresInSeconds(), grant.refreshToken());
        }
    }

    public record RefreshRequest(@JsonProperty("refresh_token") String refreshToken) {
    }

    public record RevokeRequest(String token) {
    }

    private final AccountTransactions accounts;
    private final TokenTransactions tokens;
    private final SecurityIdentity identity;

    TokenResource(AccountTransactions accounts, TokenTransactions tokens, SecurityIdentity identity) {
        this.accounts = accounts;
        this.tokens = tokens;
        this.identity = identity;
    }

    @POST
    @Path("token")
    @Authenticated
    @Operation(summary = "Log in: an access token and a refresh token for HTTP Basic credentials")
    @APIResponse(responseCode = "200", content = @Content(examples = @ExampleObject(name = "token-response", value = "{\"access_token\":\"eyJ…\","
            + "\"token_type\":\"Bearer\",\"expires_in\":900,\"refresh_token\":\"q3Z…\"}")))
    @APIResponse(responseCode = "401", description = "Wrong user name or password, or no Basic credentials")
    @APIResponse(responseCode = "429", description = "Too many failed logins for this account or address; see Retry-After")
    public Response login() {
        if (!Callers.usedPassword(identity)) {
            // a 401 with a Basic challenge: here the password, not the token, is what counts
            throw new AuthenticationFailedException("log in with HTTP Basic and the account's password");
        }
        return issued(tokens.login(accounts.account(Callers.jid(identity))));
    }

    @POST
    @Path("token")
    @PermitAll
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "OAuth 2.0 refresh grant: grant_type=refresh_token&refresh_token=…",
            description = "A form without grant_type is a login with HTTP Basic, as some clients send an empty form.")
    public Response grant(@FormParam("grant_type") String grantType, @FormParam("refresh_token") String refreshToken) {
        if (grantType == null || grantType.isBlank()) {
            return login();
        }
        if (!"refresh_token".equals(grantType)) {
            throw new DomainException(Condition.BAD_REQUEST, "unsupported grant_type; use HTTP Basic to log in, or refresh_token");
        }
        return issued(tokens.refresh(refreshToken));
    }

    @POST
    @Path("refresh")
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Spend a refresh token for a new access token and refresh token",
            description = "Each refresh token works once; presenting a spent one ends its session.")
    @APIResponse(responseCode = "401", description = "Invalid, spent, expired or revoked refresh token")
    public Response refresh(RefreshRequest request) {
        return issued(tokens.refresh(AccountResource.required(request).refreshToken()));
    }

    @POST
    @Path("revoke")
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "End the session of an access or refresh token (RFC 7009)",
            description = "Every service refuses the session's tokens within seconds. Unknown tokens are not an error.")
    @APIResponse(responseCode = "200", description = "Revoked, or nothing to revoke")
    public Response revoke(RevokeRequest request) {
        tokens.revoke(AccountResource.required(request).token());
        return Response.ok().build();
    }

    @POST
    @Path("revoke")
    @PermitAll
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response revokeForm(@FormParam("token") String token) {
        tokens.revoke(token);
        return Response.ok().build();
    }

    private static Response issued(TokenGrant grant) {
        // RFC 6749 §5.1: token responses must not be cached
        return Response.ok(TokenResponse.of(grant)).header("Cache-Control", "no-store").header("Pragma", "no-cache").build();
    }
}
