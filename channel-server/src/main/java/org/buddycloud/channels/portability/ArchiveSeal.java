package org.buddycloud.channels.portability;

/** Signs the manifests of this domain's archives, and says whose signature an archive's manifest carries. */
public interface ArchiveSeal {

    /** Who vouches for an archive's contents beyond its checksums. */
    enum Authenticity {
        /** Signed by this domain: made here, untouched since. */
        OURS,
        /** Its domain, asked, says the signature is its own. */
        CONFIRMED_BY_SOURCE,
        /** Nobody could say: the checksums hold, but anyone could have written it. */
        UNVERIFIED,
        /** A domain archive the operator brought (moving to new hardware, whose secret is new): the operator vouches. */
        VOUCHED_BY_OPERATOR
    }

    /** The signature of a manifest, given its SHA-256. */
    String sign(byte[] manifestDigest);

    /** Whether {@code signature} is this domain's signature of the manifest with that SHA-256. */
    boolean isOurs(byte[] manifestDigest, String signature);

    /**
     * Whose signature it is: ours, or the archive's domain's (asked over HTTP). A signature that its own domain denies
     * refuses the archive.
     */
    Authenticity authenticate(String domain, byte[] manifestDigest, String signature);
}
