package org.buddycloud.channels.portability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.buddycloud.channels.account.Account;
import org.buddycloud.channels.atom.AtomEntries;
import org.buddycloud.channels.domain.Channel;
import org.buddycloud.channels.domain.ChannelPolicy;
import org.buddycloud.channels.domain.ChannelStores;
import org.buddycloud.channels.domain.Membership;
import org.buddycloud.channels.domain.MembershipStore;
import org.buddycloud.channels.domain.NodeConfig;
import org.buddycloud.channels.domain.NodeName;
import org.buddycloud.channels.domain.Page;
import org.buddycloud.channels.domain.Post;
import org.buddycloud.channels.domain.Slice;
import org.buddycloud.channels.portability.ArchiveParts.AccountPart;
import org.buddycloud.channels.portability.ArchiveParts.ChannelPart;
import org.buddycloud.channels.portability.ArchiveParts.MediaPart;
import org.buddycloud.channels.portability.ArchiveParts.MemberPart;
import org.buddycloud.channels.portability.ArchiveParts.NodePart;
import org.buddycloud.channels.portability.ArchiveParts.SubscriptionPart;
import org.buddycloud.contracts.channel.Affiliation;
import org.buddycloud.contracts.jid.Jid;

/**
 * Writes one account's archive: the account, every channel it owns (configuration, members, every item of every node
 * as Atom), its standing in other channels, what it wrote in them, its channels' files and avatars, its notification
 * settings and claims. Reads page by page and writes file by file, so memory holds a page, never a history.
 */
public final class AccountExport {

    private static final int PAGE = Page.LIMIT;
    private static final int MEDIA_PAGE = 100;

    private final ChannelStores stores;
    private final ChannelPolicy policy;
    private final AtomEntries atom;
    private final AccountServices services;
    private final org.buddycloud.channels.profile.Vcards profiles;

    public AccountExport(ChannelStores stores, ChannelPolicy policy, AtomEntries atom, AccountServices services,
                         org.buddycloud.channels.profile.Vcards profiles) {
        this.profiles = profiles;
        this.stores = stores;
        this.policy = policy;
        this.atom = atom;
        this.services = services;
    }

    /** The account's archive, its files at the root. */
    public void write(Account account, ArchiveWriter archive, ArchiveProgress progress) throws IOException {
        write(account, archive, progress, ArchivePaths.ACCOUNT_ARCHIVE);
    }

    /** The account's files under {@code paths} (the root, or the account's folder of a domain archive). */
    void write(Account account, ArchiveWriter archive, ArchiveProgress progress, ArchivePaths paths) throws IOException {
        Jid jid = account.jid();
        archive.json(paths.account(), new AccountPart(jid.toString(), account.email(), account.createdAt()));
        Optional<String> vcard = profiles.vcard(jid);
        if (vcard.isPresent()) {
            copy(vcard.get().getBytes(java.nio.charset.StandardCharsets.UTF_8), archive, paths.profile());
        }
        List<MembershipStore.NodeMembership> held = stores.memberships().membershipsOf(jid);
        List<Channel> owned = ownedChannels(jid, held);
        progress.total(countItems(owned));
        for (Channel channel : owned) {
            writeChannel(channel, archive, progress, paths);
        }
        Set<Jid> ownedJids = new LinkedHashSet<>(owned.stream().map(Channel::jid).toList());
        List<SubscriptionPart> subscriptions = held.stream().filter(m -> !ownedJids.contains(m.node().channel()))
                .map(m -> new SubscriptionPart(m.node().toString(), m.membership().affiliation().wireName(),
                        m.membership().subscription().wireName()))
                .toList();
        archive.json(paths.subscriptions(), subscriptions);
        writeAuthoredElsewhere(jid, ownedJids, archive, progress, paths);
        writeMedia(jid, owned, archive, progress, paths);
        Optional<byte[]> settings = services.notificationSettings(jid);
        if (settings.isPresent()) {
            copy(settings.get(), archive, paths.notificationSettings());
        }
        Optional<byte[]> claims = services.claims(jid);
        if (claims.isPresent()) {
            copy(claims.get(), archive, paths.claims());
        }
    }

    /** The personal channel and the topic channels whose {@code /posts} the account owns. */
    private List<Channel> ownedChannels(Jid jid, List<MembershipStore.NodeMembership> held) {
        List<Channel> owned = new ArrayList<>();
        stores.channels().channel(jid).ifPresent(owned::add);
        for (MembershipStore.NodeMembership m : held) {
            Jid channel = m.node().channel();
            if (m.node().is(NodeName.POSTS) && m.membership().affiliation() == Affiliation.OWNER && !channel.equals(jid)
                    && policy.hosts(channel)) {
                stores.channels().channel(channel).ifPresent(owned::add);
            }
        }
        return owned;
    }

