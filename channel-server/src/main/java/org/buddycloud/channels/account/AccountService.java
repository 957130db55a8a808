package org.buddycloud.channels.account;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.buddycloud.contracts.events.EventOutbox;
import org.buddycloud.contracts.events.AccountDeleted;
import org.buddycloud.contracts.events.AccountRegistered;
import org.buddycloud.contracts.events.CredentialsChanged;
import org.buddycloud.contracts.events.EventTypes;
import org.buddycloud.contracts.jid.InvalidJidException;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.jid.Localparts;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;

/**
 * Accounts and their credentials. Passwords are never stored: only salted SCRAM-SHA-1 and
 * SCRAM-SHA-256 keys, so the XMPP endpoint can offer SCRAM without ever holding a password.
 * Every change records its event in the outbox; callers run each method in one transaction.
 */
public final class AccountService {

    private static final int SALT_BYTES = 16;

    private final AccountStore store;
    private final EventOutbox outbox;
    private final AccountPolicy policy;
    private final SecureRandom random;
    private final Clock clock;
    private final ScramCredential unknownAccountKeys;

    public AccountService(AccountStore store, EventOutbox outbox, AccountPolicy policy, SecureRandom random, Clock clock) {
        this.store = store;
        this.outbox = outbox;
        this.policy = policy;
        this.random = random;
        this.clock = clock;
        this.unknownAccountKeys = keysFor(OpaqueTokens.generate(random)).get(ScramMechanism.SHA_256.ordinal());
    }

    public Account register(String username, String password, String email) {
        Jid jid = jidOf(username);
        String normalised = Passwords.normaliseNew(password, policy.minPasswordLength());
        String address = EmailAddresses.validate(email);
        Account account = new Account(jid, address, clock.instant(), store.nextTokenGeneration());
        if (!store.insert(account, keysFor(normalised))) {
            throw new DomainException(Condition.CONFLICT, "the user name " + jid.localpart().orElseThrow() + " is taken");
        }
        outbox.add(EventTypes.ACCOUNT_REGISTERED, new AccountRegistered(jid, address, account.createdAt()));
        return account;
    }

    /**
     * An account moved here with the rest of its domain (an operator's domain archive): its name, address, time and
     * SCRAM keys as they were, so its password goes on working. False when the account exists (left as it is).
     */
    public boolean restore(Jid jid, String email, Instant createdAt, List<ScramCredential> credentials) {
        if (!jid.isEntityBare() || !jid.domain().equals(policy.domain())) {
            throw new DomainException(Condition.BAD_REQUEST, jid + " is no account of " + policy.domain());
        }
        if (credentials.isEmpty()) {
            throw new DomainException(Condition.BAD_REQUEST, "the account " + jid + " comes without credentials");
        }
        String address = EmailAddresses.validate(email);
        Account account = new Account(jid, address, createdAt, store.nextTokenGeneration());
        if (!store.insert(account, credentials)) {
            return false;
        }
        outbox.add(EventTypes.ACCOUNT_REGISTERED, new AccountRegistered(jid, address, createdAt));
        return true;
    }

    /** What the server keeps of the account's password, for each SCRAM mechanism. */
    public List<ScramCredential> credentials(Jid jid) {
        return List.of(ScramMechanism.values()).stream().flatMap(m -> store.credential(jid, m).stream()).toList();
    }

    /**
     * The account whose password this is. {@code identifier} is a user name or a bare JID on our
     * domain. Empty for any mismatch, without saying which part was wrong.
     */
    public Optional<Account> authenticate(String identifier, String password) {
        Optional<Jid> jid = identify(identifier);
        Optional<String> normalised = Passwords.normalise(password == null ? "" : password);
        if (jid.isEmpty() || normalised.isEmpty()) {
            return Optional.empty();
        }
        Optional<ScramCredential> credential = store.credential(jid.get(), ScramMechanism.SHA_256);
        // derive keys even for unknown accounts, so response times do not reveal which accounts exist
        boolean matches = Scram.matches(credential.orElse(unknownAccountKeys), normalised.get());
        return matches && credential.isPresent() ? store.find(jid.get()) : Optional.empty();
    }

