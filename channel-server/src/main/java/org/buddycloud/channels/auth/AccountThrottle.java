package org.buddycloud.channels.auth;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.buddycloud.contracts.problem.RateLimitedException;
import org.buddycloud.servicekit.limits.AttemptLimiter;

/**
 * Limits attempts per account and per client address (logins that failed, reset requests), so
 * that neither guessing one account from many addresses nor many accounts from one address pays.
 */
public final class AccountThrottle {

    private final AttemptLimiter perAccount;
    private final AttemptLimiter perAddress;
    private final String domain;

    public AccountThrottle(AttemptLimiter perAccount, AttemptLimiter perAddress, String domain) {
        this.perAccount = perAccount;
        this.perAddress = perAddress;
        this.domain = domain;
    }

    /** Throws {@link RateLimitedException} when the account or the address has no attempts left. */
    public void checkAllowed(String account, String address) {
        Optional<Duration> wait = perAccount.blockedFor(key(account)).or(() -> perAddress.blockedFor(address));
        if (wait.isPresent()) {
            throw new RateLimitedException("too many attempts; try again later", wait.get());
        }
    }

    public void record(String account, String address) {
        perAccount.record(key(account));
        perAddress.record(address);
    }

    public void forgive(String account) {
        perAccount.reset(key(account));
    }

    /** One key per account whether the client typed {@code juliet} or {@code Juliet@localhost}. */
    private String key(String account) {
        String lower = account == null ? "" : account.trim().toLowerCase(Locale.ROOT);
        return lower.indexOf('@') < 0 ? lower + "@" + domain : lower;
    }
}
