package org.buddycloud.search.domain;

import java.util.Set;
import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.jid.Jid;

/**
 * Which indexed channels one caller may read, in a form every engine turns into a filter: a channel is readable when
 * its access model is one of {@code openTo} and the caller's own standing there does not forbid it ({@code hidden}:
 * banned, say), or when the caller's standing there allows it ({@code readable}). Made only by {@link Readers}.
 */
public record ReadFilter(Set<AccessModel> openTo, Set<Jid> readable, Set<Jid> hidden) {

    public ReadFilter {
        openTo = Set.copyOf(openTo);
        readable = Set.copyOf(readable);
        hidden = Set.copyOf(hidden);
    }

    /** The same decision for one entry, as the engines' filters make it. */
    public boolean allows(Jid channel, AccessModel accessModel) {
        return readable.contains(channel) || openTo.contains(accessModel) && !hidden.contains(channel);
    }
}
