package org.buddycloud.media.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.buddycloud.contracts.events.EventOutbox;
import org.buddycloud.contracts.events.EventTypes;
import org.buddycloud.contracts.events.MediaDeleted;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.media.storage.ObjectStore;
import org.jboss.logging.Logger;

/**
 * What happens to a deleted channel's media: its rows go in the transaction that applies the
 * deletion event, its bytes right after the commit (by key prefix, which also catches strays).
 */
@ApplicationScoped
public class ChannelMedia {

    private static final Logger LOG = Logger.getLogger(ChannelMedia.class);

    private final MediaStore media;
    private final ObjectStore objects;
    private final EventOutbox events;

    ChannelMedia(MediaStore media, ObjectStore objects, EventOutbox events) {
        this.media = media;
        this.objects = objects;
        this.events = events;
    }

    /** Inside the caller's transaction: the rows go, and each file's deletion is an event like any other. */
    public void forget(Jid channel, Jid actor, Instant at) {
        for (String id : media.deleteChannel(channel.toBare())) {
            events.add(EventTypes.MEDIA_DELETED, new MediaDeleted(channel.toBare(), id, actor.toBare(), at));
        }
    }

    /** After the commit; a failure leaves bytes nobody can reach, which the next deletion of that prefix removes. */
    public void removeBytes(Jid channel) {
        try {
            int removed = objects.removePrefix(channel.toBare() + "/");
            LOG.infof("removed %d files of the deleted channel %s", removed, channel);
        } catch (RuntimeException e) {
            LOG.warnf("could not remove the files of the deleted channel %s: %s", channel, e.getMessage());
        }
    }
}
