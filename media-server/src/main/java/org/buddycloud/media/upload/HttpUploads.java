package org.buddycloud.media.upload;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.buddycloud.contracts.auth.InvalidTokenException;
import org.buddycloud.contracts.auth.VerificationKeys;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import org.buddycloud.media.domain.DigestingInputStream;
import org.buddycloud.media.domain.MediaFields;
import org.buddycloud.media.service.DoomedObjects;
import org.buddycloud.media.service.MediaConfig;
import org.buddycloud.media.storage.ObjectStore;
import org.buddycloud.servicekit.auth.AuthConfig;
import org.jboss.logging.Logger;

/**
 * XEP-0363 uploads: the PUT a slot token allows, once, streamed to S3 under {@code uploads/}; and the GET of what
 * was stored, for anyone holding the URL (its slot id is the capability). A failed PUT leaves neither bytes nor row,
 * so the client may try the same slot again while its token lives.
 */
@ApplicationScoped
public class HttpUploads {

    private static final Logger LOG = Logger.getLogger(HttpUploads.class);
    private static final Pattern SLOT_ID = Pattern.compile("[A-Za-z0-9_-]{22,64}");
    private static final int BATCH = 100;

    private final HttpUploadStore store;
    private final ObjectStore objects;
    private final DoomedObjects doomed;
    private final SlotTokens tokens;
    private final MediaConfig config;
    private final Clock clock;

    HttpUploads(HttpUploadStore store, ObjectStore objects, DoomedObjects doomed, VerificationKeys keys, AuthConfig auth,
                UploadConfig uploads, MediaConfig config, Clock clock) {
        this.store = store;
        this.objects = objects;
        this.doomed = doomed;
        this.tokens = new SlotTokens(keys, new SlotTokens.Settings(auth.issuer(), uploads.audience(), auth.clockSkew()), clock);
        this.config = config;
        this.clock = clock;
    }

