package org.buddycloud.search.domain;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.jid.Jid;

/**
 * Which indexed entries one caller may read, in a form every engine turns into a filter on an entry's channel and the
 * access model the index holds for it: in a channel where the caller has no standing, an entry is readable when its
 * access model is one of {@code openTo}; in a channel where the caller stands somewhere, when its access model is one
 * that standing may read ({@code byStanding}: the allowed models → the channels). The access model is always the
 * index's, never a second copy's, so two copies that disagree for a moment cannot open a channel. Made only by
 * {@link Readers}.
 */
public record ReadFilter(Set<AccessModel> openTo, Map<Set<AccessModel>, Set<Jid>> byStanding) {

    public ReadFilter {
        openTo = Set.copyOf(openTo);
        Map<Set<AccessModel>, Set<Jid>> copy = new HashMap<>();
        byStanding.forEach((models, channels) -> copy.put(Set.copyOf(models), Set.copyOf(channels)));
        byStanding = Map.copyOf(copy);
    }

    /** The channels where the caller stands somewhere: the stranger's rule does not apply to them. */
    public Set<Jid> withStanding() {
        Set<Jid> all = new HashSet<>();
        byStanding.values().forEach(all::addAll);
        return all;
    }

    /** The same decision for one entry, as the engines' filters make it. */
    public boolean allows(Jid channel, AccessModel accessModel) {
        for (Map.Entry<Set<AccessModel>, Set<Jid>> group : byStanding.entrySet()) {
            if (group.getValue().contains(channel)) {
                return group.getKey().contains(accessModel);
            }
        }
        return openTo.contains(accessModel);
    }
}
