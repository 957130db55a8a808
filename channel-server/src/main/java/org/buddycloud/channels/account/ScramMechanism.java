package org.buddycloud.channels.account;

/** The SCRAM variants we store keys for (RFC 5802, RFC 7677), by their SASL names. */
public enum ScramMechanism {
    SHA_1("SCRAM-SHA-1", "SHA-1", "HmacSHA1"),
    SHA_256("SCRAM-SHA-256", "SHA-256", "HmacSHA256");

    private final String saslName;
    private final String digest;
    private final String hmac;

    ScramMechanism(String saslName, String digest, String hmac) {
        this.saslName = saslName;
        this.digest = digest;
        this.hmac = hmac;
    }

    public String saslName() {
        return saslName;
    }

    String digest() {
        return digest;
    }

    String hmac() {
        return hmac;
    }
}
