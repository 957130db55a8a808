package org.buddycloud.channels.xmpp.s2s;

import java.security.cert.X509Certificate;
import javax.net.ssl.X509TrustManager;

/**
 * Takes any certificate at the TLS layer of server-to-server streams. Not a shortcut around checking: a server's
 * certificate is judged afterwards, for the domain it claims ({@link PeerCertificates}), which TLS cannot know; and a
 * server that cannot show a trusted one may still prove its domain by dialback, as XMPP servers do (XEP-0220).
 */
final class AnyCertificate implements X509TrustManager {

    static final AnyCertificate INSTANCE = new AnyCertificate();

    private AnyCertificate() {
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
        // judged later by PeerCertificates
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
        // judged later by PeerCertificates
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
