package org.buddycloud.channels.account;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.buddycloud.contracts.jid.Jid;

/** Persistence of accounts, their SCRAM keys and their password-reset tokens. */
public interface AccountStore {

    /** Stores a new account; false when the JID is taken. */
    boolean insert(Account account, List<ScramCredential> credentials);

    Optional<Account> find(Jid jid);

    /** Accounts in JID order, {@code limit} of them after {@code after} (exclusive; null from the start). */
    List<Account> page(Jid after, int limit);

    Optional<ScramCredential> credential(Jid jid, ScramMechanism mechanism);

    /** A token generation higher than any handed out before (a database sequence). */
    long nextTokenGeneration();

    /** Replaces the account's keys and raises its token generation; false when the account does not exist. */
    boolean replaceCredentials(Jid jid, List<ScramCredential> credentials, long tokenGeneration);

    boolean delete(Jid jid);

    void saveResetToken(byte[] tokenHash, Jid jid, Instant expiresAt);

    /** Marks the reset token used and returns its account, if it exists, is unused and unexpired at {@code now}. */
    Optional<Jid> useResetToken(byte[] tokenHash, Instant now);
}
