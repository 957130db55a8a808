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
        Optional<String> photo = vcard.element("PHOTO", Namespaces.VCARD).flatMap(p -> p.childText("BINVAL", Namespaces.VCARD));
        vcards.save(owner, vcard.toXml(), photo);
        return Stanzas.result(iq);
    }
}
