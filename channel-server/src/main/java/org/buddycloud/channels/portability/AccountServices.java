package org.buddycloud.channels.portability;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import org.buddycloud.contracts.jid.Jid;

/**
 * What the other services keep of an account and an archive carries: its channels' files (media server), its
 * notification settings (push server), its visible claims (friend finder). Each is asked over its documented HTTP
 * API as the account itself; a service that is not configured contributes nothing.
 */
public interface AccountServices {

    /** One file's metadata, as the media server lists it. */
    record MediaFile(String id, String fileName, String title, String description, String contentType, long size,
                     String sha256) {
    }

    /** A page of the channel's files, newest first, after {@code after} (an id, or null from the start). */
    List<MediaFile> mediaPage(Jid account, Jid channel, String after, int max) throws IOException;

    /** The channel's avatar's id, if it has one. */
    Optional<String> avatarId(Jid account, Jid channel) throws IOException;

    InputStream download(Jid account, Jid channel, String id) throws IOException;

    /** Uploads a file into the channel (as its avatar when {@code avatar}); answers its new id. */
    String upload(Jid account, Jid channel, MediaFile file, boolean avatar, InputStream bytes) throws IOException;

    boolean hasMedia();

    /** The account's notification settings as the push server answers them (a JSON array), if it is configured. */
    Optional<byte[]> notificationSettings(Jid account) throws IOException;

    /** Sets one target's switches (one element of what {@link #notificationSettings} answered). */
    void restoreNotificationSetting(Jid account, byte[] setting) throws IOException;

    /** The account's claims as the friend finder lists them (a JSON array), if it is configured. */
    Optional<byte[]> claims(Jid account) throws IOException;
}
