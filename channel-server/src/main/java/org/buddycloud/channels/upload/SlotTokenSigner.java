package org.buddycloud.channels.upload;

/** Signs a slot's token with the server's current signing key, the one its JWKS publishes. */
public interface SlotTokenSigner {
    String sign(SlotToken token);
}
