package org.buddycloud.media.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.events.EventOutbox;
import org.buddycloud.contracts.events.EventTypes;
import org.buddycloud.contracts.events.MediaDeleted;
import org.buddycloud.contracts.events.MediaStored;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import org.buddycloud.media.domain.DigestingInputStream;
import org.buddycloud.media.domain.ImagePreviews;
import org.buddycloud.media.domain.MediaAction;
import org.buddycloud.media.domain.MediaIds;
import org.buddycloud.media.domain.MediaFields;
import org.buddycloud.media.domain.MediaItem;
import org.buddycloud.media.domain.MediaPermissions.Target;
import org.buddycloud.media.domain.PendingUpload;
import org.buddycloud.media.domain.Upload;
import org.buddycloud.media.storage.ObjectStore;
import org.jboss.logging.Logger;

/**
 * The media use cases: each decides with the {@link ChannelGate} on what the channel read model
 * knows, then moves bytes to or from object storage and keeps the metadata. A failed upload
 * leaves neither an object nor a row behind. Every stored or deleted file is an event on
 * {@code buddycloud.media}, written in the transaction of its row.
 */
@ApplicationScoped
public class MediaService {

    private static final Logger LOG = Logger.getLogger(MediaService.class);
    private static final int MAX_PREVIEW_SIDE = 4096;

    /** A file being read out: what it is, which bytes are sent, and the stream of them. */
    public record Download(MediaItem item, long offset, long length, InputStream content, boolean publicCacheable) {
    }

    private final ChannelGate gate;
    private final MediaStore media;
    private final PendingUploads pending;
    private final ObjectStore objects;
    private final MediaConfig config;
    private final Clock clock;
    private final ImagePreviews images;
    private final EventOutbox events;
    private final DoomedObjects doomed;

    MediaService(ChannelGate gate, MediaStore media, PendingUploads pending, ObjectStore objects, MediaConfig config, EventOutbox events,
                 DoomedObjects doomed, Clock clock) {
        this.gate = gate;
        this.media = media;
        this.pending = pending;
        this.objects = objects;
        this.config = config;
        this.clock = clock;
        this.images = new ImagePreviews(config.maxPreviewPixels());
        this.events = events;
        this.doomed = doomed;
    }

    public long maxSize() {
        return config.maxSize();
    }

    public MediaItem upload(Optional<Jid> caller, Jid channel, Upload upload) {
        check(MediaAction.UPLOAD, caller, channel, Target.NEW_FILE);
        return store(caller.orElseThrow(), channel, upload, false, item -> media.insert(item));
    }

    /**
     * Replaces the channel's avatar (who may upload may change it). Concurrent replacements serialise on the
     * avatar row: the last to commit wins, and every replaced avatar is deleted, bytes included.
     */
    public MediaItem replaceAvatar(Optional<Jid> caller, Jid channel, Upload upload) {
        check(MediaAction.UPLOAD, caller, channel, Target.AVATAR);
        List<String> replaced = new java.util.ArrayList<>();
        MediaItem avatar = store(caller.orElseThrow(), channel, upload, true, item -> {
            media.insert(item);
            media.switchAvatar(item.channel(), item.id()).ifPresent(replaced::add);
        });
        for (String old : replaced) {
            media.find(avatar.channel(), old).ifPresent(previous -> {
                QuarkusTransaction.requiringNew().run(() -> forget(previous, avatar.uploader()));
                doomed.removeNow(bytesOf(previous));
            });
        }
        return avatar;
    }

    /** The channel's avatar; public whatever the channel's access model. */
    public MediaItem avatar(Jid channel) {
        gate.requireChannel(channel);
        return media.avatar(channel.toBare()).flatMap(id -> media.find(channel.toBare(), id))
                .orElseThrow(() -> new DomainException(Condition.ITEM_NOT_FOUND, channel + " has no avatar"));
    }

