package org.buddycloud.servicekit.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * XEP-0070 callers: the channel server asks the user's connected client to confirm the very request;
 * only an accepted confirmation makes an identity (the bare JID of the session). A denial, silence or
 * no connected client is 403, as in the original media server.
 */
@ApplicationScoped
public class XmppConfirmationIdentityProvider implements IdentityProvider<XmppConfirmationRequest> {

    private final Optional<XmppConfirmations> confirmations;
    private final MeterRegistry metrics;

    XmppConfirmationIdentityProvider(AuthConfig config, @ConfigProperty(name = "buddycloud.internal.secret") Optional<String> secret,
                                     ObjectMapper json, MeterRegistry metrics) {
        this.confirmations = config.confirmationUrl().flatMap(url -> secret.filter(s -> !s.isBlank())
                .map(s -> new XmppConfirmations(url, s, config.confirmationTimeout(), json)));
        this.metrics = metrics;
    }

    /** True when this service accepts XEP-0070 callers: it knows where to ask and holds the internal secret. */
    public boolean enabled() {
        return confirmations.isPresent();
    }

    @Override
    public Class<XmppConfirmationRequest> getRequestType() {
        return XmppConfirmationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(XmppConfirmationRequest request, AuthenticationRequestContext context) {
        if (confirmations.isEmpty()) {
            return Uni.createFrom().failure(new DomainException(Condition.NOT_AUTHORIZED, "this service takes access tokens only"));
        }
        return Uni.createFrom().completionStage(() -> confirmations.get().confirm(request)).map(outcome -> {
            metrics.counter("buddycloud.xmpp.confirmations", "outcome", outcome.outcome()).increment();
            if (!outcome.accepted()) {
                throw new DomainException(Condition.FORBIDDEN, "your XMPP client did not confirm this request (" + outcome.outcome() + ")");
            }
            return QuarkusSecurityIdentity.builder()
                    .setPrincipal(new JidPrincipal(request.fullJid().toBare()))
                    .addAttribute(BearerIdentityProvider.METHOD, "xmpp-confirmation")
                    .build();
        });
    }
}
