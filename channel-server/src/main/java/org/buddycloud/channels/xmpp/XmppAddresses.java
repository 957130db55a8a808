package org.buddycloud.channels.xmpp;

import jakarta.enterprise.context.ApplicationScoped;
import org.buddycloud.contracts.jid.Jid;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The server's own addresses: its domain and the channel service. */
@ApplicationScoped
public class XmppAddresses {

    private final String domain;
    private final String channelService;

    XmppAddresses(@ConfigProperty(name = "buddycloud.domain") String domain, XmppConfig config) {
        this.domain = domain;
        this.channelService = config.channelService().orElse("channels." + domain);
    }

    public String domain() {
        return domain;
    }

    public String channelService() {
        return channelService;
    }

    public boolean isChannelService(Jid jid) {
        return jid.toBare().toString().equals(channelService);
    }

    public boolean isServer(Jid jid) {
        return jid.localpart().isEmpty() && jid.domain().equals(domain);
    }

    public boolean isLocalUser(Jid jid) {
        return jid.localpart().isPresent() && jid.domain().equals(domain);
    }
}
