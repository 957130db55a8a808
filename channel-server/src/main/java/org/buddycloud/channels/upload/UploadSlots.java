package org.buddycloud.channels.upload;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import org.buddycloud.contracts.problem.RateLimitedException;
import org.buddycloud.servicekit.limits.AttemptLimiter;

/**
 * XEP-0363 slots, without XML: checks what the client asks for, keeps each account within its share, and answers
 * a slot whose PUT URL carries a short-lived token signed like the access tokens (so the media server checks it
 * against the JWKS it already trusts) and whose GET URL is a capability: 192 random bits in its path.
 */
public final class UploadSlots {

    /** A MIME type, optionally with parameters; what the media server stores is the part before {@code ;}. */
    private static final Pattern CONTENT_TYPE = Pattern.compile(
            "[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}(\\s*;[\\x20-\\x7e]{0,200})?");
    private static final int MAX_FILE_NAME = 255;
    private static final int SLOT_ID_BYTES = 24;

    public record Settings(URI baseUrl, String issuer, String audience, long maxFileSize, Duration slotLifetime) {
    }

    private final Settings settings;
    private final SlotTokenSigner signer;
    private final AttemptLimiter perAccount;
    private final SecureRandom random;
    private final Clock clock;

    public UploadSlots(Settings settings, SlotTokenSigner signer, AttemptLimiter perAccount, SecureRandom random, Clock clock) {
        this.settings = settings;
        this.signer = signer;
        this.perAccount = perAccount;
        this.random = random;
        this.clock = clock;
    }

    public long maxFileSize() {
        return settings.maxFileSize();
    }

    /**
     * A slot for {@code user}'s file, or a refusal: {@link DomainException} ({@code bad-request}) for a name, size or
     * type that will not do, {@link FileTooLarge}, {@link RateLimitedException} when the account used up its slots.
     */
    public UploadSlot offer(Jid user, String fileName, String size, String contentType) {
        String name = fileName(fileName);
        long bytes = size(size);
        Optional<String> type = contentType(contentType);
        Jid account = user.toBare();
        Optional<Duration> wait = perAccount.blockedFor(account.toString());
        if (wait.isPresent()) {
            throw new RateLimitedException("too many upload slots; try again later", wait.get());
        }
        perAccount.record(account.toString());
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant expires = now.plus(settings.slotLifetime());
        String slotId = slotId();
        String token = signer.sign(new SlotToken(settings.issuer(), settings.audience(), account, slotId, name, bytes, type, now, expires));
        URI url = URI.create(base() + "/upload/" + slotId + "/" + pathSegment(name));
        return new UploadSlot(slotId, url, url, "Bearer " + token, expires);
    }

    /** Not empty, at most 255 characters, one path segment: no slashes, no control characters, not a dot segment. */
    static String fileName(String given) {
        if (given == null || given.isBlank() || given.length() > MAX_FILE_NAME || given.equals(".") || given.equals("..")
                || given.indexOf('/') >= 0 || given.indexOf('\\') >= 0
                || given.codePoints().anyMatch(c -> Character.isISOControl(c) || c == 0x2028 || c == 0x2029)) {
            throw new DomainException(Condition.BAD_REQUEST,
                    "filename: 1 to " + MAX_FILE_NAME + " characters, no slashes or control characters");
        }
        return given;
    }

    private long size(String given) {
        long bytes;
        try {
            bytes = Long.parseLong(given == null ? "" : given.strip());
        } catch (NumberFormatException e) {
            throw new DomainException(Condition.BAD_REQUEST, "size: the file's length in bytes");
        }
        if (bytes <= 0) {
            throw new DomainException(Condition.BAD_REQUEST, "size: the file's length in bytes, more than 0");
        }
        if (bytes > settings.maxFileSize()) {
            throw new FileTooLarge(settings.maxFileSize());
        }
        return bytes;
    }

    static Optional<String> contentType(String given) {
        if (given == null || given.isBlank()) {
            return Optional.empty();
        }
        if (!CONTENT_TYPE.matcher(given).matches()) {
            throw new DomainException(Condition.BAD_REQUEST, "content-type: a MIME type such as image/png");
        }
        return Optional.of(given);
    }

    private String slotId() {
        byte[] bytes = new byte[SLOT_ID_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private String base() {
        String base = settings.baseUrl().toString();
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    /** Percent-encoded as one path segment (a space is %20 there, not +). */
    static String pathSegment(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
