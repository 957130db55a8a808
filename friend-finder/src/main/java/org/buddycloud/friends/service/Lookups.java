package org.buddycloud.friends.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import org.buddycloud.contracts.problem.RateLimitedException;
import org.buddycloud.friends.FriendsConfig;
import org.buddycloud.friends.domain.LookupHashes;
import org.buddycloud.friends.store.ClaimStore;

/**
 * Answers hashes with the JIDs of the verified, discoverable claims they are hashes of — never an identifier. Each
 * user may look up {@code hashes-per-day} hashes a day and {@code hashes-per-request} at once, counted in the
 * database so that replicas share the allowance.
 */
@ApplicationScoped
public class Lookups {

    private final ClaimStore store;
    private final Peppers peppers;
    private final FriendsConfig config;
    private final Clock clock;

    Lookups(ClaimStore store, Peppers peppers, FriendsConfig config, Clock clock) {
        this.store = store;
        this.peppers = peppers;
        this.config = config;
        this.clock = clock;
    }

    /** Hashes made with {@code pepper} (the current one, or the one before within its grace). */
    public Map<String, Jid> lookup(Jid caller, String algorithm, String pepper, List<String> hashes) {
        if (!LookupHashes.ALGORITHM.equals(algorithm)) {
            throw new DomainException(Condition.BAD_REQUEST, "algorithm must be sha256 (GET /hash_details)");
        }
        int pepperId = peppers.accepted(pepper).orElseThrow(() -> new DomainException(Condition.BAD_REQUEST,
                "unknown or expired pepper: hash with " + peppers.current().value() + " (GET /hash_details)"));
        return matched(caller, pepperId, hashes);
    }

    /** PROTOCOL.md §5's unsalted hashes, while an operator has them on. */
    public Map<String, Jid> legacy(Jid caller, List<String> hashes) {
        if (!config.legacy().enabled()) {
            throw new DomainException(Condition.ITEM_NOT_FOUND,
                    "legacy matching (plain SHA-256) is off here: use GET /hash_details and POST /lookup");
        }
        return matched(caller, Peppers.LEGACY, hashes);
    }

    private Map<String, Jid> matched(Jid caller, int pepperId, List<String> hashes) {
        if (hashes == null || hashes.isEmpty()) {
            throw new DomainException(Condition.BAD_REQUEST, "give the hashes to look up");
        }
        int perRequest = config.limits().hashesPerRequest();
        if (hashes.size() > perRequest) {
            throw new DomainException(Condition.BAD_REQUEST, "at most " + perRequest + " hashes at once");
        }
        if (!hashes.stream().allMatch(LookupHashes::wellFormed)) {
            throw new DomainException(Condition.BAD_REQUEST, "a hash is base64url or hex of a SHA-256 digest");
        }
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        int perDay = config.limits().hashesPerDay();
        // counted whether or not anything matches (what is looked up is what is learnt); a lookup past the allowance
        // is refused whole and not counted
        if (hashes.size() > perDay || !store.countLookups(caller, today, hashes.size(), perDay)) {
            Duration untilTomorrow = Duration.between(clock.instant(), today.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC));
            throw new RateLimitedException("at most " + perDay + " hashes a day are looked up for one account", untilTomorrow);
        }
        return store.matches(pepperId, hashes.stream().distinct().toList());
    }
}
