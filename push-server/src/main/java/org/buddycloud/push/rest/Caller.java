package org.buddycloud.push.rest;

import io.quarkus.security.identity.SecurityIdentity;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import org.buddycloud.servicekit.auth.JidPrincipal;

/** Everything of the push API but the mail links is about the caller's own targets: they must be logged in. */
final class Caller {

    private Caller() {
    }

    static Jid of(SecurityIdentity identity) {
        return JidPrincipal.of(identity).orElseThrow(() ->
                new DomainException(Condition.NOT_AUTHORIZED, "log in: a bearer token from the channel server's POST /auth/token"));
    }
}
