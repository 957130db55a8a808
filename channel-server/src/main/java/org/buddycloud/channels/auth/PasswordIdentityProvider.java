package org.buddycloud.channels.auth;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.util.Map;
import java.util.Optional;
import org.buddycloud.channels.account.Account;
import org.buddycloud.channels.service.AccountTransactions;
import org.buddycloud.contracts.problem.RateLimitedException;
import org.buddycloud.servicekit.auth.BearerIdentityProvider;
import org.buddycloud.servicekit.auth.JidPrincipal;
import org.buddycloud.servicekit.web.ProblemResponses;
import org.buddycloud.servicekit.web.PeerAddress;

/**
 * HTTP Basic with the account's password (user name or bare JID), checked against the stored
 * SCRAM keys. Failed attempts are throttled per account and per client address.
 */
@ApplicationScoped
public class PasswordIdentityProvider implements IdentityProvider<UsernamePasswordAuthenticationRequest> {

    private final AccountTransactions accounts;
    private final AccountThrottle throttle;

    PasswordIdentityProvider(AccountTransactions accounts, @Named("login") AccountThrottle throttle) {
        this.accounts = accounts;
        this.throttle = throttle;
    }

    @Override
    public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
        return UsernamePasswordAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(UsernamePasswordAuthenticationRequest request, AuthenticationRequestContext context) {
        // deriving SCRAM keys takes milliseconds of CPU: not on the event loop
        return context.runBlocking(() -> identity(request.getUsername(), new String(request.getPassword().getPassword()),
                clientAddress(request)));
    }

    private SecurityIdentity identity(String user, String password, String address) {
        try {
            throttle.checkAllowed(user, address);
        } catch (RateLimitedException e) {
            throw new AuthenticationFailedException(e.getMessage(), Map.of(ProblemResponses.RETRY_AFTER, e.retryAfter()));
        }
        Optional<Account> account = accounts.authenticate(user, password);
        if (account.isEmpty()) {
            throttle.record(user, address);
            throw new AuthenticationFailedException("wrong user name or password");
        }
        throttle.forgive(user);
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new JidPrincipal(account.get().jid()))
                .addAttribute(BearerIdentityProvider.METHOD, "password")
                .build();
    }

    private static String clientAddress(UsernamePasswordAuthenticationRequest request) {
        RoutingContext context = HttpSecurityUtils.getRoutingContextAttribute(request);
        return context == null ? "unknown" : PeerAddress.of(context.request().remoteAddress());
    }
}
