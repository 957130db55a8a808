package org.buddycloud.channels.xmpp.im;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.Optional;
import org.buddycloud.channels.profile.Vcards;
import org.buddycloud.channels.xmpp.Namespaces;
import org.buddycloud.channels.xmpp.Stanzas;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import org.buddycloud.xmppkit.xml.XmlElement;

/** vcard-temp (XEP-0054): anyone reads an account's vCard; only its owner replaces it. */
@ApplicationScoped
public class VcardIq {

    private final Vcards vcards;

    VcardIq(Vcards vcards) {
        this.vcards = vcards;
    }

    @Transactional
    public XmlElement handle(Jid actor, Jid owner, XmlElement iq, XmlElement vcard) {
        if ("get".equals(iq.attr("type"))) {
            XmlElement reply = Stanzas.result(iq);
            Optional<String> stored = vcards.vcard(owner);
            if (stored.isPresent()) {
                reply.appendTrusted(stored.get());
            } else {
                reply.add("vCard", Namespaces.VCARD);
            }
            return reply;
        }
        if (!actor.toBare().equals(owner)) {
            throw new DomainException(Condition.FORBIDDEN, "only the account's owner changes its vCard");
        }
        vcards.save(owner, vcard.toXml(), photo(vcard));
        return Stanzas.result(iq);
    }

    /** A vCard's photo, base64 as its PHOTO's BINVAL carries it: what {@link Vcards#save} hashes for the avatar. */
    public static Optional<String> photo(XmlElement vcard) {
        return vcard.element("PHOTO", Namespaces.VCARD).flatMap(p -> p.childText("BINVAL", Namespaces.VCARD));
    }
}
