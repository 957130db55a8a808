package org.buddycloud.media.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.buddycloud.contracts.events.AccountDeleted;
import org.buddycloud.contracts.events.EventOutbox;
import org.buddycloud.contracts.events.EventTypes;
import org.buddycloud.contracts.events.MediaDeleted;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.media.domain.MediaItem;
import org.buddycloud.media.domain.PendingUpload;
import org.buddycloud.media.upload.HttpUploads;
import org.jboss.logging.Logger;

/**
 * What happens to a deleted account's media: every file it uploaded goes, whatever channel holds it. Its own channels'
 * files go with those channels ({@link ChannelMedia}), but a file it put into somebody else's channel (a topic
 * channel it could post to) would outlive it, and so would its uploads still under way and its XEP-0363 uploads. As
 * with a deleted channel, the rows go in the transaction that applies the event, each file's deletion is an event of
 * its own, and the bytes go right after the commit, or in the next sweep if that fails.
 */
@ApplicationScoped
public class AccountMedia {

    private static final Logger LOG = Logger.getLogger(AccountMedia.class);

    private final MediaStore media;
    private final PendingUploads pending;
    private final HttpUploads uploads;
    private final EventOutbox events;
    private final DoomedObjects doomed;

    AccountMedia(MediaStore media, PendingUploads pending, HttpUploads uploads, EventOutbox events, DoomedObjects doomed) {
        this.media = media;
        this.pending = pending;
        this.uploads = uploads;
        this.events = events;
        this.doomed = doomed;
    }

    /** Inside the consumer's transaction; answers what to remove after the commit. */
    public Runnable accountDeleted(AccountDeleted deleted) {
        Jid account = deleted.jid().toBare();
        List<MediaItem> files = media.deleteUploadedBy(account);
        List<DoomedObjects.Doomed> bytes = new ArrayList<>();
        for (MediaItem file : files) {
            events.add(EventTypes.MEDIA_DELETED, new MediaDeleted(file.channel(), file.id(), account, deleted.deletedAt()));
            bytes.addAll(DoomedObjects.Doomed.file(file.channel(), file.id()));
        }
        // an upload that finishes after this finds its pending note gone and removes its own bytes
        for (PendingUpload unfinished : pending.takeUploadedBy(account)) {
            bytes.add(DoomedObjects.Doomed.object(unfinished.objectKey()));
        }
        doomed.doom(bytes);
        List<DoomedObjects.Doomed> slots = uploads.forgetUploader(account);
        if (bytes.isEmpty() && slots.isEmpty()) {
            return null;
        }
        return () -> {
            doomed.removeNow(bytes);
            doomed.removeNow(slots);
            LOG.infof("removed the %d file(s) and %d XEP-0363 upload(s) of the deleted account %s", files.size(), slots.size(), account);
        };
    }
}
