package org.buddycloud.channels.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.buddycloud.channels.account.Account;
import org.buddycloud.channels.token.TokenGrant;
import org.buddycloud.channels.token.TokenService;
import org.buddycloud.contracts.problem.DomainException;

/** Runs each token use case in one database transaction, with its outbox events. */
@ApplicationScoped
public class TokenTransactions {

    private final TokenService tokens;

    TokenTransactions(TokenService tokens) {
        this.tokens = tokens;
    }

    @Transactional
    public TokenGrant login(Account account) {
        return tokens.login(account);
    }

    /** Commits even when the refresh is refused: a replayed token's session revocation must stick. */
    @Transactional(dontRollbackOn = DomainException.class)
    public TokenGrant refresh(String refreshToken) {
        return tokens.refresh(refreshToken);
    }

    @Transactional
    public void revoke(String token) {
        tokens.revoke(token);
    }
}