    private long countItems(List<Channel> owned) {
        long total = 0;
        for (Channel channel : owned) {
            for (NodeName node : stores.channels().nodes(channel.jid())) {
                total += stores.posts().items(node, Page.first(1), false).count() + stores.memberships().members(node).size();
            }
        }
        return total;
    }

    private void writeChannel(Channel channel, ArchiveWriter archive, ArchiveProgress progress, ArchivePaths paths) throws IOException {
        List<NodePart> nodes = new ArrayList<>();
        for (NodeName node : stores.channels().nodes(channel.jid())) {
            Optional<NodeConfig> config = stores.channels().config(node);
            if (config.isEmpty()) {
                continue;
            }
            List<MemberPart> members = stores.memberships().members(node).stream().map(AccountExport::member).toList();
            progress.advance(members.size());
            String path = paths.posts(channel.jid().toString(), node.type());
            long count = writeItems(node, archive, path, progress);
            NodeConfig c = config.get();
            nodes.add(new NodePart(node.toString(), c.title(), c.description(), c.accessModel().wireName(),
                    c.defaultAffiliation().wireName(), c.advertised(), c.ephemeral(),
                    c.location() == null ? null : new ArchiveParts.Place(c.location().latitude(), c.location().longitude(), c.location().text()),
                    c.createdAt(), members, path, count));
        }
        archive.json(paths.channel(channel.jid().toString()), new ChannelPart(channel.jid().toString(),
                channel.type().wireName(), channel.owner().toString(), channel.createdAt(), nodes));
    }

    /** Every item of the node, newest first, page by page into one feed. */
    private long writeItems(NodeName node, ArchiveWriter archive, String path, ArchiveProgress progress) throws IOException {
        long count = 0;
        try (OutputStream out = archive.file(path); AtomFeeds.FeedWriter feed = AtomFeeds.writer(out, atom, node)) {
            String after = null;
            while (true) {
                Slice<Post> page = stores.posts().items(node, new Page(PAGE, after, null), false);
                for (Post post : page.items()) {
                    feed.add(post);
                }
                count += page.items().size();
                progress.advance(page.items().size());
                if (page.items().size() < PAGE) {
                    return count;
                }
                after = page.last();
            }
        }
    }

    private void writeAuthoredElsewhere(Jid jid, Set<Jid> owned, ArchiveWriter archive, ArchiveProgress progress, ArchivePaths paths)
            throws IOException {
        try (OutputStream out = archive.file(paths.authoredElsewhere()); AtomFeeds.FeedWriter feed = AtomFeeds.writer(out, atom, null)) {
            Post after = null;
            for (List<Post> page; !(page = stores.posts().authoredOutside(jid, owned, after, PAGE)).isEmpty(); ) {
                for (Post post : page) {
                    feed.add(post);
                }
                progress.advance(page.size());
                after = page.get(page.size() - 1);
            }
        }
    }

    private void writeMedia(Jid jid, List<Channel> owned, ArchiveWriter archive, ArchiveProgress progress, ArchivePaths paths) throws IOException {
        if (!services.hasMedia()) {
            return;
        }
        List<MediaPart> media = new ArrayList<>();
        for (Channel channel : owned) {
            Optional<String> avatar = services.avatarId(jid, channel.jid());
            String after = null;
            while (true) {
                List<AccountServices.MediaFile> page = services.mediaPage(jid, channel.jid(), after, MEDIA_PAGE);
                for (AccountServices.MediaFile file : page) {
                    String path = paths.mediaFile(channel.jid().toString(), file.id());
                    try (InputStream in = services.download(jid, channel.jid(), file.id()); OutputStream out = archive.file(path, false)) {
                        in.transferTo(out);
                    }
                    media.add(new MediaPart(channel.jid().toString(), file.id(), path, file.fileName(), file.title(),
                            file.description(), file.contentType(), file.size(), file.sha256(),
                            avatar.map(file.id()::equals).orElse(false)));
                    progress.advance(1);
                }
                if (page.size() < MEDIA_PAGE) {
                    break;
                }
                after = page.get(page.size() - 1).id();
            }
        }
        archive.json(paths.media(), media);
    }

    private static MemberPart member(Membership m) {
        return new MemberPart(m.jid().toString(), m.affiliation().wireName(), m.subscription().wireName(),
                m.invitedBy() == null ? null : m.invitedBy().toString());
    }

    private static void copy(byte[] bytes, ArchiveWriter archive, String path) throws IOException {
        try (OutputStream out = archive.file(path)) {
            out.write(bytes);
        }
    }
}
