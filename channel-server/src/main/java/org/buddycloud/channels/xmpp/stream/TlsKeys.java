package org.buddycloud.channels.xmpp.stream;

import io.vertx.core.net.PfxOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.jboss.logging.Logger;

/**
 * The key and certificate STARTTLS uses: the operator's PKCS#12 key store when configured, else a
 * self-signed one for the domain and the channel service, created on first start and reused.
 */
public final class TlsKeys {

    private static final Logger LOG = Logger.getLogger(TlsKeys.class);
    private static final String ALIAS = "xmpp";

    private TlsKeys() {
    }

    /** Vert.x options for the key store at {@code path}, creating a self-signed one there if it does not exist. */
    public static PfxOptions load(Path path, String password, boolean generateIfMissing, List<String> names) {
        try {
            if (!Files.exists(path)) {
                if (!generateIfMissing) {
                    throw new IllegalStateException("no TLS key store at " + path.toAbsolutePath());
                }
                if (generate(path, password, names)) {
                    LOG.infof("created a self-signed XMPP certificate for %s in %s", names, path.toAbsolutePath());
                }
            }
            return new PfxOptions().setPath(path.toAbsolutePath().toString()).setPassword(password);
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot prepare the TLS key store " + path, e);
        }
    }

    /** The certificate in a key store, for clients (tests) that must trust it. */
    public static X509Certificate certificate(Path path, String password) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(path)) {
            store.load(in, password.toCharArray());
        }
        return (X509Certificate) store.getCertificate(ALIAS);
    }

    /**
     * Writes a new key store beside {@code path} and links it into place only if nothing is there yet: replicas
     * starting together on one volume end up with the same certificate (the first one's), never with a half-written
     * file or one replaced under a replica already serving it. False when another process was first.
     */
    private static boolean generate(Path path, String password, List<String> names)
            throws GeneralSecurityException, IOException, OperatorCreationException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        Instant now = Instant.now();
        X500Name subject = new X500Name("CN=" + names.get(0));
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, new BigInteger(64, new SecureRandom()),
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(3650))), subject, pair.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(names.stream().map(n -> new GeneralName(GeneralName.dNSName, n)).toArray(GeneralName[]::new)));
        X509Certificate certificate = new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate())));
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry(ALIAS, pair.getPrivate(), password.toCharArray(), new X509Certificate[] {certificate});
        Path target = path.toAbsolutePath();
        Path parent = target.getParent();
        Files.createDirectories(parent);
        Path written = Files.createTempFile(parent, target.getFileName() + ".", ".new");
        try {
            try (OutputStream out = Files.newOutputStream(written)) {
                store.store(out, password.toCharArray());
            }
            return placeUnlessPresent(written, target);
        } finally {
            Files.deleteIfExists(written);
        }
    }

    /** A hard link is created atomically or not at all; where links are not supported, a plain move that does not replace. */
    private static boolean placeUnlessPresent(Path written, Path target) throws IOException {
        try {
            Files.createLink(target, written);
            return true;
        } catch (FileAlreadyExistsException anotherWasFirst) {
            return false;
        } catch (UnsupportedOperationException | IOException noLinks) {
            try {
                Files.move(written, target);
                return true;
            } catch (FileAlreadyExistsException anotherWasFirst) {
                return false;
            }
        }
    }
}
