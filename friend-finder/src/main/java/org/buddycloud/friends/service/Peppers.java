package org.buddycloud.friends.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.buddycloud.friends.FriendsConfig;
import org.buddycloud.friends.domain.Identifier;
import org.buddycloud.friends.domain.IdentifierSeal;
import org.buddycloud.friends.domain.LookupHashes;
import org.buddycloud.friends.store.ClaimStore;
import org.buddycloud.friends.store.PepperStore;
import org.buddycloud.friends.store.PepperStore.Pepper;
import org.jboss.logging.Logger;

/**
 * The pepper clients hash with (Matrix identity v2's {@code lookup_pepper}): a new random one every
 * {@code pepper.rotation}, the one before still taken for {@code pepper.grace}. When it turns, every verified,
 * discoverable claim is hashed again under the new one, from its sealed identifier; hashes of peppers no longer taken
 * are dropped. One replica turns it (the newest pepper's row is locked); the others see the new row.
 */
@ApplicationScoped
public class Peppers {

    /** The "pepper" of the legacy unsalted hashes in {@code friend_hashes}. */
    public static final int LEGACY = 0;

    private static final Logger LOG = Logger.getLogger(Peppers.class);

    private final PepperStore peppers;
    private final ClaimStore claims;
    private final IdentifierSeal seal;
    private final FriendsConfig config;
    private final Clock clock;
    private final SecureRandom random;

    Peppers(PepperStore peppers, ClaimStore claims, IdentifierSeal seal, FriendsConfig config, Clock clock, SecureRandom random) {
        this.peppers = peppers;
        this.claims = claims;
        this.seal = seal;
        this.config = config;
        this.clock = clock;
        this.random = random;
    }

    void firstPepper(@Observes StartupEvent event) {
        rotateIfDue();
        if (config.legacy().enabled()) {
            QuarkusTransaction.requiringNew().run(() -> rehash(LEGACY, LookupHashes::legacy));
        }
        dropStale();
    }

    /** The pepper to hash with now. */
    public Pepper current() {
        return peppers.latest().stream().findFirst().orElseThrow(() -> new IllegalStateException("no pepper yet"));
    }

    /** The id under which hashes made with {@code pepper} are kept, while it is taken: the current one, or the one before in its grace. */
    public Optional<Integer> accepted(String pepper) {
        List<Pepper> latest = peppers.latest();
        if (latest.isEmpty() || pepper == null) {
            return Optional.empty();
        }
        if (latest.get(0).value().equals(pepper)) {
            return Optional.of(latest.get(0).id());
        }
        boolean inGrace = latest.size() > 1 && latest.get(1).value().equals(pepper)
                && latest.get(0).createdAt().plus(config.pepper().grace()).isAfter(clock.instant());
        return inGrace ? Optional.of(latest.get(1).id()) : Optional.empty();
    }

    /** The peppers a new claim is hashed under now: those taken, and the legacy one when it is on. */
    public Map<Integer, String> hashes(Identifier identifier) {
        Map<Integer, String> hashes = new HashMap<>();
        for (Pepper pepper : taken()) {
            hashes.put(pepper.id(), LookupHashes.peppered(identifier, pepper.value()));
        }
        if (config.legacy().enabled()) {
            hashes.put(LEGACY, LookupHashes.legacy(identifier));
        }
        return hashes;
    }

    @Scheduled(every = "1m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void turn() {
        rotateIfDue();
        dropStale();
    }

    /** Turns the pepper if it is due (or there is none); true when this call turned it. */
    public boolean rotateIfDue() {
        return QuarkusTransaction.requiringNew().call(() -> {
            Optional<Pepper> current = peppers.lockCurrent();
            Instant now = clock.instant();
            if (current.isPresent() && current.get().createdAt().plus(config.pepper().rotation()).isAfter(now)) {
                return false;
            }
            Pepper next = peppers.add(newPepper(), now);
            rehash(next.id(), identifier -> LookupHashes.peppered(identifier, next.value()));
            LOG.infof("the lookup pepper turned (pepper %d); the one before is taken for %s more", next.id(), config.pepper().grace());
            return true;
        });
    }

    /** Turns the pepper now, whatever its age: an operator's answer to a pepper that leaked, and the tests' way to turn it. */
    public void rotateNow() {
        QuarkusTransaction.requiringNew().run(() -> {
            peppers.lockCurrent();
            Pepper next = peppers.add(newPepper(), clock.instant());
            rehash(next.id(), identifier -> LookupHashes.peppered(identifier, next.value()));
        });
    }

    /**
     * Drops the hashes of peppers past their grace, and those peppers (and the legacy hashes when that is off). Each is
     * a range of the hashes' primary key, so the check that runs every minute costs nothing when nothing is stale.
     */
    public void dropStale() {
        List<Integer> stale = new ArrayList<>(peppers.allBut(taken().stream().map(Pepper::id).toList()));
        int dropped = QuarkusTransaction.requiringNew().call(() -> {
            int rows = claims.dropHashesOf(stale);
            peppers.remove(stale);
            return rows + (config.legacy().enabled() ? 0 : claims.dropHashesOf(List.of(LEGACY)));
        });
        if (dropped > 0) {
            LOG.infof("dropped %d hashes of peppers no longer taken", dropped);
        }
    }

    private List<Pepper> taken() {
        List<Pepper> latest = peppers.latest();
        if (latest.size() > 1 && !latest.get(0).createdAt().plus(config.pepper().grace()).isAfter(clock.instant())) {
            return latest.subList(0, 1);
        }
        return latest;
    }

    private void rehash(int pepperId, java.util.function.Function<Identifier, String> hash) {
        claims.forEachFindable(batch -> {
            Map<String, String> hashes = new HashMap<>();
            batch.forEach(row -> hashes.put(row.getKey(), hash.apply(seal.open(row.getValue()))));
            claims.indexAll(pepperId, hashes);
        });
    }

    private String newPepper() {
        byte[] bytes = new byte[18];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
