package org.buddycloud.media.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
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
import org.buddycloud.media.domain.MediaItem;
import org.buddycloud.media.domain.MediaPermissions;
import org.buddycloud.media.domain.MediaPermissions.Target;
import org.buddycloud.media.domain.Member;
import org.buddycloud.media.domain.Upload;
import org.buddycloud.media.readmodel.ChannelAccessStore;
import org.buddycloud.media.storage.ObjectStore;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The media use cases: each decides with {@link MediaPermissions} on what the channel read model
 * knows, then moves bytes to or from object storage and keeps the metadata. A failed upload
 * leaves neither an object nor a row behind. Every stored or deleted file is an event on
 * {@code buddycloud.media}, written in the transaction of its row.
 */
@ApplicationScoped
public class MediaService {

    private static final Logger LOG = Logger.getLogger(MediaService.class);
    private static final Pattern CONTENT_TYPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}");
    private static final int MAX_TEXT = 1024;
    private static final int MAX_PREVIEW_SIDE = 4096;

    /** A file being read out: what it is, which bytes are sent, and the stream of them. */
    public record Download(MediaItem item, long offset, long length, InputStream content, boolean publicCacheable) {
    }

    private final ChannelAccessStore access;
    private final MediaStore media;
    private final ObjectStore objects;
    private final MediaConfig config;
    private final MediaPermissions permissions;
    private final Clock clock;
    private final ImagePreviews images;
    private final EventOutbox events;

    MediaService(ChannelAccessStore access, MediaStore media, ObjectStore objects, MediaConfig config, EventOutbox events,
                 @ConfigProperty(name = "buddycloud.domain") String domain, Clock clock) {
        this.access = access;
        this.media = media;
        this.objects = objects;
        this.config = config;
        this.permissions = new MediaPermissions(domain);
        this.clock = clock;
        this.images = new ImagePreviews(config.maxPreviewPixels());
        this.events = events;
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
                removeQuietly(previous.objectKey());
            });
        }
        return avatar;
    }

    /** The channel's avatar; public whatever the channel's access model. */
    public MediaItem avatar(Jid channel) {
        requireChannel(channel);
        return media.avatar(channel.toBare()).flatMap(id -> media.find(channel.toBare(), id))
                .orElseThrow(() -> new DomainException(Condition.ITEM_NOT_FOUND, channel + " has no avatar"));
    }

    /** Streams the upload to object storage, then records it with {@code record} in one transaction; cleans up on failure. */
    private MediaItem store(Jid uploader, Jid channel, Upload upload, boolean avatar, java.util.function.Consumer<MediaItem> record) {
        if (upload.declaredLength() > config.maxSize()) {
            throw new DomainException(Condition.PAYLOAD_TOO_BIG, "the file is larger than " + config.maxSize() + " bytes");
        }
        String fileName = fileName(upload.fileName());
        String contentType = contentType(upload.contentType());
        String id = MediaIds.next();
        String key = MediaIds.objectKey(channel, id);
        DigestingInputStream counted = new DigestingInputStream(upload.content(), config.maxSize());
        try {
            objects.put(key, counted, upload.declaredLength(), contentType);
            if (upload.declaredLength() >= 0 && counted.count() != upload.declaredLength()) {
                throw new DomainException(Condition.BAD_REQUEST, "the upload ended after " + counted.count() + " of "
                        + upload.declaredLength() + " bytes");
            }
            Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
            Optional<ImagePreviews.Size> size = imageSize(key, contentType);
            MediaItem item = new MediaItem(channel.toBare(), id, uploader.toBare(), fileName, text(upload.title(), "title"),
                    text(upload.description(), "description"), contentType, counted.count(), counted.sha1(), counted.sha256(),
                    size.map(ImagePreviews.Size::width).orElse(null), size.map(ImagePreviews.Size::height).orElse(null), now, now);
            QuarkusTransaction.requiringNew().run(() -> {
                record.accept(item);
                events.add(EventTypes.MEDIA_STORED, new MediaStored(item.channel(), item.id(), item.uploader(), item.fileName(),
                        item.contentType(), item.size(), item.sha256(), avatar, item.uploadedAt()));
            });
            return item;
        } catch (RuntimeException e) {
            removeQuietly(key);
            throw e;
        }
    }

    /**
     * A proportionally scaled version of an image that fits the box (one side given: a square box), made once per
     * box and kept in object storage; the original when it already fits (never upscaled); 412 for non-images.
     */
    public Download preview(Optional<Jid> caller, Jid channel, String id, Integer maxWidth, Integer maxHeight) {
        MediaItem item = find(channel, id);
        AccessModel model = check(MediaAction.READ, caller, channel, target(item));
        boolean publicCacheable = model == AccessModel.OPEN || media.isAvatar(item.channel(), item.id());
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
        MediaItem changed = new MediaItem(item.channel(), item.id(), item.uploader(), fileName == null ? item.fileName() : fileName(fileName),
                title == null ? item.title() : text(title, "title"), description == null ? item.description() : text(description, "description"),
                item.contentType(), item.size(), item.sha1(), item.sha256(), item.width(), item.height(), item.uploadedAt(),
                clock.instant().truncatedTo(ChronoUnit.MICROS));
        if (!QuarkusTransaction.requiringNew().call(() -> media.update(changed))) {
            throw new DomainException(Condition.ITEM_NOT_FOUND, "no media " + id + " in " + channel);
        }
        return changed;
    }

    /** Deletes the file: the row first (so nothing ever points at missing bytes), then the object. */
    public void delete(Optional<Jid> caller, Jid channel, String id) {
        MediaItem item = find(channel, id);
        check(MediaAction.MODIFY, caller, channel, new Target(item.uploader(), false));
        if (!QuarkusTransaction.requiringNew().call(() -> forget(item, caller.orElseThrow()))) {
            throw new DomainException(Condition.ITEM_NOT_FOUND, "no media " + id + " in " + channel);
        }
        removeQuietly(item.objectKey());
        try {
            objects.removePrefix(MediaIds.previewPrefix(item.channel(), item.id()));
        } catch (RuntimeException e) {
            LOG.warnf("could not remove the previews of %s: %s", item.objectKey(), e.getMessage());
        }
    }

    /** Deletes the row and records the event, inside the caller's transaction; false when the row was already gone. */
    private boolean forget(MediaItem item, Jid actor) {
        if (!media.delete(item.channel(), item.id())) {
            return false;
        }
        events.add(EventTypes.MEDIA_DELETED, new MediaDeleted(item.channel(), item.id(), actor.toBare(), clock.instant()));
        return true;
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
        MediaItem item = find(channel, id);
        check(MediaAction.READ, caller, channel, target(item));
        return item;
    }

    /** An avatar is public; any other file is its uploader's. */
    private Target target(MediaItem item) {
        return new Target(item.uploader(), media.isAvatar(item.channel(), item.id()));
    }

    /** The bytes {@code offset} to {@code offset + length - 1} of a file (length -1: to the end). */
    public Download download(Optional<Jid> caller, Jid channel, String id, long offset, long length) {
        MediaItem item = find(channel, id);
        AccessModel model = check(MediaAction.READ, caller, channel, target(item));
        boolean avatar = media.isAvatar(item.channel(), item.id());
        long count = length < 0 ? item.size() - offset : length;
        InputStream content = objects.get(item.objectKey(), offset, count);
        return new Download(item, offset, count, content, avatar || model == AccessModel.OPEN);
    }

    private void requireChannel(Jid channel) {
        if (access.accessModel(channel.toBare()).isEmpty()) {
            throw new DomainException(Condition.ITEM_NOT_FOUND, "no channel " + channel);
        }
    }

    private MediaItem find(Jid channel, String id) {
        requireChannel(channel);
        return media.find(channel.toBare(), MediaIds.check(id))
                .orElseThrow(() -> new DomainException(Condition.ITEM_NOT_FOUND, "no media " + id + " in " + channel));
    }

    private AccessModel check(MediaAction action, Optional<Jid> caller, Jid channel, Target target) {
        AccessModel model = access.accessModel(channel.toBare())
                .orElseThrow(() -> new DomainException(Condition.ITEM_NOT_FOUND, "no channel " + channel));
        Member member = caller.map(jid -> access.member(channel.toBare(), jid)).orElse(Member.STRANGER);
        permissions.check(action, model, caller, member, target);
        return model;
    }

    /** The last path segment of what the client called the file, without control characters. */
    private static String fileName(String given) {
        String name = given == null ? "" : given.replace('\\', '/');
        name = name.substring(name.lastIndexOf('/') + 1).strip();
        if (name.isEmpty() || name.length() > 255 || name.equals(".") || name.equals("..") || name.chars().anyMatch(Character::isISOControl)) {
            throw new DomainException(Condition.BAD_REQUEST, "filename: 1 to 255 characters, no control characters");
        }
        return name;
    }

    private static String contentType(String given) {
        if (given == null || given.isBlank()) {
            return "application/octet-stream";
        }
        String type = given.split(";", 2)[0].strip().toLowerCase(java.util.Locale.ROOT);
        if (!CONTENT_TYPE.matcher(type).matches()) {
            throw new DomainException(Condition.BAD_REQUEST, "content-type: a MIME type such as image/png");
        }
        return type;
    }

    private static String text(String value, String field) {
        if (value != null && (value.length() > MAX_TEXT || value.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\t'))) {
            throw new DomainException(Condition.BAD_REQUEST, field + ": at most " + MAX_TEXT + " characters of text");
        }
        return value == null || value.isBlank() ? null : value;
    }

    private void removeQuietly(String key) {
        try {
            objects.remove(key);
        } catch (RuntimeException e) {
            LOG.warnf("could not remove %s after a failed upload: %s", key, e.getMessage());
        }
    }
}
