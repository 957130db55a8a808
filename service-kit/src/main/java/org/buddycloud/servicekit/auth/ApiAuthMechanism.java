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
import java.util.regex.Pattern;
import org.buddycloud.contracts.jid.InvalidJidException;
import org.buddycloud.contracts.jid.Jid;

/**
 * Reads the {@code Authorization} header: {@code Bearer <access token>} everywhere, and
 * {@code Basic} (user name or bare JID and password) where the service holds the credentials.
 * Where XEP-0070 is on, {@code Basic} with a full JID and a transaction id (or the {@code auth}
 * query parameter, base64url of the same) asks the user's XMPP client to confirm the request.
 * No credentials mean an anonymous request; endpoints decide whether that is enough.
 */
@ApplicationScoped
public class ApiAuthMechanism implements HttpAuthenticationMechanism {

    /** XEP-0070 transaction ids as the channel server accepts them. */
    private static final Pattern TRANSACTION = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private final AuthConfig config;
    private final boolean confirmations;

    ApiAuthMechanism(AuthConfig config, XmppConfirmationIdentityProvider confirmationProvider) {
        this.config = config;
        this.confirmations = confirmationProvider.enabled();
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        String header = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        AuthenticationRequest request;
        if (header == null || header.isBlank()) {
            String auth = confirmations ? context.request().getParam("auth") : null;
            if (auth == null) {
                return Uni.createFrom().nullItem();
            }
            request = confirmation(decode(Base64.getUrlDecoder(), auth), context);
        } else if (hasScheme(header, "Bearer")) {
            request = new TokenAuthenticationRequest(new TokenCredential(header.substring(7).trim(), "bearer"));
        } else if ((config.basicEnabled() || confirmations) && hasScheme(header, "Basic")) {
            request = basic(decode(Base64.getDecoder(), header.substring(6).trim()), context);
        } else {
            return Uni.createFrom().failure(new AuthenticationFailedException("unsupported Authorization scheme"));
        }
        return request == null
                ? Uni.createFrom().failure(new AuthenticationFailedException("malformed credentials"))
                : identities.authenticate(HttpSecurityUtils.setRoutingContextAttribute(request, context));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", challenge()));
    }

    /** The {@code WWW-Authenticate} value for a 401 from this service. */
    public String challenge() {
        String challenge = "Bearer realm=\"" + config.realm() + "\"";
        if (config.basicEnabled()) {
            challenge += ", Basic realm=\"" + config.realm() + "\", charset=\"UTF-8\"";
        }
        // the original media server's challenge for XEP-0070 clients
        return confirmations ? challenge + ", Basic realm=\"xmpp\"" : challenge;
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        Set<Class<? extends AuthenticationRequest>> types = new java.util.HashSet<>(Set.of(TokenAuthenticationRequest.class));
        if (config.basicEnabled()) {
            types.add(UsernamePasswordAuthenticationRequest.class);
        }
        if (confirmations) {
            types.add(XmppConfirmationRequest.class);
        }
        return types;
    }

    private static boolean hasScheme(String header, String scheme) {
        return header.regionMatches(true, 0, scheme + " ", 0, scheme.length() + 1);
    }

    private static String decode(Base64.Decoder decoder, String encoded) {
        try {
            return new String(decoder.decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** A full JID as user name is an XMPP session asking for confirmation; anything else is a password login. */
    private AuthenticationRequest basic(String decoded, RoutingContext context) {
        int colon = decoded == null ? -1 : decoded.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        String user = decoded.substring(0, colon);
        if (confirmations && user.indexOf('/') > 0) {
            return confirmation(decoded, context);
        }
        return config.basicEnabled()
                ? new UsernamePasswordAuthenticationRequest(user, new PasswordCredential(decoded.substring(colon + 1).toCharArray()))
                : null;
    }

    /** {@code fullJID:txid}; the JID's resource may itself hold colons, the transaction id may not. */
    private static XmppConfirmationRequest confirmation(String decoded, RoutingContext context) {
        int colon = decoded == null ? -1 : decoded.lastIndexOf(':');
        if (colon <= 0) {
            return null;
        }
        String transaction = decoded.substring(colon + 1);
        try {
            Jid session = Jid.parse(decoded.substring(0, colon));
            if (session.localpart().isEmpty() || session.resource().isEmpty() || !TRANSACTION.matcher(transaction).matches()) {
                return null;
            }
            return new XmppConfirmationRequest(session, transaction, context.request().method().name(), context.request().absoluteURI());
        } catch (InvalidJidException e) {
            return null;
        }
    }
}
