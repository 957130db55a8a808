package org.buddycloud.servicekit.auth;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.credential.PasswordCredential;
import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;

/**
 * Reads the {@code Authorization} header: {@code Bearer <access token>} everywhere, and
 * {@code Basic} (user name or bare JID and password) where the service holds the credentials.
 * No header means an anonymous request; endpoints decide whether that is enough.
 */
@ApplicationScoped
public class ApiAuthMechanism implements HttpAuthenticationMechanism {

    private final AuthConfig config;

    ApiAuthMechanism(AuthConfig config) {
        this.config = config;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        String header = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || header.isBlank()) {
            return Uni.createFrom().nullItem();
        }
        AuthenticationRequest request;
        if (hasScheme(header, "Bearer")) {
            request = new TokenAuthenticationRequest(new TokenCredential(header.substring(7).trim(), "bearer"));
        } else if (config.basicEnabled() && hasScheme(header, "Basic")) {
            request = basic(header.substring(6).trim());
        } else {
            return Uni.createFrom().failure(new AuthenticationFailedException("unsupported Authorization scheme"));
        }
        return request == null
                ? Uni.createFrom().failure(new AuthenticationFailedException("malformed Basic credentials"))
                : identities.authenticate(HttpSecurityUtils.setRoutingContextAttribute(request, context));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", challenge(config)));
    }

    /** The {@code WWW-Authenticate} value for a 401 from this service. */
    public static String challenge(AuthConfig config) {
        String bearer = "Bearer realm=\"" + config.realm() + "\"";
        return config.basicEnabled() ? bearer + ", Basic realm=\"" + config.realm() + "\", charset=\"UTF-8\"" : bearer;
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return config.basicEnabled()
                ? Set.of(TokenAuthenticationRequest.class, UsernamePasswordAuthenticationRequest.class)
                : Set.of(TokenAuthenticationRequest.class);
    }

    private static boolean hasScheme(String header, String scheme) {
        return header.regionMatches(true, 0, scheme + " ", 0, scheme.length() + 1);
    }

    private static UsernamePasswordAuthenticationRequest basic(String encoded) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        return new UsernamePasswordAuthenticationRequest(decoded.substring(0, colon),
                new PasswordCredential(decoded.substring(colon + 1).toCharArray()));
    }
}
