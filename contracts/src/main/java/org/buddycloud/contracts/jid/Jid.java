package org.buddycloud.contracts.jid;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Optional;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.stringprep.XmppStringprepException;

/**
 * An XMPP address (RFC 7622) as a value: {@code [localpart@]domain[/resource]}.
 *
 * <p>Parsing, normalisation and validation are jxmpp's (the library Smack uses), so a JID means
 * the same thing here as in the XMPP clients that talk to us. Two JIDs are equal when their
 * normalised forms are equal. Serialises to and from JSON as its string form.
 */
public final class Jid implements Comparable<Jid> {

    private static final String FORBIDDEN_IN_DOMAIN = "\"&'<>@/\\,;";

    private final org.jxmpp.jid.Jid jid;
    private final String text;

    private Jid(org.jxmpp.jid.Jid jid) {
        this.jid = jid;
        this.text = jid.toString();
    }

    /** Parses and normalises a JID; throws {@link InvalidJidException} with the reason if it is not one. */
    @JsonCreator
    public static Jid parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidJidException("a JID must not be empty");
        }
        if (text.endsWith("/")) {
            // RFC 7622 §3.4: a resourcepart, once separated, is not empty (jxmpp 1.0 lets it through)
            throw new InvalidJidException("not a valid JID: the resource must not be empty");
        }
        Jid jid;
        try {
            jid = new Jid(JidCreate.from(text));
        } catch (XmppStringprepException | IllegalArgumentException e) {
            throw new InvalidJidException("not a valid JID: " + e.getMessage());
        }
        checkDomain(jid.domain());
        return jid;
    }

    /**
     * A user's or channel's bare JID from a request field ({@code user=}, {@code <channel-jid/>}): anything else is a
     * {@code bad-request} naming the field, so every service refuses the same input the same way.
     */
    public static Jid parseEntityBare(String field, String text) {
        Jid jid;
        try {
            jid = parse(text == null ? null : text.trim());
        } catch (InvalidJidException e) {
            throw new DomainException(Condition.BAD_REQUEST, field + " is not a JID: " + e.getMessage());
        }
        if (!jid.isEntityBare()) {
            throw new DomainException(Condition.BAD_REQUEST, field + " must be a bare JID such as juliet@example.com");
        }
        return jid;
    }

    /** jxmpp's simple stringprep lets spaces and such through in domains; a host name never has them. */
    private static void checkDomain(String domain) {
        for (int i = 0; i < domain.length(); i++) {
            char c = domain.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c) || FORBIDDEN_IN_DOMAIN.indexOf(c) >= 0) {
                throw new InvalidJidException("not a valid JID: the domain must not contain '" + c + "'");
            }
        }
    }

    /** A bare JID {@code localpart@domain}; the localpart must already be valid (see {@link Localparts}). */
    public static Jid bare(String localpart, String domain) {
        return parse(localpart + "@" + domain);
    }

    public Optional<String> localpart() {
        return Optional.ofNullable(jid.getLocalpartOrNull()).map(Object::toString);
    }

    public String domain() {
        return jid.getDomain().toString();
    }

    public Optional<String> resource() {
        return Optional.ofNullable(jid.getResourceOrNull()).map(Object::toString);
    }

    public boolean isBare() {
        return !jid.hasResource();
    }

    /** The JID without its resource. */
    public Jid toBare() {
        return isBare() ? this : new Jid(jid.asBareJid());
    }

    /** True for {@code user@domain} (a localpart and no resource): what accounts and channels are named by. */
    public boolean isEntityBare() {
        return jid.isEntityBareJid();
    }

    @JsonValue
    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Jid that && text.equals(that.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public int compareTo(Jid other) {
        return text.compareTo(other.text);
    }
}
