package org.buddycloud.servicekit.web;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Tells a caller who its credentials say it is: the simplest proof that a service accepts a token. */
@Path("/whoami")
@Tag(name = "identity")
public class WhoAmIResource {

    public record WhoAmI(String jid) {
    }

    private final SecurityIdentity identity;

    WhoAmIResource(SecurityIdentity identity) {
        this.identity = identity;
    }

    @GET
    @Authenticated
    @Produces(MediaType.APPLICATION_JSON)
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "The bare JID the caller's access token belongs to")
    @APIResponse(responseCode = "200", content = @Content(examples = @ExampleObject(name = "whoami", value = "{\"jid\":\"juliet@example.com\"}")))
    @APIResponse(responseCode = "401", description = "No valid access token: problem+json and a WWW-Authenticate challenge")
    public WhoAmI whoami() {
        return new WhoAmI(identity.getPrincipal().getName());
    }
}
