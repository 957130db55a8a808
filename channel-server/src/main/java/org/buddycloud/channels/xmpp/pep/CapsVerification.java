package org.buddycloud.channels.xmpp.pep;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.buddycloud.channels.xmpp.Namespaces;
import org.buddycloud.xmppkit.xml.XmlElement;

/**
 * The XEP-0115 §5 verification string of a disco#info result and its hash: what lets a
 * {@code ver} seen in one client's presence stand for the same features in every other client
 * that sends it, so each distinct client version is asked once.
 */
public final class CapsVerification {

    private CapsVerification() {
    }

    /** The {@code ver} for the disco#info {@code query} under the named hash; empty for a hash we don't do. */
    public static Optional<String> ver(XmlElement query, String hash) {
        String algorithm = switch (hash == null ? "" : hash.toLowerCase(Locale.ROOT)) {
            case "sha-1" -> "SHA-1";
            case "sha-256" -> "SHA-256";
            default -> null;
        };
        if (algorithm == null) {
            return Optional.empty();
        }
        try {
            byte[] digest = MessageDigest.getInstance(algorithm).digest(string(query).getBytes(StandardCharsets.UTF_8));
            return Optional.of(Base64.getEncoder().encodeToString(digest));
        } catch (NoSuchAlgorithmException e) {
            return Optional.empty();
        }
    }

    static String string(XmlElement query) {
        StringBuilder s = new StringBuilder();
        query.elements("identity", Namespaces.DISCO_INFO).stream()
                .map(i -> nz(i.attr("category")) + "/" + nz(i.attr("type")) + "/" + nz(i.attr("xml:lang")) + "/" + nz(i.attr("name")))
                .sorted().forEach(i -> s.append(i).append('<'));
        query.elements("feature", Namespaces.DISCO_INFO).stream().map(f -> nz(f.attr("var"))).sorted()
                .forEach(f -> s.append(f).append('<'));
        List<XmlElement> forms = new ArrayList<>(query.elements("x", Namespaces.DATA));
        forms.sort(Comparator.comparing(CapsVerification::formType));
        for (XmlElement form : forms) {
            s.append(formType(form)).append('<');
            List<XmlElement> fields = new ArrayList<>(form.elements("field", Namespaces.DATA).stream()
                    .filter(f -> !"FORM_TYPE".equals(f.attr("var"))).toList());
            fields.sort(Comparator.comparing(f -> nz(f.attr("var"))));
            for (XmlElement field : fields) {
                s.append(nz(field.attr("var"))).append('<');
                field.elements("value", Namespaces.DATA).stream().map(XmlElement::text).sorted().forEach(v -> s.append(v).append('<'));
            }
        }
        return s.toString();
    }

    private static String formType(XmlElement form) {
        return form.elements("field", Namespaces.DATA).stream().filter(f -> "FORM_TYPE".equals(f.attr("var")))
                .flatMap(f -> f.elements("value", Namespaces.DATA).stream()).map(XmlElement::text).findFirst().orElse("");
    }

    private static String nz(String value) {
        return value == null ? "" : value;
    }
}
