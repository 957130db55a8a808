package org.buddycloud.channels.xmpp.stream;

import org.buddycloud.xmppkit.xml.XmlElement;
import org.buddycloud.contracts.jid.Jid;

/** XEP-0077 on the server: register before login, change the password or remove the account after. */
public interface RegistrationHandler {
    /**
     * @param user the authenticated account, or null before authentication
     * @param encrypted whether the stream is encrypted: passwords travel in the clear otherwise
     * @return the reply to send
     */
    XmlElement handle(XmlElement iq, Jid user, String address, boolean encrypted);
}
