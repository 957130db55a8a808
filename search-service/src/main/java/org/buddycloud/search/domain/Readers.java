package org.buddycloud.search.domain;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.buddycloud.contracts.access.Action;
import org.buddycloud.contracts.access.Actor;
import org.buddycloud.contracts.access.Permissions;
import org.buddycloud.contracts.access.Standing;
import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.jid.Jid;

/**
 * Turns the shared access rule ({@link Permissions}) into the filter a query carries: which access models the caller
 * may read as a stranger, and, for each channel where the caller stands somewhere, whether that standing lets them
 * read it. Nothing here decides anything the rule does not: it only asks it once per access model and once per
 * channel the caller belongs to, instead of once per hit.
 */
public final class Readers {

    private final Permissions permissions;

    public Readers(Permissions permissions) {
        this.permissions = permissions;
    }

    /** Where a caller stands with one channel, and that channel's access model now. */
    public record Standings(Jid channel, Standing standing, AccessModel accessModel) {
    }

    public ReadFilter filterFor(Actor actor, List<Standings> standings) {
        Set<AccessModel> openTo = EnumSet.noneOf(AccessModel.class);
        for (AccessModel model : AccessModel.values()) {
            if (permissions.allows(Action.READ, model, Standing.STRANGER, actor)) {
                openTo.add(model);
            }
        }
        Set<Jid> readable = new HashSet<>();
        Set<Jid> hidden = new HashSet<>();
        if (!actor.anonymous()) {
            for (Standings s : standings) {
                (permissions.allows(Action.READ, s.accessModel(), s.standing(), actor) ? readable : hidden).add(s.channel());
            }
        }
        return new ReadFilter(openTo, readable, hidden);
    }

    /** The channels the caller follows and may read: "within what I follow". */
    public static Set<Jid> followed(List<Standings> standings, ReadFilter filter) {
        Set<Jid> followed = new HashSet<>();
        for (Standings s : standings) {
            if (s.standing().subscribed() && filter.readable().contains(s.channel())) {
                followed.add(s.channel());
            }
        }
        return followed;
    }
}
