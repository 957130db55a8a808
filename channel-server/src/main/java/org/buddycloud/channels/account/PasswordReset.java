package org.buddycloud.channels.account;

import java.time.Instant;

/** A reset token to e-mail to the account's owner: the only place the token exists in clear. */
public record PasswordReset(Account account, String token, Instant expiresAt) {
}
