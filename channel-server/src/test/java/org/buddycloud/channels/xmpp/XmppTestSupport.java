package org.buddycloud.channels.xmpp;

import io.quarkus.arc.Arc;
import io.restassured.RestAssured;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.buddycloud.channels.xmpp.stream.TlsKeys;
import org.buddycloud.channels.xmpp.stream.XmppServer;
import org.buddycloud.testsupport.ChannelServerClient.Login;
import org.buddycloud.testsupport.ChannelServerClient;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.parsing.ExceptionLoggingCallback;
import org.jivesoftware.smack.provider.ProviderManager;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smackx.pubsub.provider.SubscriptionProvider;

/** What the XMPP tests share: the server's port and certificate, REST accounts, Smack connections. */
final class XmppTestSupport {

    static final String CHANNELS = "channels.localhost";

    static {
        teachSmackBuddycloudEvents();
    }

    /**
     * buddycloud sends subscription changes as pubsub#event {@code <subscription/>}; Smack knows that
     * element only in the pubsub namespace and otherwise drops the connection, so a buddycloud client
     * registers the provider. Affiliation events it cannot parse are skipped (see {@link #smack}).
     */
    static void teachSmackBuddycloudEvents() {
        ProviderManager.addExtensionProvider("subscription", "http://jabber.org/protocol/pubsub#event", new SubscriptionProvider());
    }

    private XmppTestSupport() {
    }

    static XmppServer server() {
        return Arc.container().instance(XmppServer.class).get();
    }

    static int port() {
        return server().port();
    }

    static ChannelServerClient rest() {
        return new ChannelServerClient("http://localhost:" + RestAssured.port);
    }

    static Login account(String prefix) {
        return rest().newAccount(prefix);
    }

    /** An SSL context that trusts the self-signed certificate the server generated on start. */
    static SSLContext tls() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustManager()}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static X509TrustManager trustManager() {
        try {
            X509Certificate certificate = TlsKeys.certificate(Path.of("target/xmpp-tls.p12"), "changeit");
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            trusted.setCertificateEntry("buddycloud", certificate);
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trusted);
            return (X509TrustManager) factory.getTrustManagers()[0];
        } catch (Exception e) {
            throw new IllegalStateException("cannot trust the server's certificate", e);
        }
    }

    static XMPPTCPConnectionConfiguration.Builder smackConfig(Login login, String password) {
        try {
            return XMPPTCPConnectionConfiguration.builder().setXmppDomain("localhost").setHost("127.0.0.1").setPort(port())
                    .setUsernameAndPassword(login.username(), password).setCustomX509TrustManager(trustManager())
                    .setSecurityMode(SecurityMode.required).setResource("smack").setSendPresence(true);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A Smack client logged in with SCRAM-SHA-1 over STARTTLS, resource bound, initial presence sent. */
    static XMPPTCPConnection smack(Login login) throws Exception {
        XMPPTCPConnection connection = new XMPPTCPConnection(smackConfig(login, login.password())
                .addEnabledSaslMechanism("SCRAM-SHA-1").build());
        connection.setReplyTimeout(10_000);
        // buddycloud's event extensions (subscription and affiliation events in pubsub#event) are unknown to
        // Smack's pubsub parser; like buddycloud clients, skip what is not understood instead of hanging up
        connection.setParsingExceptionCallback(new ExceptionLoggingCallback());
        connection.connect().login();
        return connection;
    }

    /** A round trip to the channel service: everything the session sent before has been handled. */
    static void ping(XMPPTCPConnection connection) throws Exception {
        if (!org.jivesoftware.smackx.ping.PingManager.getInstanceFor(connection).ping(org.jxmpp.jid.impl.JidCreate.domainBareFrom(CHANNELS))) {
            throw new IllegalStateException("the channel service did not answer a ping");
        }
    }
}
