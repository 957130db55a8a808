package org.buddycloud.search.domain;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.buddycloud.contracts.access.Action;
import org.buddycloud.contracts.access.Actor;
import org.buddycloud.contracts.access.Permissions;
import org.buddycloud.contracts.access.Standing;
import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.jid.Jid;

/**
 * Turns the shared access rule ({@link Permissions}) into the filter a query carries: which access models the caller
 * may read as a stranger, and which ones each standing of theirs may read. Nothing here decides anything the rule does
 * not: it only asks it once per access model and standing, instead of once per hit.
 */
public final class Readers {

    private final Permissions permissions;

    public Readers(Permissions permissions) {
        this.permissions = permissions;
    }

    /** Where a caller stands with one channel. */
    public record Standings(Jid channel, Standing standing) {
    }

    public ReadFilter filterFor(Actor actor, List<Standings> standings) {
        Map<Set<AccessModel>, Set<Jid>> byStanding = new HashMap<>();
        if (!actor.anonymous()) {
            for (Standings s : standings) {
                byStanding.computeIfAbsent(readable(actor, s.standing()), models -> new HashSet<>()).add(s.channel());
            }
        }
        return new ReadFilter(readable(actor, Standing.STRANGER), byStanding);
    }

    /** The channels the caller follows: "within what I follow" (the filter still decides what of them they read). */
    public static Set<Jid> followed(List<Standings> standings) {
        Set<Jid> followed = new HashSet<>();
        for (Standings s : standings) {
            if (s.standing().subscribed()) {
                followed.add(s.channel());
            }
        }
        return followed;
    }

    private Set<AccessModel> readable(Actor actor, Standing standing) {
        Set<AccessModel> models = EnumSet.noneOf(AccessModel.class);
        for (AccessModel model : AccessModel.values()) {
            if (permissions.allows(Action.READ, model, standing, actor)) {
                models.add(model);
            }
        }
        return models;
    }
}
