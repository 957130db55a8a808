package org.buddycloud.xmppkit.s2s;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** RFC 6125's matching rules for XMPP servers, on certificates made here with the names under test. */
class ServerIdentityTest {

    private static KeyPair keys;

    @BeforeAll
    static void keys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        keys = generator.generateKeyPair();
    }

    @Test
    void aDnsIdNamesItsDomainInAnyCaseAndWithATrailingDot() throws Exception {
        X509Certificate cert = certificate("CN=somebody-else.lit", dns("Capulet.LIT"));
        assertTrue(ServerIdentity.names(cert, "capulet.lit"));
        assertTrue(ServerIdentity.names(cert, "capulet.lit."));
        assertFalse(ServerIdentity.names(cert, "montague.lit"));
        assertFalse(ServerIdentity.names(cert, "somebody-else.lit"), "no common name once there are identifiers");
        assertFalse(ServerIdentity.names(cert, ""));
    }

    @Test
    void aWildcardStandsForExactlyOneLeftMostLabel() throws Exception {
        X509Certificate cert = certificate("CN=x", dns("*.capulet.lit"));
        assertTrue(ServerIdentity.names(cert, "channels.capulet.lit"));
        assertFalse(ServerIdentity.names(cert, "capulet.lit"), "not the parent");
        assertFalse(ServerIdentity.names(cert, "a.channels.capulet.lit"), "not two labels");
        assertFalse(ServerIdentity.names(certificate("CN=x", dns("*.lit")), "capulet.lit"), "not a whole top-level domain");
        assertFalse(ServerIdentity.names(certificate("CN=x", dns("chan*.capulet.lit")), "channels.capulet.lit"),
                "not a partial label");
    }

    @Test
    void anSrvIdAndAnXmppAddrNameTheDomain() throws Exception {
        assertTrue(ServerIdentity.names(certificate("CN=x", other("1.3.6.1.5.5.7.8.7", new DERIA5String("_xmpp-server.capulet.lit"))),
                "capulet.lit"));
        assertFalse(ServerIdentity.names(certificate("CN=x", other("1.3.6.1.5.5.7.8.7", new DERIA5String("_xmpp-client.capulet.lit"))),
                "capulet.lit"), "a client service is not the server");
        assertTrue(ServerIdentity.names(certificate("CN=x", other("1.3.6.1.5.5.7.8.5", new DERUTF8String("capulet.lit"))),
                "capulet.lit"));
        assertFalse(ServerIdentity.names(certificate("CN=capulet.lit", other("1.3.6.1.5.5.7.8.5", new DERUTF8String("montague.lit"))),
                "capulet.lit"));
    }

    @Test
    void theCommonNameCountsOnlyWithoutIdentifiers() throws Exception {
        assertTrue(ServerIdentity.names(certificate("CN=capulet.lit, O=Capulets", null), "capulet.lit"));
        assertFalse(ServerIdentity.names(certificate("CN=capulet.lit", dns("montague.lit")), "capulet.lit"));
        // an otherName of some other kind is no identifier of ours: the common name still counts
        assertTrue(ServerIdentity.names(certificate("CN=capulet.lit", other("1.2.3.4", new DERUTF8String("whatever"))), "capulet.lit"));
    }

    private static GeneralName dns(String name) {
        return new GeneralName(GeneralName.dNSName, name);
    }

    private static GeneralName other(String oid, org.bouncycastle.asn1.ASN1Encodable value) {
        ASN1EncodableVector otherName = new ASN1EncodableVector();
        otherName.add(new ASN1ObjectIdentifier(oid));
        otherName.add(new DERTaggedObject(true, 0, value));
        return new GeneralName(GeneralName.otherName, new DERSequence(otherName));
    }

    private static X509Certificate certificate(String subject, GeneralName altName) throws Exception {
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name(subject), BigInteger.ONE,
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), new X500Name(subject), keys.getPublic());
        if (altName != null) {
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(altName));
        }
        return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    }
}
