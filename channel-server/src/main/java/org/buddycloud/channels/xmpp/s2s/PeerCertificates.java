package org.buddycloud.channels.xmpp.s2s;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathValidator;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import org.buddycloud.xmppkit.s2s.ServerIdentity;
import org.jboss.logging.Logger;

/**
 * Whether a remote server's certificate proves a domain (RFC 6120 §13.7.2, XEP-0178): a chain that leads to a trusted
 * certificate (PKIX: signatures, validity dates; revocation is not checked) and whose end certificate names the domain
 * (RFC 6125: DNS-ID, SRV-ID, XmppAddr). Trusted are the certificates of the configured trust store, read again when the
 * file changes (an operator adds a peer without a restart), else the JDK's.
 */
final class PeerCertificates {

    private static final Logger LOG = Logger.getLogger(PeerCertificates.class);

    private record Trusted(FileTime modified, PKIXParameters anchors) {
    }

    private final Optional<Path> trustStore;
    private final char[] password;
    private volatile Trusted trusted;

    PeerCertificates(Optional<String> trustStore, Optional<String> password) {
        this.trustStore = trustStore.map(Path::of);
        this.password = password.orElse("changeit").toCharArray();
    }

    /** True when the chain is trusted and names {@code domain}; false for anything else, never an exception. */
    boolean prove(List<Certificate> chain, String domain) {
        if (chain == null || chain.isEmpty() || !(chain.get(0) instanceof X509Certificate leaf)) {
            return false;
        }
        try {
            PKIXParameters anchors = anchors();
            if (anchors == null) {
                return false;
            }
            CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(chain), anchors);
            return ServerIdentity.names(leaf, domain);
        } catch (GeneralSecurityException | RuntimeException e) {
            LOG.debugf("the certificate of a server claiming %s is not trusted: %s", domain, e.getMessage());
            return false;
        }
    }

    private PKIXParameters anchors() {
        try {
            Path file = trustStore.orElse(Path.of(System.getProperty("java.home"), "lib", "security", "cacerts"));
            FileTime modified = Files.getLastModifiedTime(file);
            Trusted current = trusted;
            if (current == null || !current.modified().equals(modified)) {
                KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
                try (InputStream in = Files.newInputStream(file)) {
                    store.load(in, password);
                }
                PKIXParameters parameters = new PKIXParameters(store);
                // an s2s certificate is checked as Prosody does: chain and dates, no OCSP or CRL round trips
                parameters.setRevocationEnabled(false);
                current = new Trusted(modified, parameters);
                trusted = current;
            }
            // validators may keep state in the parameters: each check gets a copy
            return (PKIXParameters) current.anchors().clone();
        } catch (IOException | GeneralSecurityException e) {
            LOG.warnf("cannot read the trust store for other servers' certificates (%s): certificates prove nothing, dialback still does",
                    e.getMessage());
            return null;
        }
    }
}