    public Account account(Jid jid) {
        return store.find(jid).orElseThrow(() -> new DomainException(Condition.ITEM_NOT_FOUND, "no account " + jid));
    }

    /** Sets a new password and revokes every token issued so far. */
    public void changePassword(Jid jid, String newPassword, CredentialsChanged.Reason reason) {
        String normalised = Passwords.normaliseNew(newPassword, policy.minPasswordLength());
        long generation = store.nextTokenGeneration();
        if (!store.replaceCredentials(jid, keysFor(normalised), generation)) {
            throw new DomainException(Condition.ITEM_NOT_FOUND, "no account " + jid);
        }
        outbox.add(EventTypes.CREDENTIALS_CHANGED, new CredentialsChanged(jid, reason, clock.instant(), generation));
    }

    /** Removes the account and revokes its tokens; its channels are the channel core's business. */
    public void delete(Jid jid) {
        long revokeBelow = store.nextTokenGeneration();
        if (!store.delete(jid)) {
            throw new DomainException(Condition.ITEM_NOT_FOUND, "no account " + jid);
        }
        outbox.add(EventTypes.ACCOUNT_DELETED, new AccountDeleted(jid, clock.instant(), revokeBelow));
    }

    /**
     * A single-use, expiring reset token for the account, to be e-mailed; empty when there is no
     * such account (the caller answers the same either way, so accounts cannot be probed).
     */
    public Optional<PasswordReset> requestReset(String username) {
        Optional<Account> account = identify(username).flatMap(store::find);
        if (account.isEmpty()) {
            return Optional.empty();
        }
        String token = OpaqueTokens.generate(random);
        Instant expiresAt = clock.instant().plus(policy.resetTokenLifetime());
        store.saveResetToken(OpaqueTokens.hash(token), account.get().jid(), expiresAt);
        return Optional.of(new PasswordReset(account.get(), token, expiresAt));
    }

    /** Sets the new password if the reset token is valid; the token cannot be used again. */
    public Jid confirmReset(String token, String newPassword) {
        Passwords.normaliseNew(newPassword, policy.minPasswordLength());
        if (token == null || token.isBlank() || token.length() > 200) {
            throw new DomainException(Condition.BAD_REQUEST, "a reset token is required");
        }
        Jid jid = store.useResetToken(OpaqueTokens.hash(token.trim()), clock.instant())
                .orElseThrow(() -> new DomainException(Condition.BAD_REQUEST, "the reset token is invalid, used or expired"));
        changePassword(jid, newPassword, CredentialsChanged.Reason.PASSWORD_RESET);
        return jid;
    }

    /** The account JID for a user name, enforcing the XMPP localpart rules. */
    public Jid jidOf(String username) {
        if (username == null) {
            throw new DomainException(Condition.BAD_REQUEST, "a user name is required");
        }
        try {
            return Jid.bare(Localparts.normalise(username), policy.domain());
        } catch (InvalidJidException e) {
            throw new DomainException(Condition.BAD_REQUEST, e.getMessage());
        }
    }

    /** The account JID a user name or bare JID on our domain names; empty when it cannot name one of ours. */
    public Optional<Jid> identify(String identifier) {
        if (identifier == null || identifier.isBlank()) {
            return Optional.empty();
        }
        try {
            if (identifier.indexOf('@') < 0) {
                return Optional.of(jidOf(identifier));
            }
            Jid jid = Jid.parse(identifier).toBare();
            return jid.isEntityBare() && jid.domain().equals(policy.domain()) ? Optional.of(jid) : Optional.empty();
        } catch (InvalidJidException | DomainException e) {
            return Optional.empty();
        }
    }

    private List<ScramCredential> keysFor(String normalisedPassword) {
        return List.of(ScramMechanism.values()).stream().map(mechanism -> {
            byte[] salt = new byte[SALT_BYTES];
            random.nextBytes(salt);
            return Scram.derive(mechanism, normalisedPassword, salt, policy.scramIterations());
        }).toList();
    }
}
