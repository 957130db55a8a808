package org.buddycloud.channels.rest;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.security.interfaces.RSAPublicKey;
import org.buddycloud.channels.token.SigningKey;
import org.buddycloud.channels.token.SigningKeyRing;
import org.buddycloud.contracts.auth.AccessTokenClaims;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The public keys that verify access tokens (RFC 7517), for every other service. */
@Path("/.well-known/jwks.json")
@Tag(name = "tokens")
public class JwksResource {

    private final SigningKeyRing keys;

    JwksResource(SigningKeyRing keys) {
        this.keys = keys;
    }

    @GET
    @PermitAll
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The signing keys of access tokens: the active one and recently retired ones")
    public Response jwks() {
        JsonWebKeySet set = new JsonWebKeySet(keys.published().stream().map(JwksResource::jwk).toList());
        // short caching: a rotated-in key must reach services quickly (they also refetch on unknown key ids)
        return Response.ok(set.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY)).header("Cache-Control", "public, max-age=60").build();
    }

    private static JsonWebKey jwk(SigningKey key) {
        RsaJsonWebKey jwk = new RsaJsonWebKey((RSAPublicKey) key.publicKey());
        jwk.setKeyId(key.keyId());
        jwk.setUse("sig");
        jwk.setAlgorithm(AccessTokenClaims.ALGORITHM);
        return jwk;
    }
}
