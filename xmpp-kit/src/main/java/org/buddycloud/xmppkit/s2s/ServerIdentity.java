package org.buddycloud.xmppkit.s2s;

import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Whether a server's certificate names the domain it claims (RFC 6120 §13.7.2, RFC 6125): a DNS-ID
 * ({@code subjectAltName} dNSName, with a wildcard only as the whole left-most label standing for exactly one label),
 * an SRV-ID ({@code _xmpp-server.<domain>}) or an XmppAddr; the subject's common name only when the certificate has
 * no identifiers of those kinds. Whether the chain is trusted is a separate question, answered elsewhere: a
 * certificate that names the domain but is not trusted proves nothing.
 */
public final class ServerIdentity {

    /** id-on-xmppAddr (RFC 6120 §13.7.1.4), DER-encoded OID 1.3.6.1.5.5.7.8.5. */
    private static final byte[] XMPP_ADDR = {0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x08, 0x05};
    /** id-on-dnsSRV (RFC 4985), DER-encoded OID 1.3.6.1.5.5.7.8.7. */
    private static final byte[] DNS_SRV = {0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x08, 0x07};
    private static final int OTHER_NAME = 0;
    private static final int DNS_NAME = 2;
    private static final String SRV_PREFIX = "_xmpp-server.";

    private ServerIdentity() {
    }

    /** Whether {@code certificate} (the peer's own, first in its chain) names {@code domain}. */
    public static boolean names(X509Certificate certificate, String domain) {
        String wanted = normalised(domain);
        if (wanted.isEmpty()) {
            return false;
        }
        Collection<List<?>> altNames;
        try {
            altNames = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return false;
        }
        boolean hasIdentifiers = false;
        for (List<?> altName : altNames == null ? List.<List<?>>of() : altNames) {
            int type = (Integer) altName.get(0);
            Object value = altName.get(1);
            if (type == DNS_NAME && value instanceof String dnsName) {
                hasIdentifiers = true;
                if (dnsIdMatches(normalised(dnsName), wanted)) {
                    return true;
                }
            } else if (type == OTHER_NAME && value instanceof byte[] encoded) {
                OtherName other = OtherName.parse(encoded);
                if (other == null) {
                    continue;
                }
                if (Arrays.equals(other.oid(), XMPP_ADDR)) {
                    hasIdentifiers = true;
                    if (normalised(other.value()).equals(wanted)) {
                        return true;
                    }
                } else if (Arrays.equals(other.oid(), DNS_SRV)) {
                    hasIdentifiers = true;
                    String srv = normalised(other.value());
                    if (srv.startsWith(SRV_PREFIX) && dnsIdMatches(srv.substring(SRV_PREFIX.length()), wanted)) {
                        return true;
                    }
                }
            }
        }
        return !hasIdentifiers && commonNames(certificate).stream().anyMatch(cn -> normalised(cn).equals(wanted));
    }

    /** An exact match, or {@code *.rest} standing for one label in front of {@code rest}. */
    private static boolean dnsIdMatches(String presented, String wanted) {
        if (presented.startsWith("*.")) {
            String rest = presented.substring(2);
            int dot = wanted.indexOf('.');
            // the wildcard stands for one whole label, and at least two labels remain after it
            return dot > 0 && rest.indexOf('.') > 0 && wanted.substring(dot + 1).equals(rest);
        }
        return !presented.contains("*") && presented.equals(wanted);
    }

    private static List<String> commonNames(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        try {
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    names.add(String.valueOf(rdn.getValue()));
                }
            }
        } catch (InvalidNameException e) {
            return List.of();
        }
        return names;
    }

    /** Case-insensitive (RFC 6125 §6.4.1), without the trailing dot of a fully qualified name. */
    private static String normalised(String name) {
        String lower = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    /**
     * An otherName as the JDK hands it over, {@code SEQUENCE { OBJECT IDENTIFIER, [0] EXPLICIT value }}, the value a
     * UTF8String (XmppAddr) or IA5String (SRV-ID). Anything else is not one of ours: null.
     */
    private record OtherName(byte[] oid, String value) {

        private static final byte SEQUENCE = 0x30;
        private static final byte CONTEXT_0 = (byte) 0xA0;
        private static final byte OBJECT_IDENTIFIER = 0x06;
        private static final byte UTF8_STRING = 0x0C;
        private static final byte IA5_STRING = 0x16;

        static OtherName parse(byte[] der) {
            Der name = Der.read(der, 0, der.length);
            // the JDK gives a SEQUENCE; the GeneralName's [0] IMPLICIT tag in its place is the same structure
            if (name == null || (name.tag() != SEQUENCE && name.tag() != CONTEXT_0)) {
                return null;
            }
            Der oid = Der.read(der, name.start(), name.end());
            if (oid == null || oid.tag() != OBJECT_IDENTIFIER) {
                return null;
            }
            Der explicit = Der.read(der, oid.end(), name.end());
            if (explicit == null || explicit.tag() != CONTEXT_0) {
                return null;
            }
            Der value = Der.read(der, explicit.start(), explicit.end());
            // JDK 17's sun.security.x509.OtherName keeps the [0] element it read as "the value" and wraps it in [0]
            // again when it encodes, so the string sits inside two [0] tags; a fixed JDK would give one
            if (value != null && value.tag() == CONTEXT_0) {
                value = Der.read(der, value.start(), value.end());
            }
            if (value == null || (value.tag() != UTF8_STRING && value.tag() != IA5_STRING)) {
                return null;
            }
            return new OtherName(Arrays.copyOfRange(der, oid.start(), oid.end()),
                    new String(der, value.start(), value.end() - value.start(),
                            value.tag() == UTF8_STRING ? StandardCharsets.UTF_8 : StandardCharsets.US_ASCII));
        }
    }

    /** One DER element: its tag and where its contents start and end in the buffer. */
    private record Der(byte tag, int start, int end) {

        /** The element at {@code at}, or null if it does not fit before {@code limit} (the end of its parent). */
        static Der read(byte[] der, int at, int limit) {
            if (at + 2 > limit) {
                return null;
            }
            byte tag = der[at];
            int length = der[at + 1] & 0xFF;
            int start = at + 2;
            if (length > 0x7F) {
                int octets = length & 0x7F;
                if (octets == 0 || octets > 3 || start + octets > limit) {
                    return null;
                }
                length = 0;
                for (int i = 0; i < octets; i++) {
                    length = (length << 8) | (der[start + i] & 0xFF);
                }
                start += octets;
            }
            return start + length > limit ? null : new Der(tag, start, start + length);
        }
    }
}
