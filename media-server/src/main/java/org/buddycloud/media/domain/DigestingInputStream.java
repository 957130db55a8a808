package org.buddycloud.media.domain;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;

/**
 * Passes bytes through while counting them and computing SHA-1 and SHA-256, and stops the upload
 * (413) as soon as more than the limit has gone by — the actual length is checked, not only the
 * declared one.
 */
public final class DigestingInputStream extends FilterInputStream {

    private final long limit;
    private final MessageDigest sha1;
    private final MessageDigest sha256;
    private long count;

    public DigestingInputStream(InputStream in, long limit) {
        super(in);
        this.limit = limit;
        try {
            this.sha1 = MessageDigest.getInstance("SHA-1");
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 and SHA-256 are part of every JDK", e);
        }
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            seen(new byte[] {(byte) b}, 0, 1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            seen(buffer, offset, n);
        }
        return n;
    }

    private void seen(byte[] buffer, int offset, int length) {
        count += length;
        if (count > limit) {
            throw new DomainException(Condition.PAYLOAD_TOO_BIG, "the file is larger than " + limit + " bytes");
        }
        sha1.update(buffer, offset, length);
        sha256.update(buffer, offset, length);
    }

    public long count() {
        return count;
    }

    public String sha1() {
        return HexFormat.of().formatHex(sha1.digest());
    }

    public String sha256() {
        return HexFormat.of().formatHex(sha256.digest());
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
