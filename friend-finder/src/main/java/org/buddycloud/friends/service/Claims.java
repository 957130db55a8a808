package org.buddycloud.friends.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import org.buddycloud.contracts.problem.RateLimitedException;
import org.buddycloud.friends.FriendsConfig;
import org.buddycloud.friends.delivery.CodeDelivery;
import org.buddycloud.friends.domain.Claim;
import org.buddycloud.friends.domain.Identifier;
import org.buddycloud.friends.domain.IdentifierSeal;
import org.buddycloud.friends.domain.Medium;
import org.buddycloud.friends.domain.VerificationCodes;
import org.buddycloud.friends.store.ClaimStore;

/**
 * Claims that an identifier is one's own. Asked for, a claim is pending and a code goes to the identifier; only the
 * right code within its lifetime verifies it, so nobody can claim an address they cannot read. The identifier then
 * belongs to this account alone (a holder before loses it: the number changed hands). Others find it only while its
 * holder lets them (discoverable, off by default); removing it, or deleting the account, ends it at once.
 */
@ApplicationScoped
public class Claims {

    private final ClaimStore store;
    private final Peppers peppers;
    private final CodeDelivery delivery;
    private final IdentifierSeal seal;
    private final VerificationCodes codes;
    private final FriendsConfig.Limits limits;
    private final Clock clock;

    Claims(ClaimStore store, Peppers peppers, CodeDelivery delivery, IdentifierSeal seal, VerificationCodes codes,
           FriendsConfig config, Clock clock) {
        this.store = store;
        this.peppers = peppers;
        this.delivery = delivery;
        this.seal = seal;
        this.codes = codes;
        this.limits = config.limits();
        this.clock = clock;
    }

    /** Claims {@code address}: sends it a code, unless the claim is verified already. */
    public Claim request(Jid jid, Medium medium, String address, String country, boolean discoverable) {
        Identifier identifier = Identifier.of(medium, address, country);
        delivery.check(medium);
        String fingerprint = seal.fingerprint(identifier);
        Optional<Claim> existing = store.find(jid, fingerprint);
        if (existing.isPresent() && existing.get().verified()) {
            return discoverable == existing.get().discoverable() ? existing.get() : discoverable(jid, existing.get().id(), discoverable);
        }
        Instant now = clock.instant();
        allowance(store.codesSentBy(jid, now.minus(Duration.ofDays(1))), limits.codesPerAccountPerDay(), Duration.ofDays(1), now,
                "at most " + limits.codesPerAccountPerDay() + " codes a day are sent for one account");
        allowance(store.codesSentTo(fingerprint, now.minus(Duration.ofHours(1))), limits.codesPerIdentifierPerHour(), Duration.ofHours(1), now,
                "at most " + limits.codesPerIdentifierPerHour() + " codes an hour are sent to one address");
        String id = existing.map(Claim::id).orElseGet(() -> UUID.randomUUID().toString());
        String code = codes.newCode();
        QuarkusTransaction.requiringNew().run(() -> {
            store.savePending(id, jid, medium, seal.seal(identifier), fingerprint, identifier.masked(), discoverable,
                    VerificationCodes.hash(id, code), now.plus(limits.codeLifetime()), now);
            store.codeSent(jid, fingerprint, now);
        });
        delivery.send(identifier, code, limits.codeLifetime());
        return store.pending(id).orElseThrow().claim();
    }

    /** Enters the code sent for the claim. */
    public Claim verify(Jid jid, String id, String code) {
        ClaimStore.Pending pending = owned(jid, id);
        if (pending.claim().verified()) {
            return pending.claim();
        }
        Instant now = clock.instant();
        if (pending.codeHash() == null || !pending.codeExpires().isAfter(now) || pending.failedCodes() >= limits.codeAttempts()) {
            throw new DomainException(Condition.BAD_REQUEST, "this code is spent or expired: ask for a new one (POST /claims)");
        }
        if (!VerificationCodes.matches(id, code, pending.codeHash())) {
            store.failedCode(id);
            int left = limits.codeAttempts() - pending.failedCodes() - 1;
            throw new DomainException(Condition.BAD_REQUEST, left > 0 ? "wrong code; " + left + " more tries"
                    : "wrong code, and the last try: ask for a new one (POST /claims)");
        }
        QuarkusTransaction.requiringNew().run(() -> {
            store.verified(id, pending.fingerprint(), now);
            if (pending.claim().discoverable()) {
                store.index(id, peppers.hashes(seal.open(pending.sealed())));
            }
        });
        return store.pending(id).orElseThrow().claim();
    }

    /** Lets others find the identifier, or stops them. */
    public Claim discoverable(Jid jid, String id, boolean discoverable) {
        ClaimStore.Pending pending = owned(jid, id);
        QuarkusTransaction.requiringNew().run(() -> {
            store.discoverable(id, discoverable);
            store.unindex(id);
            if (discoverable && pending.claim().verified()) {
                store.index(id, peppers.hashes(seal.open(pending.sealed())));
            }
        });
        return store.pending(id).orElseThrow().claim();
    }

    public List<Claim> of(Jid jid) {
        return store.of(jid);
    }

    public void remove(Jid jid, String id) {
        if (!store.remove(jid, id)) {
            throw new DomainException(Condition.ITEM_NOT_FOUND, "no claim " + id);
        }
    }

    /**
     * The account is gone: so are its claims and its lookup counts (inside the caller's transaction). The codes sent
     * for it are kept without the account, for the rest of their day: they still count towards each identifier's
     * allowance, so that deleting an account and making another does not let anyone flood an address with codes.
     */
    public int forget(Jid jid) {
        store.forgetAccountInCounts(jid);
        return store.removeAll(jid);
    }

    @Scheduled(every = "1h", delayed = "5m")
    void forgetOldCounts() {
        store.forgetCodesSentBefore(clock.instant().minus(Duration.ofDays(1)));
        store.forgetLookupsBefore(java.time.LocalDate.ofInstant(clock.instant(), java.time.ZoneOffset.UTC).minusDays(1));
    }

    private ClaimStore.Pending owned(Jid jid, String id) {
        return store.pending(id == null ? "" : id).filter(p -> p.claim().jid().equals(jid))
                .orElseThrow(() -> new DomainException(Condition.ITEM_NOT_FOUND, "no claim " + id));
    }

    private static void allowance(List<Instant> sent, int max, Duration window, Instant now, String why) {
        if (sent.size() >= max) {
            Duration wait = Duration.between(now, sent.get(sent.size() - max).plus(window));
            throw new RateLimitedException(why + "; try again in " + Math.max(1, wait.toSeconds()) + " s",
                    wait.isNegative() ? Duration.ofSeconds(1) : wait);
        }
    }
}
