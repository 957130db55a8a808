package org.buddycloud.channels.rest;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Named;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.buddycloud.channels.account.Account;
import org.buddycloud.channels.auth.AccountThrottle;
import org.buddycloud.channels.service.AccountTransactions;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Accounts on this server's XMPP domain, at the old buddycloud HTTP API paths. */
@Path("/account")
@Tag(name = "accounts")
@Produces(MediaType.APPLICATION_JSON)
public class AccountResource {

    public record Registration(String username, String password, String email) {
    }

    public record Registered(String jid) {
    }

    /** {@code username} is accepted for compatibility and must then name the caller. */
    public record PasswordChange(String username, String password, String currentPassword) {
    }

    public record ResetRequest(String username) {
    }

    public record ResetConfirmation(String token, String password) {
    }

    public record Accepted(String status) {
    }

    private final AccountTransactions accounts;
    private final AccountThrottle loginThrottle;
    private final AccountThrottle resetThrottle;
    private final ResetMailer mailer;
    private final SecurityIdentity identity;

    AccountResource(AccountTransactions accounts, @Named("login") AccountThrottle loginThrottle,
                    @Named("reset") AccountThrottle resetThrottle, ResetMailer mailer, SecurityIdentity identity) {
        this.accounts = accounts;
        this.loginThrottle = loginThrottle;
        this.resetThrottle = resetThrottle;
        this.mailer = mailer;
        this.identity = identity;
    }

    @POST
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register an account", description = "Creates user@domain with its personal channel. The password is"
            + " kept only as salted SCRAM-SHA-1 and SCRAM-SHA-256 keys.")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "registration",
            value = "{\"username\":\"juliet\",\"password\":\"wherefore-art-thou\",\"email\":\"juliet@example.com\"}")))
    @APIResponse(responseCode = "201", content = @Content(examples = @ExampleObject(name = "registered", value = "{\"jid\":\"juliet@localhost\"}")))
    @APIResponse(responseCode = "400", description = "Invalid user name (XMPP localpart rules), missing or too short password, bad e-mail")
    @APIResponse(responseCode = "409", description = "The user name is taken")
    @APIResponse(responseCode = "413", description = "Body too large")
    public Response register(Registration registration) {
        Registration r = required(registration);
        Account account = accounts.register(r.username(), r.password(), r.email());
        return Response.status(Response.Status.CREATED).entity(new Registered(account.jid().toString())).build();
    }

    @DELETE
    @Authenticated
    @Operation(summary = "Delete the caller's account", description = "Revokes every token of the account at once.")
    @APIResponse(responseCode = "204", description = "Deleted")
    public Response delete() {
        accounts.delete(Callers.jid(identity));
        return Response.noContent().build();
    }

    @POST
    @Path("pw/change")
    @Authenticated
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change the caller's password", description = "Authenticate with HTTP Basic and the current password,"
            + " or with a bearer token plus currentPassword in the body. Every token issued before is revoked.")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "new-password", value = "{\"password\":\"a-new-secret\"}")))
    @APIResponse(responseCode = "204", description = "Changed")
    public Response changePassword(PasswordChange change, @Context HttpServerRequest http) {
        PasswordChange c = required(change);
        Jid caller = Callers.jid(identity);
        if (c.username() != null && !accounts.identify(c.username()).map(caller::equals).orElse(false)) {
            throw new DomainException(Condition.FORBIDDEN, "you can only change your own password");
        }
        if (!Callers.usedPassword(identity)) {
            proveCurrentPassword(caller, c.currentPassword(), Callers.address(http));
        }
        accounts.changePassword(caller, c.password());
        return Response.noContent().build();
    }

    /** A stolen access token must not be enough to take the account over, nor to guess its password unthrottled. */
    private void proveCurrentPassword(Jid caller, String currentPassword, String address) {
        loginThrottle.checkAllowed(caller.toString(), address);
        if (accounts.authenticate(caller.toString(), currentPassword == null ? "" : currentPassword).isEmpty()) {
            loginThrottle.record(caller.toString(), address);
            throw new DomainException(Condition.FORBIDDEN, "changing the password with a token needs the current password"
                    + " in 'currentPassword'");
        }
    }

    @POST
    @Path("pw/reset")
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "E-mail a password reset token", description = "Always answers 202, whether or not the account"
            + " exists. Rate limited per account and per client address.")
    @APIResponse(responseCode = "202", description = "If the account exists, a single-use, expiring token was e-mailed")
    @APIResponse(responseCode = "429", description = "Too many reset requests; see Retry-After")
    public Response requestReset(ResetRequest request, @Context HttpServerRequest http) {
        ResetRequest r = required(request);
        if (r.username() == null || r.username().isBlank()) {
            throw new DomainException(Condition.BAD_REQUEST, "a user name is required");
        }
        String address = Callers.address(http);
        resetThrottle.checkAllowed(r.username(), address);
        resetThrottle.record(r.username(), address);
        accounts.requestReset(r.username()).ifPresent(mailer::send);
        return Response.accepted(new Accepted("if the account exists, a reset token was sent to its e-mail address")).build();
    }

    @POST
    @Path("pw/reset/confirm")
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set a new password with an e-mailed reset token")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "reset-confirmation", value = "{\"token\":\"…\",\"password\":\"a-new-secret\"}")))
    @APIResponse(responseCode = "204", description = "The new password is set; every earlier token is revoked")
    @APIResponse(responseCode = "400", description = "Invalid, used or expired token, or an unacceptable password")
    public Response confirmReset(ResetConfirmation confirmation) {
        ResetConfirmation c = required(confirmation);
        accounts.confirmReset(c.token(), c.password());
        return Response.noContent().build();
    }

    static <T> T required(T body) {
        if (body == null) {
            throw new DomainException(Condition.BAD_REQUEST, "a JSON body is required");
        }
        return body;
    }
}
