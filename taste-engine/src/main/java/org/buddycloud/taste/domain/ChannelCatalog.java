package org.buddycloud.taste.domain;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.buddycloud.contracts.jid.Jid;

/** The channels the events told of, by JID: created, configured, deleted. */
public final class ChannelCatalog {

    private final Map<Jid, ChannelFacts> channels = new ConcurrentHashMap<>();

    public void put(ChannelFacts facts) {
        channels.put(facts.channel(), facts);
    }

    public Optional<ChannelFacts> get(Jid channel) {
        return Optional.ofNullable(channels.get(channel));
    }

    public void remove(Jid channel) {
        channels.remove(channel);
    }

    public Collection<ChannelFacts> all() {
        return channels.values();
    }

    public int size() {
        return channels.size();
    }
}
