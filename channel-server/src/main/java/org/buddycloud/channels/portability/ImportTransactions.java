package org.buddycloud.channels.portability;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.UUID;
import org.buddycloud.channels.domain.ChannelImport;
import org.buddycloud.channels.domain.ChannelService;
import org.buddycloud.channels.domain.ChannelStore;
import org.buddycloud.channels.domain.ConfigChange;
import org.buddycloud.channels.domain.Membership;
import org.buddycloud.channels.domain.NodeName;
import org.buddycloud.channels.domain.Post;
import org.buddycloud.contracts.access.Actor;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.DomainException;

/**
 * Each step of an import in a transaction of its own, with the mapping that records it: a step done is done once, and
 * an import stopped half-way is finished by importing again.
 */
@ApplicationScoped
public class ImportTransactions {

    /** A post to restore and the archive's name for it (node and id there), which the mapping is keyed by. */
    public record Restore(Post post, String source) {
    }

    private final ChannelService channels;
    private final ChannelImport restore;
    private final ChannelStore channelStore;
    private final ImportMappings mappings;
    private final org.buddycloud.channels.account.AccountService accounts;
    private final org.buddycloud.channels.profile.Vcards profiles;

    ImportTransactions(ChannelService channels, ChannelImport restore, ChannelStore channelStore, ImportMappings mappings,
                       org.buddycloud.channels.account.AccountService accounts, org.buddycloud.channels.profile.Vcards profiles) {
        this.profiles = profiles;
        this.accounts = accounts;
        this.channels = channels;
        this.restore = restore;
        this.channelStore = channelStore;
        this.mappings = mappings;
    }

    /** An account of a domain archive, with its password keys (false: it exists, left as it is). */
    @Transactional
    public boolean restoreAccount(Jid jid, String email, java.time.Instant createdAt,
                                  List<org.buddycloud.channels.account.ScramCredential> credentials) {
        return accounts.restore(jid, email, createdAt, credentials);
    }

    /** The account's vCard from the archive, unless it has one already (what it set here wins); false when it had. */
    @Transactional
    public boolean restoreProfile(Jid account, String vcard, java.util.Optional<String> photo) {
        if (profiles.vcard(account).isPresent()) {
            return false;
        }
        profiles.save(account, vcard, photo);
        return true;
    }

    /** The personal channel of the importing account (made if the account has none). */
    @Transactional
    public void ensurePersonalChannel(Jid account) {
        channels.ensurePersonalChannel(Actor.of(account));
    }

    /** A new topic channel owned by the account, mapped from the archive's; false when the name is taken. */
    @Transactional
    public boolean createTopicChannel(Jid account, String source, Jid wanted) {
        if (channelStore.channel(wanted).isPresent()) {
            return false;
        }
        channels.createTopicChannel(Actor.of(account), wanted);
        mappings.record(account, ImportMappings.CHANNEL, source, wanted.toString());
        return true;
    }

    @Transactional
    public void mapChannel(Jid account, String source, Jid target) {
        mappings.record(account, ImportMappings.CHANNEL, source, target.toString());
    }

    /** The node, made if the channel lacks it (an app node), configured as in the archive. */
    @Transactional
    public void restoreNode(Jid account, NodeName node, ConfigChange change) {
        if (channelStore.config(node).isEmpty()) {
            channels.createNode(Actor.of(account), node);
        }
        channels.configure(Actor.of(account), node, change);
    }

    /** Restores the members of a node; answers how many were new. */
    @Transactional
    public int restoreMembers(Jid account, NodeName node, List<Membership> members) {
        int restored = 0;
        for (Membership member : members) {
            restored += restore.restoreMember(account, node, member) ? 1 : 0;
        }
        return restored;
    }

    /**
     * Restores a batch of posts, each mapped once restored or found there; answers what became of each (one mapped
     * before counts as there already).
     */
    @Transactional
    public List<ChannelImport.Restored> restorePosts(Jid account, List<Restore> batch, UUID importId) {
        java.util.Set<String> done = mappings.known(account, ImportMappings.POST, batch.stream().map(Restore::source).toList());
        List<Restore> fresh = batch.stream().filter(item -> !done.contains(item.source())).toList();
        List<ChannelImport.Restored> outcomes = new java.util.ArrayList<>(batch.size());
        done.forEach(source -> outcomes.add(ChannelImport.Restored.THERE_ALREADY));
        if (fresh.isEmpty()) {
            return outcomes;
        }
        List<ChannelImport.Restored> restored = restore.restorePosts(account, fresh.get(0).post().node(),
                fresh.stream().map(Restore::post).toList(), importId.toString());
        for (int i = 0; i < fresh.size(); i++) {
            ChannelImport.Restored outcome = restored.get(i);
            if (outcome == ChannelImport.Restored.RESTORED || outcome == ChannelImport.Restored.THERE_ALREADY) {
                Post post = fresh.get(i).post();
                mappings.record(account, ImportMappings.POST, fresh.get(i).source(), post.node() + "," + post.id());
            }
            outcomes.add(outcome);
        }
        return outcomes;
    }

    /** Announces that {@code from} moved to {@code to}, once per import target. */
    @Transactional
    public boolean announceMove(Jid account, Jid from, Jid to, List<Jid> followers) {
        if (!mappings.record(account, ImportMappings.MOVED, from.toString(), to.toString())) {
            return false;
        }
        restore.announceMove(account, from, to, followers);
        return true;
    }

    /**
     * Our channel {@code from} lives on as {@code to} on another domain: recorded once, and its followers told (see
     * {@link ChannelImport#movedAway}). Empty when it was recorded before with the same new address; a different one
     * is refused (the first move said where the channel went).
     */
    @Transactional
    public java.util.Optional<List<Jid>> movedAway(Jid from, Jid to) {
        if (!mappings.record(from, ImportMappings.MOVED_AWAY, from.toString(), to.toString())) {
            String known = mappings.target(from, ImportMappings.MOVED_AWAY, from.toString()).orElseThrow();
            if (known.equals(to.toString())) {
                return java.util.Optional.empty();
            }
            throw new DomainException(org.buddycloud.contracts.problem.Condition.CONFLICT, from + " moved to " + known + " already");
        }
        return java.util.Optional.of(restore.movedAway(from, to));
    }

    /** Runs a step that may be refused (a subscription to a channel that is gone): the refusal, or null when it went through. */
    public static String attempt(Runnable step) {
        try {
            step.run();
            return null;
        } catch (DomainException e) {
            return e.getMessage();
        }
    }
}