    /**
     * Notes the upload as pending, streams it to object storage, then records it with {@code record} in one
     * transaction with its event; a failure removes the bytes and the pending note (or leaves both to the sweeper).
     */
    private MediaItem store(Jid uploader, Jid channel, Upload upload, boolean avatar, java.util.function.Consumer<MediaItem> record) {
        if (upload.declaredLength() > config.maxSize()) {
            throw new DomainException(Condition.PAYLOAD_TOO_BIG, "the file is larger than " + config.maxSize() + " bytes");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        PendingUpload started = new PendingUpload(channel.toBare(), MediaIds.next(), uploader.toBare(), MediaFields.fileName(upload.fileName()),
                MediaFields.text(upload.title(), "title"), MediaFields.text(upload.description(), "description"),
                MediaFields.contentType(upload.contentType()), upload.declaredLength(), false, now, now.plus(config.abandonedUploadGrace()));
        QuarkusTransaction.requiringNew().run(() -> pending.begin(started));
        DigestingInputStream counted = new DigestingInputStream(upload.content(), config.maxSize());
        try {
            objects.put(started.objectKey(), counted, upload.declaredLength(), started.contentType());
            if (upload.declaredLength() >= 0 && counted.count() != upload.declaredLength()) {
                throw new DomainException(Condition.BAD_REQUEST, "the upload ended after " + counted.count() + " of "
                        + upload.declaredLength() + " bytes");
            }
            return finish(started, counted, avatar, record);
        } catch (RuntimeException e) {
            abandon(started);
            throw e;
        }
    }

    /**
     * Turns a pending upload whose bytes are in storage into a file: its row (by {@code record}), its event and
     * the end of the pending note, in one transaction. Refused when the note is gone (swept, or finished already).
     */
    MediaItem finish(PendingUpload upload, DigestingInputStream counted, boolean avatar, java.util.function.Consumer<MediaItem> record) {
        Optional<ImagePreviews.Size> size = imageSize(upload.objectKey(), upload.contentType());
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        MediaItem item = new MediaItem(upload.channel(), upload.id(), upload.uploader(), upload.fileName(), upload.title(),
                upload.description(), upload.contentType(), counted.count(), counted.sha1(), counted.sha256(),
                size.map(ImagePreviews.Size::width).orElse(null), size.map(ImagePreviews.Size::height).orElse(null), now, now);
        QuarkusTransaction.requiringNew().run(() -> {
            if (!pending.finish(upload.channel(), upload.id())) {
                throw new DomainException(Condition.CONFLICT, "upload " + upload.id() + " is no longer pending (finished already, or abandoned)");
            }
            record.accept(item);
            events.add(EventTypes.MEDIA_STORED, new MediaStored(item.channel(), item.id(), item.uploader(), item.fileName(),
                    item.contentType(), item.size(), item.sha256(), avatar, item.uploadedAt()));
        });
        return item;
    }

    /**
     * Ends a failed upload: its pending note becomes a note that its bytes are doomed, then they are removed. If the
     * database cannot be reached now, the pending note stays and the sweep of abandoned uploads does the same later.
     */
    void abandon(PendingUpload upload) {
        List<DoomedObjects.Doomed> bytes = List.of(DoomedObjects.Doomed.object(upload.objectKey()));
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                pending.finish(upload.channel(), upload.id());
                doomed.doom(bytes);
            });
        } catch (RuntimeException e) {
            LOG.warnf("could not clean up the failed upload %s now; the sweep will: %s", upload.objectKey(), e.getMessage());
            return;
        }
        doomed.removeNow(bytes);
    }

    /** Inserts a new file's row. */
    void insert(MediaItem item) {
        media.insert(item);
    }

    /**
     * A proportionally scaled version of an image that fits the box (one side given: a square box), made once per
     * box and kept in object storage; the original when it already fits (never upscaled); 412 for non-images.
     */
    public Download preview(Optional<Jid> caller, Jid channel, String id, Integer maxWidth, Integer maxHeight) {
        Readable file = readable(caller, channel, id);
        MediaItem item = file.item();
        boolean publicCacheable = file.publicCacheable();
        int width = maxWidth != null ? maxWidth : maxHeight;
        int height = maxHeight != null ? maxHeight : maxWidth;
        if (width < 1 || height < 1 || width > MAX_PREVIEW_SIDE || height > MAX_PREVIEW_SIDE) {
            throw new DomainException(Condition.BAD_REQUEST, "maxwidth and maxheight: 1 to " + MAX_PREVIEW_SIDE);
        }
        if (!ImagePreviews.previewable(item.contentType())) {
            throw new DomainException(Condition.PRECONDITION_FAILED, "no previews of " + item.contentType() + " files");
        }
        String key = item.previewKey(width, height);
        Optional<ObjectStore.Stat> cached = objects.stat(key);
        if (cached.isEmpty()) {
            Optional<ImagePreviews.Preview> made;
            try (InputStream original = objects.get(item.objectKey(), 0, -1)) {
                made = images.preview(original, item.contentType(), width, height);
            } catch (java.io.IOException e) {
                throw new DomainException(Condition.NOT_ACCEPTABLE, "the image cannot be read: " + e.getMessage());
            }
            if (made.isEmpty()) {
                return new Download(item, 0, item.size(), objects.get(item.objectKey(), 0, -1), publicCacheable);
            }
            byte[] bytes = made.get().bytes();
            objects.put(key, new java.io.ByteArrayInputStream(bytes), bytes.length, made.get().contentType());
            cached = Optional.of(new ObjectStore.Stat(bytes.length, made.get().contentType(), null));
        }
        MediaItem preview = item.asPreview(cached.get().contentType(), cached.get().size(), width, height);
        return new Download(preview, 0, preview.size(), objects.get(key, 0, -1), publicCacheable);
    }

    /** An image's dimensions from its header, read back from storage; empty for other files. */
    private Optional<ImagePreviews.Size> imageSize(String key, String contentType) {
        if (!ImagePreviews.previewable(contentType)) {
            return Optional.empty();
        }
        try (InputStream stored = objects.get(key, 0, -1)) {
            return images.size(stored);
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
    }

    /** New name, title or description (null: unchanged) by the uploader, an owner or a moderator. */
    public MediaItem update(Optional<Jid> caller, Jid channel, String id, String fileName, String title, String description) {
        MediaItem item = find(channel, id);
        check(MediaAction.MODIFY, caller, channel, new Target(item.uploader(), false));
        MediaItem changed = new MediaItem(item.channel(), item.id(), item.uploader(),
                fileName == null ? item.fileName() : MediaFields.fileName(fileName),
                title == null ? item.title() : MediaFields.text(title, "title"),
                description == null ? item.description() : MediaFields.text(description, "description"),
                item.contentType(), item.size(), item.sha1(), item.sha256(), item.width(), item.height(), item.uploadedAt(),
                clock.instant().truncatedTo(ChronoUnit.MICROS));
        if (!QuarkusTransaction.requiringNew().call(() -> media.update(changed))) {
            throw new DomainException(Condition.ITEM_NOT_FOUND, "no media " + id + " in " + channel);
        }
        return changed;
    }

    /** Deletes the file: the row first (so nothing ever points at missing bytes), then the object and its previews. */
    public void delete(Optional<Jid> caller, Jid channel, String id) {
        MediaItem item = find(channel, id);
        check(MediaAction.MODIFY, caller, channel, new Target(item.uploader(), false));
        if (!QuarkusTransaction.requiringNew().call(() -> forget(item, caller.orElseThrow()))) {
            throw new DomainException(Condition.ITEM_NOT_FOUND, "no media " + id + " in " + channel);
        }
        doomed.removeNow(bytesOf(item));
    }

    /**
     * Deletes the row, records the event and notes the bytes for removal, inside the caller's transaction; false when
     * the row was already gone.
     */
    private boolean forget(MediaItem item, Jid actor) {
        if (!media.delete(item.channel(), item.id())) {
            return false;
        }
        events.add(EventTypes.MEDIA_DELETED, new MediaDeleted(item.channel(), item.id(), actor.toBare(), clock.instant()));
        doomed.doom(bytesOf(item));
        return true;
    }

    private static List<DoomedObjects.Doomed> bytesOf(MediaItem item) {
        return DoomedObjects.Doomed.file(item.channel(), item.id());
    }

    public List<MediaItem> list(Optional<Jid> caller, Jid channel, int max, String after) {
        check(MediaAction.READ, caller, channel, Target.NEW_FILE);
        if (max < 1 || max > 100) {
            throw new DomainException(Condition.BAD_REQUEST, "max: 1 to 100");
        }
        MediaItem last = after == null ? null : media.find(channel.toBare(), MediaIds.check(after))
                .orElseThrow(() -> new DomainException(Condition.BAD_REQUEST, "after: no media " + after + " in this channel"));
        return media.list(channel.toBare(), max, last);
    }

    public MediaItem metadata(Optional<Jid> caller, Jid channel, String id) {
        return readable(caller, channel, id).item();
    }

    /** A file the caller may read, and whether shared caches may keep it (open channels, avatars). */
    public record Readable(MediaItem item, boolean publicCacheable) {
    }

    /**
     * The read check of a file, done once per request: an avatar is public, any other file follows the channel's
     * read rules. Validators and ranges are answered from its result.
     */
    public Readable readable(Optional<Jid> caller, Jid channel, String id) {
        MediaItem item = find(channel, id);
        boolean avatar = media.isAvatar(item.channel(), item.id());
        AccessModel model = check(MediaAction.READ, caller, channel, new Target(item.uploader(), avatar));
        return new Readable(item, avatar || model == AccessModel.OPEN);
    }

    /** The bytes {@code offset} to {@code offset + length - 1} of a readable file (length -1: to the end). */
    public Download open(Readable file, long offset, long length) {
        MediaItem item = file.item();
        long count = length < 0 ? item.size() - offset : length;
        return new Download(item, offset, count, objects.get(item.objectKey(), offset, count), file.publicCacheable());
    }

    MediaItem find(Jid channel, String id) {
        return media.find(channel.toBare(), MediaIds.check(id)).orElseThrow(() -> {
            gate.requireChannel(channel); // the answer says which is missing, the channel or the file
            return new DomainException(Condition.ITEM_NOT_FOUND, "no media " + id + " in " + channel);
        });
    }

    private AccessModel check(MediaAction action, Optional<Jid> caller, Jid channel, Target target) {
        return gate.check(action, caller, channel, target);
    }
}
