package org.buddycloud.channels.xmpp.stream;

/** A CDI event: the session was unbound (closed, dropped, or its account deleted), whether or not it said goodbye. */
public record SessionEnded(ClientSession session) {
}
