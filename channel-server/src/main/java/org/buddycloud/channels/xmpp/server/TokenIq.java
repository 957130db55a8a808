package org.buddycloud.channels.xmpp.server;

import jakarta.enterprise.context.ApplicationScoped;
import org.buddycloud.channels.service.AccountTransactions;
import org.buddycloud.channels.service.TokenTransactions;
import org.buddycloud.channels.token.TokenGrant;
import org.buddycloud.channels.xmpp.Namespaces;
import org.buddycloud.channels.xmpp.Stanzas;
import org.buddycloud.xmppkit.xml.XmlElement;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.DomainException;

/**
 * "XMPP-based token checks": a client authenticated over XMPP asks the server for an HTTP access
 * token, the same kind {@code POST /auth/token} issues, so an XMPP-first app can call every service.
 * <pre>
 *   &lt;iq type='get' to='example.com' id='t1'&gt;&lt;token xmlns='http://buddycloud.org/v1'/&gt;&lt;/iq&gt;
 *   &lt;iq type='result' id='t1'&gt;&lt;token xmlns='http://buddycloud.org/v1'&gt;
 *     &lt;access_token&gt;eyJ…&lt;/access_token&gt;&lt;token_type&gt;Bearer&lt;/token_type&gt;
 *     &lt;expires_in&gt;900&lt;/expires_in&gt;&lt;refresh_token&gt;…&lt;/refresh_token&gt;&lt;/token&gt;&lt;/iq&gt;
 * </pre>
 */
@ApplicationScoped
public class TokenIq {

    private final AccountTransactions accounts;
    private final TokenTransactions tokens;

    TokenIq(AccountTransactions accounts, TokenTransactions tokens) {
        this.accounts = accounts;
        this.tokens = tokens;
    }

    public XmlElement handle(XmlElement iq, Jid user) {
        if (!"get".equals(iq.attr("type"))) {
            return Stanzas.error(iq, "modify", "bad-request", "ask with type='get'", null);
        }
        try {
            TokenGrant grant = tokens.login(accounts.account(user.toBare()));
            XmlElement reply = Stanzas.result(iq);
            reply.add("token", Namespaces.BUDDYCLOUD).addText("access_token", grant.accessToken()).addText("token_type", "Bearer")
                    .addText("expires_in", Long.toString(grant.expiresInSeconds())).addText("refresh_token", grant.refreshToken());
            return reply;
        } catch (DomainException e) {
            return Stanzas.error(iq, e);
        }
    }
}
