package org.buddycloud.media.service;

import jakarta.enterprise.context.ApplicationScoped;
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

    ChannelMedia(MediaStore media, ObjectStore objects) {
        this.media = media;
        this.objects = objects;
    }

    /** Inside the caller's transaction. */
    public void forget(Jid channel) {
        media.deleteChannel(channel.toBare());
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
