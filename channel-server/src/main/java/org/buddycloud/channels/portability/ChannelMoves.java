package org.buddycloud.channels.portability;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.buddycloud.channels.domain.NodeName;
import org.buddycloud.channels.federation.FollowersMove;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * A channel that moves between domains, seen from both ends. The new server, having restored an archive the old domain
 * vouched for, tells the old one ({@link #tellOldServer}); the old server, shown an archive it made of the account
 * ({@link #movedAway}), records the move once and tells every follower where the channel went. Their servers then take
 * them along (XEP-0060 {@code <delete><redirect/></delete>}, see {@code InboxUpdates}); our own followers we take along here.
 */
@ApplicationScoped
public class ChannelMoves {

    private static final Logger LOG = Logger.getLogger(ChannelMoves.class);

    private final ArchiveKeys keys;
    private final ExportJobs exports;
    private final ImportMappings mappings;
    private final ImportTransactions steps;
    private final FollowersMove followers;
    private final String domain;

    ChannelMoves(ArchiveKeys keys, ExportJobs exports, ImportMappings mappings, ImportTransactions steps, FollowersMove followers,
                 @ConfigProperty(name = "buddycloud.domain") String domain) {
        this.keys = keys;
        this.exports = exports;
        this.mappings = mappings;
        this.steps = steps;
        this.followers = followers;
        this.domain = domain;
    }

    /**
     * The old server's side: {@code to}'s server shows the export {@code archiveId} it restored (its manifest's SHA-256
     * and our signature of it). Only the account's own export carries both, so whoever shows them speaks for the
     * account. Returns how many followers were told; empty when the move was known already.
     */
    public Optional<Integer> movedAway(UUID archiveId, String manifestSha256, String signature, Jid to) {
        byte[] digest = java.util.HexFormat.of().parseHex(manifestSha256);
        Jid account = exports.accountOf(archiveId, manifestSha256).filter(a -> keys.isOurs(digest, signature))
                .orElseThrow(() -> new DomainException(Condition.FORBIDDEN, "this domain made no such archive of an account"));
        if (to.domain().equals(domain)) {
            throw new DomainException(Condition.BAD_REQUEST, "a move within " + domain + " is announced by the import itself");
        }
        Optional<List<Jid>> told = steps.movedAway(account, to.toBare());
        told.ifPresent(all -> {
            LOG.infof("%s moved to %s: %d followers told", account, to, all.size());
            followers.move(NodeName.of(account, NodeName.POSTS), NodeName.of(to.toBare(), NodeName.POSTS),
                    all.stream().filter(f -> f.domain().equals(domain)).toList());
        });
        return told.map(List::size);
    }

    /**
     * The new server's side: after {@code target} restored the archive of {@code source}, an account of another domain
     * that vouched for the archive (asked), that domain is told, once. False when it could not be (it keeps telling its
     * followers of the old channel until it is).
     */
    public boolean tellOldServer(VerifiedArchive archive, Jid source, Jid target) {
        if (mappings.target(target, ImportMappings.MOVE_TOLD, source.toString()).isPresent()) {
            return true;
        }
        boolean told = keys.tellMoved(archive.manifest().domain(), archive.manifest().id(), archive.manifestSha256(),
                archive.signature(), target);
        if (told) {
            mappings.record(target, ImportMappings.MOVE_TOLD, source.toString(), target.toString());
        }
        return told;
    }
}
