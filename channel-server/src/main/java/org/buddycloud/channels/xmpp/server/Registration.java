package org.buddycloud.channels.xmpp.server;

import jakarta.enterprise.context.ApplicationScoped;
import org.buddycloud.channels.service.AccountTransactions;
import org.buddycloud.channels.xmpp.Namespaces;
import org.buddycloud.channels.xmpp.Stanzas;
import org.buddycloud.channels.xmpp.XmppConfig;
import org.buddycloud.channels.xmpp.stream.RegistrationHandler;
import org.buddycloud.xmppkit.xml.XmlElement;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;

/**
 * XEP-0077 in-band registration on the server, the same use cases as {@code POST /account}: the
 * form, registration before login, and after login a password change
 * ({@code username} + {@code password}) or the account's removal ({@code <remove/>}).
 */
@ApplicationScoped
public class Registration implements RegistrationHandler {

    private final AccountTransactions accounts;
    private final XmppConfig config;

    Registration(AccountTransactions accounts, XmppConfig config) {
        this.accounts = accounts;
        this.config = config;
    }

    @Override
    public XmlElement handle(XmlElement iq, Jid user, String address, boolean encrypted) {
        XmlElement query = iq.element("query", Namespaces.REGISTER).orElseThrow();
        if (user == null && !config.registrationEnabled()) {
            // neither the form nor a registration: nobody may make an account here this way
            return Stanzas.error(iq, "cancel", "service-unavailable", "in-band registration is turned off", null);
        }
        if (!encrypted) {
            // the form carries the password as it is (XEP-0077, security considerations): only TLS keeps it from onlookers
            return Stanzas.error(iq, "modify", "policy-violation", "registration and password changes need TLS: use STARTTLS first", null);
        }
        try {
            if ("get".equals(iq.attr("type"))) {
                return form(iq, user);
            }
            if (!"set".equals(iq.attr("type"))) {
                return Stanzas.error(iq, "modify", "bad-request", "get or set", null);
            }
            if (user == null) {
                return register(iq, query, address);
            }
            if (query.element("remove", Namespaces.REGISTER).isPresent()) {
                accounts.delete(user);
                return Stanzas.result(iq);
            }
            String username = query.childText("username", Namespaces.REGISTER).orElse(null);
            if (username != null && !accounts.identify(username).map(user::equals).orElse(false)) {
                throw new DomainException(Condition.FORBIDDEN, "you can only change your own password");
            }
            accounts.changePassword(user, query.childText("password", Namespaces.REGISTER).orElse(null));
            return Stanzas.result(iq);
        } catch (DomainException e) {
            return Stanzas.error(iq, e);
        }
    }

    private XmlElement register(XmlElement iq, XmlElement query, String address) {
        accounts.register(query.childText("username", Namespaces.REGISTER).orElse(null),
                query.childText("password", Namespaces.REGISTER).orElse(null),
                query.childText("email", Namespaces.REGISTER).orElse(null));
        return Stanzas.result(iq);
    }

    private XmlElement form(XmlElement iq, Jid user) {
        XmlElement reply = Stanzas.result(iq);
        XmlElement query = reply.add("query", Namespaces.REGISTER);
        if (user != null) {
            query.add("registered");
            query.addText("username", user.localpart().orElse(""));
            return reply;
        }
        query.addText("instructions", "Choose a user name and a password (at least 8 characters), and give an e-mail address"
                + " for password resets.");
        query.add("username");
        query.add("password");
        query.add("email");
        return reply;
    }
}
