package org.buddycloud.friends.rest;

import io.quarkus.security.identity.SecurityIdentity;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import org.buddycloud.servicekit.auth.JidPrincipal;

/** Claims and lookups are an account's own: they need a token (lookups count against its allowance). */
final class Caller {

    private Caller() {
    }

    static Jid of(SecurityIdentity identity) {
        return JidPrincipal.of(identity).orElseThrow(() ->
                new DomainException(Condition.NOT_AUTHORIZED, "log in: a bearer token from the channel server's POST /auth/token"));
    }
}
