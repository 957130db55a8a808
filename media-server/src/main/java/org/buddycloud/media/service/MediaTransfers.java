package org.buddycloud.media.service;

import io.minio.http.Method;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import org.buddycloud.media.domain.DigestingInputStream;
import org.buddycloud.media.domain.MediaAction;
import org.buddycloud.media.domain.MediaFields;
import org.buddycloud.media.domain.MediaIds;
import org.buddycloud.media.domain.MediaItem;
import org.buddycloud.media.domain.MediaPermissions.Target;
import org.buddycloud.media.domain.PendingUpload;
import org.buddycloud.media.storage.ObjectStore;

/**
 * Large files past the media server: after the permission check the client gets a presigned S3 URL and
 * moves the bytes itself. An upload is a pending note until the client confirms it; the confirmation
 * checks the stored object against what was announced, reads it once for its checksums and records
 * it like any other upload. Unconfirmed uploads are removed by the sweeper.
 */
@ApplicationScoped
public class MediaTransfers {

    /** What a client needs to send the bytes: where, until when, and the id to confirm. */
    public record Offer(PendingUpload upload, String url, Instant expiresAt) {
    }

    /** A presigned download link. */
    public record Link(String url, Instant expiresAt) {
    }

    private final ChannelGate gate;
    private final MediaService media;
    private final PendingUploads pending;
    private final ObjectStore objects;
    private final MediaConfig config;
    private final Clock clock;

    MediaTransfers(ChannelGate gate, MediaService media, PendingUploads pending, ObjectStore objects, MediaConfig config, Clock clock) {
        this.gate = gate;
        this.media = media;
        this.pending = pending;
        this.objects = objects;
        this.config = config;
        this.clock = clock;
    }

    /** A presigned PUT for a new file of the channel, for those who may upload; {@code size} is checked at confirmation. */
    public Offer offer(Optional<Jid> caller, Jid channel, String fileName, String contentType, long size, String title, String description) {
        gate.check(MediaAction.UPLOAD, caller, channel, Target.NEW_FILE);
        if (size < 0) {
            throw new DomainException(Condition.BAD_REQUEST, "size: the file's length in bytes");
        }
        if (size > config.maxSize()) {
            throw new DomainException(Condition.PAYLOAD_TOO_BIG, "the file is larger than " + config.maxSize() + " bytes");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Instant expiresAt = now.plus(config.transferValidity());
        PendingUpload upload = new PendingUpload(channel.toBare(), MediaIds.next(), caller.orElseThrow().toBare(),
                MediaFields.fileName(fileName), MediaFields.text(title, "title"), MediaFields.text(description, "description"),
                MediaFields.contentType(contentType), size, true, now, expiresAt.plus(config.abandonedUploadGrace()));
        QuarkusTransaction.requiringNew().run(() -> pending.begin(upload));
        return new Offer(upload, objects.presigned(Method.PUT, upload.objectKey(), config.transferValidity(), Map.of()), expiresAt);
    }

    /**
     * The client says its bytes are in S3: they must be there and be as long as announced. The uploader may still
     * upload (a membership may have changed since the offer).
     */
    public MediaItem confirm(Optional<Jid> caller, Jid channel, String id) {
        PendingUpload upload = ownPending(caller, channel, id);
        gate.check(MediaAction.UPLOAD, caller, channel, Target.NEW_FILE);
        ObjectStore.Stat stored = objects.stat(upload.objectKey())
                .orElseThrow(() -> new DomainException(Condition.CONFLICT, "nothing was uploaded for " + id + " yet"));
        if (stored.size() != upload.declaredSize()) {
            media.abandon(upload);
            throw new DomainException(stored.size() > config.maxSize() ? Condition.PAYLOAD_TOO_BIG : Condition.BAD_REQUEST,
                    "announced " + upload.declaredSize() + " bytes, uploaded " + stored.size() + "; the upload is discarded");
        }
        DigestingInputStream counted;
        try (InputStream in = objects.get(upload.objectKey(), 0, -1)) {
            counted = new DigestingInputStream(in, config.maxSize());
            counted.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException("reading back " + upload.objectKey() + " failed", e);
        }
        return media.finish(upload, counted, false, media::insert);
    }

    /** The uploader gives up: the bytes (if any) and the pending note go. */
    public void cancel(Optional<Jid> caller, Jid channel, String id) {
        media.abandon(ownPending(caller, channel, id));
    }

    /** A presigned GET of a file for whoever may read it, which downloads it under its own name and type. */
    public Link link(Optional<Jid> caller, Jid channel, String id) {
        MediaItem item = media.metadata(caller, channel, id);
        String disposition = "inline; filename=\"" + item.fileName().replace("\"", "") + "\"";
        String url = objects.presigned(Method.GET, item.objectKey(), config.transferValidity(),
                Map.of("response-content-type", item.contentType(), "response-content-disposition", disposition));
        return new Link(url, clock.instant().plus(config.transferValidity()));
    }

    /** The caller's own presigned upload that is still pending: others get 404 (they need not learn it exists). */
    private PendingUpload ownPending(Optional<Jid> caller, Jid channel, String id) {
        if (caller.isEmpty()) {
            throw new DomainException(Condition.NOT_AUTHORIZED, "sign in to finish an upload");
        }
        gate.requireChannel(channel);
        return pending.find(channel.toBare(), MediaIds.check(id))
                .filter(PendingUpload::direct)
                .filter(upload -> upload.uploader().equals(caller.get().toBare()))
                .orElseThrow(() -> new DomainException(Condition.ITEM_NOT_FOUND, "no pending upload " + id + " of yours in " + channel));
    }
}
