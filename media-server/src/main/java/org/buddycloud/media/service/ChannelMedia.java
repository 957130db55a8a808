package org.buddycloud.media.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.buddycloud.contracts.events.ChannelDeleted;
import org.buddycloud.contracts.events.EventOutbox;
import org.buddycloud.contracts.events.EventTypes;
import org.buddycloud.contracts.events.MediaDeleted;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.servicekit.readmodel.ChannelReadModelListener;
import org.jboss.logging.Logger;

/**
 * What happens to a deleted channel's media: its rows go in the transaction that applies the
 * deletion event, which also notes each file's bytes as doomed; the bytes go right after the commit,
 * or in the next sweep if that fails. Notes name files, not the channel's key prefix, so a channel
 * created again under the same JID never loses its new files to a late sweep. What an account uploaded
 * elsewhere, and its XEP-0363 uploads, go with the account ({@link AccountMedia}).
 */
@ApplicationScoped
public class ChannelMedia implements ChannelReadModelListener {

    private static final Logger LOG = Logger.getLogger(ChannelMedia.class);

    private final MediaStore media;
    private final EventOutbox events;
    private final DoomedObjects doomed;

    ChannelMedia(MediaStore media, EventOutbox events, DoomedObjects doomed) {
        this.media = media;
        this.events = events;
        this.doomed = doomed;
    }

    /** From the channel read model's transaction: the channel's files go with it. */
    @Override
    public Runnable channelDeleted(ChannelDeleted deleted) {
        List<DoomedObjects.Doomed> bytes = forget(deleted.channel(), deleted.actor(), deleted.deletedAt());
        return () -> removeBytes(deleted.channel(), bytes);
    }

    /**
     * Inside the caller's transaction: the rows go, each file's deletion is an event like any other and its bytes are
     * doomed. Answers what to remove after the commit.
     */
    public List<DoomedObjects.Doomed> forget(Jid channel, Jid actor, Instant at) {
        List<DoomedObjects.Doomed> bytes = new ArrayList<>();
        for (String id : media.deleteChannel(channel.toBare())) {
            events.add(EventTypes.MEDIA_DELETED, new MediaDeleted(channel.toBare(), id, actor.toBare(), at));
            bytes.addAll(DoomedObjects.Doomed.file(channel, id));
        }
        doomed.doom(bytes);
        return bytes;
    }

    /** After the commit; what cannot be removed now stays doomed for the sweep. */
    public void removeBytes(Jid channel, List<DoomedObjects.Doomed> bytes) {
        doomed.removeNow(bytes);
        LOG.infof("removed the %d file(s) of the deleted channel %s", bytes.size() / 2, channel);
    }
}
