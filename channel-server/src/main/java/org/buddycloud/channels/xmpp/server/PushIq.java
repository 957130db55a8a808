package org.buddycloud.channels.xmpp.server;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.buddycloud.channels.push.PushRegistrations;
import org.buddycloud.channels.xmpp.Namespaces;
import org.buddycloud.channels.xmpp.Stanzas;
import org.buddycloud.contracts.events.MessageWaiting;
import org.buddycloud.contracts.jid.InvalidJidException;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import org.buddycloud.xmppkit.xml.XmlElement;

/**
 * XEP-0357 §5 on the user's server: a client enables push through an app server and node, with an optional
 * publish-options form, and disables one node or every node of an app server.
 * <pre>
 *   &lt;iq type='set'&gt;&lt;enable xmlns='urn:xmpp:push:0' jid='push.example.com' node='42'&gt;
 *     &lt;x xmlns='jabber:x:data' type='submit'&gt;…FORM_TYPE publish-options, secret, include-body…&lt;/x&gt;&lt;/enable&gt;&lt;/iq&gt;
 *   &lt;iq type='set'&gt;&lt;disable xmlns='urn:xmpp:push:0' jid='push.example.com' node='42'/&gt;&lt;/iq&gt;
 * </pre>
 */
@ApplicationScoped
public class PushIq {

    public static final String NAMESPACE = "urn:xmpp:push:0";

    private final PushRegistrations registrations;

    PushIq(PushRegistrations registrations) {
        this.registrations = registrations;
    }

    public XmlElement handle(Jid user, XmlElement iq, XmlElement request) {
        if (!"set".equals(iq.attr("type"))) {
            return Stanzas.error(iq, "modify", "bad-request", "enable and disable are sent with type='set'", null);
        }
        try {
            if (request.is("enable", NAMESPACE)) {
                registrations.enable(user, appServer(request), request.attr("node"), publishOptions(request));
            } else if (request.is("disable", NAMESPACE)) {
                registrations.disable(user, appServer(request), request.attr("node"));
            } else {
                return Stanzas.error(iq, "cancel", "feature-not-implemented", "urn:xmpp:push:0 knows enable and disable", null);
            }
            return Stanzas.result(iq);
        } catch (DomainException e) {
            return Stanzas.error(iq, e);
        }
    }

    private static Jid appServer(XmlElement request) {
        String jid = request.attr("jid");
        if (jid == null || jid.isBlank()) {
            throw new DomainException(Condition.BAD_REQUEST, "name the app server in the 'jid' attribute");
        }
        try {
            return Jid.parse(jid);
        } catch (InvalidJidException e) {
            throw new DomainException(Condition.BAD_REQUEST, "the app server's 'jid' is not a valid JID");
        }
    }

    /** The submitted form's fields, in order; none without a form. */
    private static List<MessageWaiting.Option> publishOptions(XmlElement request) {
        Optional<XmlElement> form = request.element("x", Namespaces.DATA);
        if (form.isEmpty()) {
            return List.of();
        }
        if (!"submit".equals(form.get().attr("type"))) {
            throw new DomainException(Condition.BAD_REQUEST, "publish-options are a form of type 'submit'");
        }
        List<MessageWaiting.Option> options = new ArrayList<>();
        for (XmlElement field : form.get().elements("field", Namespaces.DATA)) {
            String var = field.attr("var");
            if (var == null || var.isBlank()) {
                throw new DomainException(Condition.BAD_REQUEST, "every publish-option field has a 'var'");
            }
            options.add(new MessageWaiting.Option(var, field.elements("value", Namespaces.DATA).stream().map(XmlElement::text).toList()));
        }
        return options;
    }
}
