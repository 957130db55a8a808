package org.buddycloud.channels.xmpp;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.buddycloud.contracts.jid.Jid;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The server's own addresses: its domain and the channel service. */
@ApplicationScoped
public class XmppAddresses {

    private final String domain;
    private final String channelService;

    XmppAddresses(@ConfigProperty(name = "buddycloud.domain") String domain, XmppConfig config) {
        this.domain = domain;
        this.channelService = channelService(domain, config);
    }

    /**
     * In component mode the component is the channel service, so its name and the channel service's
     * JID are one address: either setting gives it, and two different ones are refused at startup
     * (notifications would otherwise come from an address the XMPP server does not route to us).
     */
    static String channelService(String domain, XmppConfig config) {
        Optional<String> configured = config.channelService();
        Optional<String> component = config.component().name();
        if (configured.isPresent() && component.isPresent() && !configured.get().equals(component.get())) {
            throw new IllegalStateException("buddycloud.xmpp.component.name (" + component.get() + ") differs from buddycloud.xmpp.channel-service ("
                    + configured.get() + "): the component is the channel service, set one of them or both to the same address");
        }
        return configured.or(() -> component).orElse("channels." + domain);
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
