package org.buddycloud.push.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import org.buddycloud.push.domain.PushTarget;
import org.buddycloud.push.store.StoredTarget;
import org.buddycloud.push.store.TargetStore;

/**
 * Mail addresses as targets. Anyone can type anyone's address, so an address is told nothing but the mail that
 * asks to confirm it (the welcome, for the registration's address) until someone follows that mail's link; every
 * later mail carries a link that unsubscribes it. Both links carry the address's own random secret.
 */
@ApplicationScoped
public class MailAddresses {

    /** Deliberately loose (RFC 5321 allows much): one @, something on both sides, no spaces or angle brackets. */
    private static final Pattern ADDRESS = Pattern.compile("[^\\s@<>,;\"]{1,64}@[^\\s@<>,;\"]{1,253}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final TargetStore targets;
    private final PushClock clock;

    MailAddresses(TargetStore targets, PushClock clock) {
        this.targets = targets;
        this.clock = clock;
    }

    /** The address as a target of {@code owner} (its switches on their defaults when new), unconfirmed when new. */
    public StoredTarget add(Jid owner, String address) {
        String normalised = normalise(address);
        Optional<StoredTarget> known = targets.find(owner, PushTarget.Type.EMAIL, normalised);
        if (known.isPresent()) {
            return known.get();
        }
        return targets.save(owner, PushTarget.withDefaults(PushTarget.Type.EMAIL, normalised), null, null, newToken(), clock.now());
    }

    /** The address trimmed, its domain in lower case; a clear refusal when it is not one. */
    public static String normalise(String address) {
        String trimmed = address == null ? "" : address.trim();
        if (!ADDRESS.matcher(trimmed).matches()) {
            throw new DomainException(Condition.BAD_REQUEST, "not a mail address: " + abbreviate(trimmed));
        }
        int at = trimmed.lastIndexOf('@');
        return trimmed.substring(0, at) + "@" + trimmed.substring(at + 1).toLowerCase(Locale.ROOT);
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 79) + "…";
    }

    private static String newToken() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
