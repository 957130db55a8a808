package org.buddycloud.servicekit.auth;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import org.buddycloud.contracts.auth.AccessTokenClaims;
import org.buddycloud.contracts.auth.InvalidTokenException;
import org.buddycloud.contracts.auth.TokenVerifier;
import org.jboss.logging.Logger;

/** Turns a verified access token into the caller's identity: principal name = bare JID. */
@ApplicationScoped
public class BearerIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

    /** Identity attribute holding the token's {@link AccessTokenClaims}. */
    public static final String CLAIMS = "buddycloud.claims";
    /** Identity attribute saying how the caller proved who they are: {@code bearer} or {@code password}. */
    public static final String METHOD = "buddycloud.auth-method";

    private static final Logger LOG = Logger.getLogger(BearerIdentityProvider.class);

    private final TokenVerifier verifier;
    private final MeterRegistry metrics;

    BearerIdentityProvider(TokenVerifier verifier, MeterRegistry metrics) {
        this.verifier = verifier;
        this.metrics = metrics;
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        // an unknown key id makes the verifier fetch the key set: keep that off the event loop
        return context.runBlocking(() -> identity(request.getToken().getToken()));
    }

    private SecurityIdentity identity(String token) {
        try {
            AccessTokenClaims claims = verifier.verify(token);
            metrics.counter("buddycloud.tokens.verified", "outcome", "accepted").increment();
            return QuarkusSecurityIdentity.builder()
                    .setPrincipal(new JidPrincipal(claims.subject()))
                    .addAttribute(CLAIMS, claims)
                    .addAttribute(METHOD, "bearer")
                    .build();
        } catch (InvalidTokenException e) {
            String outcome = e.reason().name().toLowerCase(Locale.ROOT);
            metrics.counter("buddycloud.tokens.verified", "outcome", outcome).increment();
            LOG.debugf("refused a bearer token: %s", outcome);
            // the reason (expired, revoked, unknown key...) tells a client whether refreshing can help
            throw new AuthenticationFailedException("invalid access token: " + e.getMessage());
        }
    }
}
