package org.buddycloud.channels.account;

import java.time.Duration;

/**
 * @param domain              the XMPP domain accounts live on
 * @param minPasswordLength   in characters
 * @param scramIterations     PBKDF2 iterations for new keys (RFC 7677 asks for at least 4096)
 * @param resetTokenLifetime  how long an e-mailed reset token works
 */
public record AccountPolicy(String domain, int minPasswordLength, int scramIterations, Duration resetTokenLifetime) {
}
