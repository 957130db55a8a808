package org.buddycloud.channels.profile;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;

/**
 * vCards (XEP-0054) as older clients keep profiles and avatars, and the SHA-1 of the photo that
 * XEP-0153 puts in presence so that contacts know when to fetch it again.
 */
public final class Vcards {

    private final VcardStore store;
    private final int maxBytes;

    public Vcards(VcardStore store, int maxBytes) {
        this.store = store;
        this.maxBytes = maxBytes;
    }

    public Optional<String> vcard(Jid owner) {
        return store.vcard(owner.toBare());
    }

    public Optional<String> photoHash(Jid owner) {
        return store.photoHash(owner.toBare());
    }

    /** Keeps the vCard; {@code photoBase64} is its PHOTO's BINVAL, if it has one. Returns the photo's hash. */
    public Optional<String> save(Jid owner, String vcard, Optional<String> photoBase64) {
        if (vcard.length() > maxBytes) {
            throw new DomainException(Condition.NOT_ACCEPTABLE, "a vCard is at most " + maxBytes + " characters");
        }
        Optional<String> hash = photoBase64.map(String::strip).filter(s -> !s.isEmpty()).map(Vcards::sha1OfBase64);
        store.save(owner.toBare(), vcard, hash.orElse(null));
        return hash;
    }

    private static String sha1OfBase64(String base64) {
        byte[] photo;
        try {
            photo = Base64.getMimeDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new DomainException(Condition.BAD_REQUEST, "the photo's BINVAL is not base64");
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(photo));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