    /** The slot the {@code Authorization} header's token grants; 401 when there is none that is good. */
    public SlotGrant authorize(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new DomainException(Condition.NOT_AUTHORIZED, "send the slot's header 'Authorization: Bearer <slot token>'");
        }
        try {
            return tokens.verify(authorization.substring(7).trim());
        } catch (InvalidTokenException e) {
            LOG.debugf("refused a slot token: %s", e.reason());
            throw new DomainException(Condition.NOT_AUTHORIZED, "invalid slot token: " + e.getMessage());
        }
    }

    /**
     * Stores the body as the file of {@code grant}'s slot: the path, the length and the type must be the slot's
     * (403, 400 or 413 otherwise), and the slot must not have been used (409).
     */
    public HttpUpload put(SlotGrant grant, String slotId, String fileName, Long contentLength, String contentType, InputStream body) {
        if (!grant.slotId().equals(slotId) || !grant.fileName().equals(fileName)) {
            throw new DomainException(Condition.FORBIDDEN, "the slot token is for another slot or file name");
        }
        String type = storedType(grant, contentType);
        if (contentLength == null) {
            throw new DomainException(Condition.BAD_REQUEST, "send Content-Length: " + grant.size());
        }
        if (contentLength > grant.size()) {
            throw new DomainException(Condition.PAYLOAD_TOO_BIG, "the slot is for " + grant.size() + " bytes");
        }
        if (contentLength != grant.size()) {
            throw new DomainException(Condition.BAD_REQUEST, "the slot is for " + grant.size() + " bytes, not " + contentLength);
        }
        HttpUpload started = new HttpUpload(checkedSlot(slotId), grant.user().toBare(), MediaFields.fileName(fileName), type, grant.size(),
                null, clock.instant().truncatedTo(ChronoUnit.MICROS), null);
        if (!QuarkusTransaction.requiringNew().call(() -> store.begin(started))) {
            throw new DomainException(Condition.CONFLICT, "this slot has been used; ask for a new one");
        }
        DigestingInputStream counted = new DigestingInputStream(body, grant.size());
        try {
            objects.put(started.objectKey(), counted, grant.size(), type);
            if (counted.count() != grant.size()) {
                throw new DomainException(Condition.BAD_REQUEST, "the upload ended after " + counted.count() + " of " + grant.size() + " bytes");
            }
            String sha256 = counted.sha256();
            Instant storedAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
            QuarkusTransaction.requiringNew().run(() -> store.finish(started.slotId(), sha256, storedAt));
            LOG.infof("stored upload %s of %s (%d bytes)", started.slotId(), started.uploader(), started.size());
            return new HttpUpload(started.slotId(), started.uploader(), started.fileName(), type, started.size(), sha256,
                    started.startedAt(), storedAt);
        } catch (RuntimeException e) {
            abandon(started);
            throw e;
        }
    }

    /** The slot's type when it named one (the PUT must say the same), else what the PUT says. */
    private static String storedType(SlotGrant grant, String contentType) {
        if (grant.contentType().isEmpty()) {
            return MediaFields.contentType(contentType);
        }
        String slotType = baseType(grant.contentType().get());
        if (contentType == null || !baseType(contentType).equals(slotType)) {
            throw new DomainException(Condition.FORBIDDEN, "the slot is for Content-Type " + grant.contentType().get());
        }
        return MediaFields.contentType(slotType);
    }

    private static String baseType(String type) {
        return type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    }

    /** A stored upload by its URL's slot id and name; 404 for anything else. */
    public HttpUpload find(String slotId, String fileName) {
        return Optional.ofNullable(slotId).filter(id -> SLOT_ID.matcher(id).matches()).flatMap(store::stored)
                .filter(upload -> upload.fileName().equals(fileName))
                .orElseThrow(() -> new DomainException(Condition.ITEM_NOT_FOUND, "no such upload"));
    }

    /** The bytes {@code offset} to {@code offset + length - 1} (length -1: to the end); the caller closes the stream. */
    public InputStream open(HttpUpload upload, long offset, long length) {
        return objects.get(upload.objectKey(), offset, length);
    }

    /**
     * Inside the transaction that applies an account's deletion: its uploads' rows go and their bytes are doomed.
     * Answers what to remove after the commit.
     */
    public List<DoomedObjects.Doomed> forgetUploader(Jid user) {
        List<DoomedObjects.Doomed> bytes = store.deleteUploader(user.toBare()).stream()
                .map(upload -> DoomedObjects.Doomed.object(upload.objectKey())).toList();
        doomed.doom(bytes);
        return bytes;
    }

    /** Uploads that started longer ago than the grace period and never finished (a crash mid-way): bytes and row go. */
    @Scheduled(every = "${buddycloud.media.sweep-interval:1m}", delayed = "50s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        int swept = sweep(clock.instant().minus(config.abandonedUploadGrace()));
        if (swept > 0) {
            LOG.infof("cleared %d unfinished XEP-0363 upload(s)", swept);
        }
    }

    public int sweep(Instant startedBefore) {
        int total = 0;
        List<DoomedObjects.Doomed> batch;
        do {
            batch = QuarkusTransaction.requiringNew().call(() -> {
                List<DoomedObjects.Doomed> bytes = store.takeUnfinished(startedBefore, BATCH).stream()
                        .map(upload -> DoomedObjects.Doomed.object(upload.objectKey())).toList();
                doomed.doom(bytes);
                return bytes;
            });
            doomed.removeNow(batch);
            total += batch.size();
        } while (batch.size() == BATCH);
        return total;
    }

    /** A failed PUT: the row goes (the slot may be tried again) and the bytes are doomed, or left to the sweep. */
    private void abandon(HttpUpload upload) {
        List<DoomedObjects.Doomed> bytes = List.of(DoomedObjects.Doomed.object(upload.objectKey()));
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                store.forget(upload.slotId());
                doomed.doom(bytes);
            });
        } catch (RuntimeException e) {
            LOG.warnf("could not clean up the failed upload %s now; the sweep will: %s", upload.slotId(), e.getMessage());
            return;
        }
        doomed.removeNow(bytes);
    }

    private static String checkedSlot(String slotId) {
        if (slotId == null || !SLOT_ID.matcher(slotId).matches()) {
            throw new DomainException(Condition.ITEM_NOT_FOUND, "no such slot");
        }
        return slotId;
    }
}
