package org.buddycloud.servicekit.auth;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;
import org.buddycloud.contracts.jid.Jid;

/**
 * "I am this XMPP session, and my client will confirm transaction {@code transaction}" (XEP-0070):
 * a caller without an access token, proven by the channel server asking the client.
 */
public final class XmppConfirmationRequest extends BaseAuthenticationRequest {

    private final Jid fullJid;
    private final String transaction;
    private final String method;
    private final String url;

    public XmppConfirmationRequest(Jid fullJid, String transaction, String method, String url) {
        this.fullJid = fullJid;
        this.transaction = transaction;
        this.method = method;
        this.url = url;
    }

    public Jid fullJid() {
        return fullJid;
    }

    public String transaction() {
        return transaction;
    }

    public String method() {
        return method;
    }

    public String url() {
        return url;
    }
}
