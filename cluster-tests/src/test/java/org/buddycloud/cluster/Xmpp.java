package org.buddycloud.cluster;

import javax.net.ssl.X509TrustManager;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.parsing.ExceptionLoggingCallback;
import org.jivesoftware.smack.parsing.ParsingExceptionCallback;
import org.jivesoftware.smack.provider.ProviderManager;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smackx.ping.PingManager;
import org.jivesoftware.smackx.pubsub.LeafNode;
import org.jivesoftware.smackx.pubsub.PubSubManager;
import org.jivesoftware.smackx.pubsub.provider.SubscriptionProvider;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;

/** Smack clients of one replica, connected as the channel server's own XMPP tests connect them. */
final class Xmpp {

    static {
        // buddycloud sends subscription changes as pubsub#event <subscription/>, an element Smack knows only in the
        // pubsub namespace (without a provider it hangs up), as buddycloud clients know
        ProviderManager.addExtensionProvider("subscription", "http://jabber.org/protocol/pubsub#event", new SubscriptionProvider());
    }

    private static final ParsingExceptionCallback LOGGED = new ExceptionLoggingCallback();

    /**
     * buddycloud's affiliation events (pubsub#event {@code <affiliations/>}) are unknown to Smack's pubsub parser: like
     * buddycloud clients, skip them instead of hanging up, and quietly, since every follow sends one; log anything else.
     */
    static final ParsingExceptionCallback SKIP_AFFILIATION_EVENTS = stanza -> {
        Exception e = stanza.getParsingException();
        if (!(e instanceof IllegalArgumentException && String.valueOf(e.getMessage()).endsWith("EventElementType.affiliations"))) {
            LOGGED.handleUnparsableStanza(stanza);
        }
    };

    private Xmpp() {
    }

    /** Logged in to the replica with SCRAM-SHA-1 over STARTTLS (resource {@code resource}), without presence yet. */
    static XMPPTCPConnection connect(Cluster cluster, Cluster.Replica replica, Login login, String resource) throws Exception {
        return connect(Cluster.DOMAIN, replica.xmppPort(), cluster.trust(), login, resource);
    }

    /** Logged in to the server of {@code domain} listening on {@code port}, trusting its certificate, without presence yet. */
    static XMPPTCPConnection connect(String domain, int port, X509TrustManager trust, Login login, String resource) throws Exception {
        XMPPTCPConnection connection = new XMPPTCPConnection(XMPPTCPConnectionConfiguration.builder()
                .setXmppDomain(domain).setHost("127.0.0.1").setPort(port)
                .setUsernameAndPassword(login.username(), login.password()).setResource(resource)
                .setCustomX509TrustManager(trust).setSecurityMode(SecurityMode.required)
                .addEnabledSaslMechanism("SCRAM-SHA-1").setSendPresence(false).build());
        // two replicas and a build share two cores: the default 5 s is too short for a reply now and then
        connection.setReplyTimeout(20_000);
        connection.setParsingExceptionCallback(SKIP_AFFILIATION_EVENTS);
        connection.connect().login();
        return connection;
    }

    /** Logged in and available: initial presence sent and handled by the replica. */
    static XMPPTCPConnection online(Cluster cluster, Cluster.Replica replica, Login login, String resource) throws Exception {
        XMPPTCPConnection connection = connect(cluster, replica, login, resource);
        connection.sendStanza(connection.getStanzaFactory().buildPresenceStanza().build());
        handled(connection);
        return connection;
    }

    /** Online and known to the channel service as online, so that it sends the user's notifications here. */
    static XMPPTCPConnection channelsOnline(Cluster cluster, Cluster.Replica replica, Login login, String resource) throws Exception {
        XMPPTCPConnection connection = online(cluster, replica, login, resource);
        connection.sendStanza(connection.getStanzaFactory().buildPresenceStanza().to(JidCreate.bareFrom(Cluster.CHANNELS)).build());
        handled(connection);
        return connection;
    }

    /**
     * A round trip to the channel service: a session's stanzas are handled in order, so everything it sent before has
     * been handled by its replica once the ping is answered.
     */
    static void handled(XMPPTCPConnection connection) throws Exception {
        if (!PingManager.getInstanceFor(connection).ping(JidCreate.domainBareFrom(Cluster.CHANNELS))) {
            throw new IllegalStateException("the channel service did not answer a ping");
        }
    }

    /**
     * A pubsub get of our own making ({@code inner} inside {@code <pubsub/>}), answered as XML: for the buddycloud
     * queries Smack has no API for.
     */
    static String pubsubGet(XMPPTCPConnection connection, String to, String inner) throws Exception {
        org.jivesoftware.smack.packet.IQ request = new org.jivesoftware.smack.packet.IQ("pubsub", "http://jabber.org/protocol/pubsub") {
            @Override
            protected IQChildElementXmlStringBuilder getIQChildElementBuilder(IQChildElementXmlStringBuilder xml) {
                xml.rightAngleBracket();
                xml.append(inner);
                return xml;
            }
        };
        request.setType(org.jivesoftware.smack.packet.IQ.Type.get);
        request.setTo(JidCreate.from(to));
        org.jivesoftware.smack.packet.IQ answer = connection.createStanzaCollectorAndSend(request).nextResultOrThrow(20_000);
        return answer.toXML().toString();
    }

    /** The user's posts node, as the connection's client addresses it. */
    static LeafNode posts(XMPPTCPConnection connection, Login owner) throws Exception {
        return PubSubManager.getInstanceFor(connection, JidCreate.bareFrom(Cluster.CHANNELS)).getLeafNode(postsNode(owner));
    }

    static String postsNode(Login owner) {
        return "/user/" + owner.jid() + "/posts";
    }

    static EntityBareJid bare(Login login) throws Exception {
        return JidCreate.entityBareFrom(login.jid());
    }

    static void disconnect(XMPPTCPConnection... connections) {
        for (XMPPTCPConnection connection : connections) {
            if (connection != null && connection.isConnected()) {
                connection.disconnect();
            }
        }
    }
}
