package org.buddycloud.channels.account;

import java.time.Instant;
import org.buddycloud.contracts.jid.Jid;

/**
 * A user of this server.
 *
 * @param tokenGeneration every token issued to the account carries it; a password change gives the
 *                        account a new, higher generation, which revokes every token issued before
 */
public record Account(Jid jid, String email, Instant createdAt, long tokenGeneration) {
}
