package org.buddycloud.channels.xmpp.pep;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.buddycloud.xmppkit.xml.Fragments;
import org.buddycloud.xmppkit.xml.XmlElement;
import org.junit.jupiter.api.Test;

/** XEP-0115 §5.2 and §5.3: the specification's own examples give the specification's hashes. */
class CapsVerificationTest {

    @Test
    void theSimpleExample() throws Exception {
        XmlElement query = Fragments.parse("<query xmlns='http://jabber.org/protocol/disco#info'>"
                + "<identity category='client' name='Exodus 0.9.1' type='pc'/>"
                + "<feature var='http://jabber.org/protocol/caps'/><feature var='http://jabber.org/protocol/disco#info'/>"
                + "<feature var='http://jabber.org/protocol/disco#items'/><feature var='http://jabber.org/protocol/muc'/></query>", 10_000, 8);
        assertEquals("QgayPKawpkPSDYmwT/WM94uAlu0=", CapsVerification.ver(query, "sha-1").orElseThrow());
    }

    @Test
    void theComplexExampleWithLanguagesAndAForm() throws Exception {
        XmlElement query = Fragments.parse("<query xmlns='http://jabber.org/protocol/disco#info'>"
                + "<identity xml:lang='en' category='client' name='Psi 0.11' type='pc'/>"
                + "<identity xml:lang='el' category='client' name='Ψ 0.11' type='pc'/>"
                + "<feature var='http://jabber.org/protocol/caps'/><feature var='http://jabber.org/protocol/disco#info'/>"
                + "<feature var='http://jabber.org/protocol/disco#items'/><feature var='http://jabber.org/protocol/muc'/>"
                + "<x xmlns='jabber:x:data' type='result'>"
                + "<field var='FORM_TYPE' type='hidden'><value>urn:xmpp:dataforms:softwareinfo</value></field>"
                + "<field var='ip_version'><value>ipv4</value><value>ipv6</value></field>"
                + "<field var='os'><value>Mac</value></field><field var='os_version'><value>10.5.1</value></field>"
                + "<field var='software'><value>Psi</value></field><field var='software_version'><value>0.11</value></field>"
                + "</x></query>", 10_000, 8);
        assertEquals("q07IKJEyjvHSyhy//CH0CxmKi8w=", CapsVerification.ver(query, "sha-1").orElseThrow());
    }

    @Test
    void anUnknownHashIsNotGuessed() throws Exception {
        XmlElement query = Fragments.parse("<query xmlns='http://jabber.org/protocol/disco#info'/>", 1000, 4);
        assertEquals(java.util.Optional.empty(), CapsVerification.ver(query, "md5"));
    }
}
