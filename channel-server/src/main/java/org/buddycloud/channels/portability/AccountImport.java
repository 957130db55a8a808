package org.buddycloud.channels.portability;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.buddycloud.channels.atom.AtomEntries;
import org.buddycloud.channels.domain.ChannelImport;
import org.buddycloud.channels.domain.ChannelPolicy;
import org.buddycloud.channels.domain.ConfigChange;
import org.buddycloud.channels.domain.Membership;
import org.buddycloud.channels.domain.NodeConfig;
import org.buddycloud.channels.domain.NodeName;
import org.buddycloud.channels.domain.Post;
import org.buddycloud.channels.domain.PostDraft;
import org.buddycloud.channels.domain.PostService;
import org.buddycloud.channels.federation.RemoteChannels;
import org.buddycloud.channels.portability.ArchiveParts.ChannelPart;
import org.buddycloud.channels.portability.ArchiveParts.MediaPart;
import org.buddycloud.channels.portability.ArchiveParts.MemberPart;
import org.buddycloud.channels.portability.ArchiveParts.NodePart;
import org.buddycloud.channels.portability.ArchiveParts.SubscriptionPart;
import org.buddycloud.channels.service.ChannelTransactions;
import org.buddycloud.contracts.access.Actor;
import org.buddycloud.contracts.channel.AccessModel;
import org.buddycloud.contracts.channel.Affiliation;
import org.buddycloud.contracts.channel.ChannelType;
import org.buddycloud.contracts.channel.Subscription;
import org.buddycloud.contracts.jid.InvalidJidException;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.DomainException;
import org.jboss.logging.Logger;

/**
 * Restores an account archive into an account of this domain: its channels (a topic channel keeps its name where it is
 * free), their configuration and members, every item with its author, times and thread, its files re-uploaded, its
 * follows asked again, its notification settings; then the followers are told the channel moved. Everything restored
 * is mapped, so importing the same archive again makes nothing twice. {@link #check} reads the whole archive first, so
 * that an archive with a broken part is refused before anything is written.
 */
@ApplicationScoped
public class AccountImport {

    /** What an import did, for its owner (and the next import of the same archive, which should do nothing). */
    public static final class Report {
        public int channels;
        public boolean profile;
        public int members;
        public int membersLeftOut;
        public int posts;
        public int postsThereAlready;
        public int postsByOthersLeftOut;
        public int repliesWithoutTheirPost;
        public int postsRefused;
        public int locationsLeftOut;
        public int postsElsewhere;
        public int media;
        public int mediaThereAlready;
        public int subscriptions;
        public final List<String> subscriptionsRefused = new ArrayList<>();
        public int notificationSettings;
        public final List<String> movedChannels = new ArrayList<>();
        /** For an account of another domain that vouched for the archive: whether its server took note of the move. */
        public Boolean oldServerTold;
        public String authenticity;
        public final List<String> notes = new ArrayList<>();
        /** What each channel of the archive became here (for the follows, which come last). */
        @com.fasterxml.jackson.annotation.JsonIgnore
        Map<Jid, Jid> channelMap = Map.of();
    }

    /** The archive's parts of one account, read and checked once. */
    record Plan(ArchivePaths paths, String sourceAccount, List<ChannelPart> channels, List<SubscriptionPart> subscriptions,
                List<MediaPart> media, long items) {
    }

    private static final Logger LOG = Logger.getLogger(AccountImport.class);
    private static final int BATCH = 200;
    /** As large as a stanza this server takes (a vCard is set in one). */
    private static final int MAX_PROFILE_BYTES = 10 * 1024 * 1024;

    private final ImportTransactions steps;
    private final ImportMappings mappings;
    private final ChannelTransactions changes;
    private final RemoteChannels remote;
    private final AccountServices services;
    private final AtomEntries atom;
    private final ChannelPolicy policy;
    private final ChannelMoves moves;

    AccountImport(ImportTransactions steps, ImportMappings mappings, ChannelTransactions changes, RemoteChannels remote,
                  AccountServices services, AtomEntries atom, ChannelPolicy policy, ChannelMoves moves) {
        this.moves = moves;
        this.steps = steps;
        this.mappings = mappings;
        this.changes = changes;
        this.remote = remote;
        this.services = services;
        this.atom = atom;
        this.policy = policy;
    }

    /**
     * Reads every part of the archive as the import will, without writing: an unreadable part, an entry that is no
     * post, a node of another channel, refuse the archive here, with the reason.
     */
    public Plan check(VerifiedArchive archive) {
        ArchiveManifest manifest = archive.manifest();
        if (!ArchiveManifest.ACCOUNT.equals(manifest.kind()) || manifest.account() == null) {
            throw ArchiveReader.refused("this is a " + manifest.kind() + " archive; an account imports account archives");
        }
        return check(archive, ArchivePaths.ACCOUNT_ARCHIVE, jid(manifest.account(), "the manifest's account").toString());
    }

    /** The same for one account's part of an archive ({@code paths}: where its files are). */
    Plan check(VerifiedArchive archive, ArchivePaths paths, String sourceAccount) {
        try {
            return plan(archive, paths, sourceAccount);
        } catch (DomainException e) {
            throw e.getMessage() != null && e.getMessage().startsWith("archive refused:") ? e : ArchiveReader.refused(e.getMessage());
        } catch (IllegalArgumentException e) {
            throw ArchiveReader.refused("a part of the archive holds a value that is not one: " + e.getMessage());
        }
    }

    private Plan plan(VerifiedArchive archive, ArchivePaths paths, String sourceAccount) {
        ArchiveManifest manifest = archive.manifest();
        ArchiveParts.AccountPart account = archive.json(paths.account(), ArchiveParts.AccountPart.class);
        if (account == null || !sourceAccount.equals(account.jid())) {
            throw ArchiveReader.refused(paths.account() + " is not the account the manifest names");
        }
        List<ChannelPart> channels = new ArrayList<>();
        long items = 0;
        for (ArchiveManifest.Entry file : manifest.files()) {
            if (!paths.isChannel(file.path())) {
                continue;
            }
            ChannelPart channel = archive.json(file.path(), ChannelPart.class);
            checkChannel(channel, sourceAccount, file.path());
            for (NodePart node : channel.nodes()) {
                if (!archive.has(node.posts())) {
                    throw ArchiveReader.refused(file.path() + " names " + node.posts() + ", which the archive lacks");
                }
                NodeName name = NodeName.parse(node.node());
                long[] count = {0};
                AtomFeeds.forEachEntry(archive.open(node.posts()), node.posts(), xml -> {
                    entry(xml, name, node.posts());
                    count[0]++;
                });
                items += count[0] + node.members().size();
            }
            channels.add(channel);
        }
        if (channels.stream().noneMatch(c -> c.jid().equals(sourceAccount))) {
            throw ArchiveReader.refused("the archive lacks the account's own channel " + sourceAccount);
        }
        List<SubscriptionPart> subscriptions = archive.has(paths.subscriptions())
                ? archive.json(paths.subscriptions(), new TypeReference<List<SubscriptionPart>>() { }) : List.of();
        for (SubscriptionPart subscription : subscriptions) {
            node(subscription.node(), paths.subscriptions());
            Subscription.fromWire(text(subscription.subscription(), "subscription", paths.subscriptions()));
        }
        List<MediaPart> media = archive.has(paths.media())
                ? archive.json(paths.media(), new TypeReference<List<MediaPart>>() { }) : List.of();
        Set<String> channelJids = new LinkedHashSet<>(channels.stream().map(ChannelPart::jid).toList());
        for (MediaPart file : media) {
            if (!channelJids.contains(file.channel()) || file.path() == null || !archive.has(file.path()) || file.id() == null) {
                throw ArchiveReader.refused(paths.media() + " names a file that is not in the archive or of no channel in it: "
                        + file.path());
            }
        }
        if (archive.has(paths.profile())) {
            profile(archive, paths);
        }
        if (archive.has(paths.notificationSettings())) {
            try (InputStream in = archive.open(paths.notificationSettings())) {
                if (!ArchiveJson.MAPPER.readTree(in).isArray()) {
                    throw ArchiveReader.refused(paths.notificationSettings() + " is no list of settings");
                }
            } catch (IOException e) {
                throw ArchiveReader.refused(paths.notificationSettings() + " is not valid JSON");
            }
        }
        return new Plan(paths, sourceAccount, channels, subscriptions, media, items + media.size() + subscriptions.size());
    }

    /** Restores the checked archive into {@code target}'s account. */
    public Report apply(VerifiedArchive archive, Plan plan, Jid target, UUID importId, ArchiveProgress progress) throws IOException {
        Report report = restore(archive, plan, target, importId, progress);
        follow(plan, target, report, progress);
        return report;
    }

    /**
     * Everything but the follows: channels, members, files, posts, settings, the move announced. A domain import
     * restores every account so before any follows, so that a follow finds the channel it follows.
     */
    Report restore(VerifiedArchive archive, Plan plan, Jid target, UUID importId, ArchiveProgress progress) throws IOException {
        Report report = new Report();
        report.authenticity = archive.authenticity().name().toLowerCase(java.util.Locale.ROOT);
        progress.total(plan.items());
        Jid source = Jid.parse(plan.sourceAccount());
        steps.ensurePersonalChannel(target);
        Map<Jid, Jid> channelMap = new LinkedHashMap<>();
        for (ChannelPart channel : plan.channels()) {
            channelMap.put(Jid.parse(channel.jid()), targetChannel(channel, source, target, report));
        }
        restoreMedia(archive, plan, source, target, channelMap, report, progress);
        for (ChannelPart channel : plan.channels()) {
            Jid to = channelMap.get(Jid.parse(channel.jid()));
            if (to == null) {
                continue;
            }
            for (NodePart node : channel.nodes()) {
                restoreNode(archive, node, source, target, to, channelMap, importId, report, progress);
            }
        }
        report.channelMap = channelMap;
        if (archive.has(plan.paths().profile())) {
            org.buddycloud.xmppkit.xml.XmlElement vcard = profile(archive, plan.paths());
            report.profile = steps.restoreProfile(target, vcard.toXml(), org.buddycloud.channels.xmpp.im.VcardIq.photo(vcard));
        }
        restoreSettings(archive, plan.paths(), target, report);
        announceMoves(plan, source, target, channelMap, report);
        if (archive.authenticity() == ArchiveSeal.Authenticity.CONFIRMED_BY_SOURCE && !source.domain().equals(target.domain())
                && target.equals(channelMap.get(source))) {
            // its followers elsewhere hear of the move from the old server, which speaks for the channel they followed
            report.oldServerTold = moves.tellOldServer(archive, source, target);
            if (!report.oldServerTold) {
                report.notes.add(source.domain() + " could not be told that " + source + " moved here: its followers there and on"
                        + " other domains were not taken along (importing again tries again)");
            }
        }
        String authored = plan.paths().authoredElsewhere();
        if (archive.has(authored)) {
            int[] elsewhere = {0};
            AtomFeeds.forEachEntry(archive.open(authored), authored, xml -> elsewhere[0]++);
            report.postsElsewhere = elsewhere[0];
            if (elsewhere[0] > 0) {
                report.notes.add(elsewhere[0] + " posts written in other people's channels stay in the archive: those channels keep them");
            }
        }
        return report;
    }

    private Jid targetChannel(ChannelPart channel, Jid source, Jid target, Report report) {
        Jid from = Jid.parse(channel.jid());
        if (from.equals(source)) {
            steps.mapChannel(target, from.toString(), target);
            return target;
        }
        Optional<String> mapped = mappings.target(target, ImportMappings.CHANNEL, from.toString());
        if (mapped.isPresent()) {
            return Jid.parse(mapped.get());
        }
        String name = from.localpart().orElseThrow();
        for (int attempt = 1; attempt <= 20; attempt++) {
            Jid wanted = Jid.bare(attempt == 1 ? name : name + "-" + attempt, policy.topicsDomain());
            if (steps.createTopicChannel(target, from.toString(), wanted)) {
                report.channels++;
                if (attempt > 1) {
                    report.notes.add(from + " became " + wanted + ": its name was taken here");
                }
                return wanted;
            }
        }
        report.notes.add(from + " was left out: its name and 19 others like it are taken here");
        return null;
    }

    private void restoreNode(VerifiedArchive archive, NodePart part, Jid source, Jid target, Jid channel, Map<Jid, Jid> channelMap,
                             UUID importId, Report report, ArchiveProgress progress) {
        NodeName from = NodeName.parse(part.node());
        NodeName node = NodeName.of(channel, from.type());
        if (node.isVirtual()) {
            return;
        }
        String title = part.title() != null && part.title().startsWith(from.channel().toString()) ? null : part.title();
        try {
            NodeConfig.Geo place = part.location() == null ? null
                    : new NodeConfig.Geo(part.location().latitude(), part.location().longitude(), part.location().text());
            steps.restoreNode(target, node, new ConfigChange(title, part.description(), AccessModel.fromWire(part.accessModel()),
                    Affiliation.fromWire(part.defaultAffiliation()), part.advertised(), place, null, null, null, null));
        } catch (DomainException e) {
            report.notes.add(node + " was left out, with its " + part.postCount() + " items: " + e.getMessage());
            progress.advance(part.members().size() + part.postCount());
            return;
        }
        List<Membership> members = new ArrayList<>();
        if (archive.authenticity() == ArchiveSeal.Authenticity.UNVERIFIED) {
            // a hand-made archive must not make people follow anyone: only a vouched-for one brings its followers
            report.membersLeftOut += (int) part.members().stream().filter(m -> !m.jid().equals(source.toString())).count();
        }
        for (MemberPart member : archive.authenticity() == ArchiveSeal.Authenticity.UNVERIFIED ? List.<MemberPart>of() : part.members()) {
            Jid jid = Jid.parse(member.jid());
            if (jid.equals(source) || jid.equals(target)) {
                continue;
            }
            members.add(new Membership(jid, Affiliation.fromWire(member.affiliation()), Subscription.fromWire(member.subscription()),
                    member.invitedBy() == null ? null : mapped(Jid.parse(member.invitedBy()), source, target), null));
        }
        report.members += steps.restoreMembers(target, node, members);
        progress.advance(part.members().size());
        if (node.isGeo()) {
            AtomFeeds.forEachEntry(archive.open(part.posts()), part.posts(), xml -> report.locationsLeftOut++);
            progress.advance(part.postCount());
            return;
        }
        // parents before replies: the feed is newest first, so two passes
        restoreItems(archive, part, from, node, source, target, channelMap, importId, false, report, progress);
        restoreItems(archive, part, from, node, source, target, channelMap, importId, true, report, progress);
    }

    private void restoreItems(VerifiedArchive archive, NodePart part, NodeName from, NodeName node, Jid source, Jid target,
                              Map<Jid, Jid> channelMap, UUID importId, boolean replies, Report report, ArchiveProgress progress) {
        boolean trusted = archive.authenticity() != ArchiveSeal.Authenticity.UNVERIFIED;
        List<ImportTransactions.Restore> batch = new ArrayList<>(BATCH);
        Consumer<List<ImportTransactions.Restore>> flush = items -> {
            if (!items.isEmpty()) {
                for (ChannelImport.Restored outcome : steps.restorePosts(target, List.copyOf(items), importId)) {
                    switch (outcome) {
                        case RESTORED -> report.posts++;
                        case THERE_ALREADY -> report.postsThereAlready++;
                        case ORPHANED -> report.repliesWithoutTheirPost++;
                        case REFUSED -> report.postsRefused++;
                    }
                }
                progress.advance(items.size());
                items.clear();
            }
        };
        AtomFeeds.forEachEntry(archive.open(part.posts()), part.posts(), xml -> {
            Entry entry = entry(xml, from, part.posts());
            if (entry.post().isReply() != replies) {
                return;
            }
            Jid author = entry.post().author();
            if (!author.equals(source) && !trusted) {
                report.postsByOthersLeftOut++;
                progress.advance(1);
                return;
            }
            String sourceKey = from + "," + entry.post().id();
            Optional<String> parent = Optional.ofNullable(entry.post().inReplyTo())
                    .map(id -> mappings.target(target, ImportMappings.POST, from + "," + id).map(AccountImport::itemOf).orElse(id));
            String targetId = entry.post().targetId() == null ? null
                    : mappings.target(target, ImportMappings.POST, from + "," + entry.post().targetId()).map(AccountImport::itemOf)
                            .orElse(entry.post().targetId());
            Post p = entry.post();
            List<Post.MediaRef> media = p.media().stream().map(ref -> media(ref, target, channelMap)).toList();
            Post restored = new Post(node, p.id(), mapped(author, source, target), p.published(), p.updated(), p.title(), p.content(),
                    p.contentType(), parent.orElse(null), p.rating(), targetId, p.geoloc(), media, p.extensions());
            batch.add(new ImportTransactions.Restore(restored, sourceKey));
            if (batch.size() == BATCH) {
                flush.accept(batch);
            }
        });
        flush.accept(batch);
    }

    private void restoreMedia(VerifiedArchive archive, Plan plan, Jid source, Jid target, Map<Jid, Jid> channelMap, Report report,
                              ArchiveProgress progress) throws IOException {
        if (!plan.media().isEmpty() && !services.hasMedia()) {
            report.notes.add(plan.media().size() + " files were left out: this server has no media server configured");
            return;
        }
        for (MediaPart file : plan.media()) {
            Jid channel = channelMap.get(Jid.parse(file.channel()));
            String key = file.channel() + "/" + file.id();
            if (channel == null) {
                continue;
            }
            if (mappings.target(target, ImportMappings.MEDIA, key).isPresent()) {
                report.mediaThereAlready++;
            } else {
                AccountServices.MediaFile meta = new AccountServices.MediaFile(file.id(), file.fileName(), file.title(),
                        file.description(), file.contentType(), file.size(), file.sha256());
                try (InputStream bytes = archive.open(file.path())) {
                    String id = services.upload(target, channel, meta, file.avatar(), bytes);
                    mappings.record(target, ImportMappings.MEDIA, key, channel + "/" + id);
                    report.media++;
                }
            }
            progress.advance(1);
        }
    }

    /** Follows again what the account followed (private channels ask again). */
    void follow(Plan plan, Jid target, Report report, ArchiveProgress progress) {
        Map<Jid, Jid> channelMap = report.channelMap;
        for (SubscriptionPart part : plan.subscriptions()) {
            progress.advance(1);
            Subscription state = Subscription.fromWire(part.subscription());
            if (state != Subscription.SUBSCRIBED && state != Subscription.PENDING) {
                continue;
            }
            NodeName archived = NodeName.parse(part.node());
            NodeName node = channelMap.containsKey(archived.channel())
                    ? NodeName.of(channelMap.get(archived.channel()), archived.type()) : archived;
            if (node.channel().equals(target) || channelMap.containsKey(archived.channel())) {
                continue; // one's own channels are restored, not followed
            }
            String refused = ImportTransactions.attempt(() -> {
                if (remote.isRemote(node)) {
                    remote.follow(target, node, true);
                } else {
                    changes.subscribe(Actor.of(target), node);
                }
            });
            if (refused == null) {
                report.subscriptions++;
            } else {
                report.subscriptionsRefused.add(node + ": " + refused);
            }
        }
    }

    private void restoreSettings(VerifiedArchive archive, ArchivePaths paths, Jid target, Report report) throws IOException {
        if (!archive.has(paths.notificationSettings())) {
            return;
        }
        JsonNode settings;
        try (InputStream in = archive.open(paths.notificationSettings())) {
            settings = ArchiveJson.MAPPER.readTree(in);
        }
        if (settings == null || !settings.isArray()) {
            return;
        }
        for (JsonNode setting : settings) {
            String key = setting.path("type").asText() + ":" + setting.path("target").asText();
            if (mappings.target(target, ImportMappings.SETTING, key).isPresent()) {
                continue;
            }
            try {
                services.restoreNotificationSetting(target, ArchiveJson.MAPPER.writeValueAsBytes(setting));
                mappings.record(target, ImportMappings.SETTING, key, key);
                report.notificationSettings++;
            } catch (IOException e) {
                report.notes.add("a notification setting was not restored: " + e.getMessage());
                LOG.infof("a notification setting of %s was not restored: %s", target, e.getMessage());
            }
        }
    }

    /** Tells each moved channel's followers, once. */
    private void announceMoves(Plan plan, Jid source, Jid target, Map<Jid, Jid> channelMap, Report report) {
        for (ChannelPart channel : plan.channels()) {
            Jid from = Jid.parse(channel.jid());
            Jid to = channelMap.get(from);
            if (to == null || to.equals(from)) {
                continue;
            }
            List<Jid> followers = channel.nodes().stream().filter(n -> NodeName.parse(n.node()).is(NodeName.POSTS))
                    .flatMap(n -> n.members().stream())
                    .filter(m -> Subscription.fromWire(m.subscription()) == Subscription.SUBSCRIBED)
                    .map(m -> Jid.parse(m.jid())).filter(j -> !j.equals(source) && !j.equals(target)).distinct().toList();
            if (steps.announceMove(target, from, to, followers)) {
                report.movedChannels.add(from + " → " + to);
            }
        }
    }

    /** The archive's vCard, read as this server reads one from a client (same limits; a vCard in vcard-temp). */
    private static org.buddycloud.xmppkit.xml.XmlElement profile(VerifiedArchive archive, ArchivePaths paths) {
        try (InputStream in = archive.open(paths.profile())) {
            org.buddycloud.xmppkit.xml.XmlElement vcard = org.buddycloud.xmppkit.xml.Fragments.parse(
                    new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8), MAX_PROFILE_BYTES, 16);
            if (!"vCard".equals(vcard.name()) || !org.buddycloud.channels.xmpp.Namespaces.VCARD.equals(vcard.namespace())) {
                throw ArchiveReader.refused(paths.profile() + " is no vcard-temp vCard");
            }
            return vcard;
        } catch (org.buddycloud.xmppkit.xml.XmppStreamException | IOException e) {
            throw ArchiveReader.refused(paths.profile() + " is not well-formed XML: " + e.getMessage());
        }
    }

    /** A post of the archive: the node it was in, read from its entry. */
    record Entry(Post post) {
    }

    private Entry entry(String xml, NodeName node, String path) {
        try {
            AtomEntries.RemoteEntry remoteEntry = atom.parseRemote(xml);
            PostDraft d = remoteEntry.draft();
            if (d.id() == null) {
                throw ArchiveReader.refused("an entry of " + path + " has no id");
            }
            String id = PostService.localId(d.id(), node);
            Post.ContentType type = d.contentType() == null ? Post.ContentType.TEXT : Post.ContentType.fromWire(d.contentType());
            if (type == Post.ContentType.GEOLOC) {
                throw ArchiveReader.refused("an entry of " + path + " has an unknown content type");
            }
            Integer rating = d.rating() == null ? null : (int) Double.parseDouble(d.rating().trim());
            String parent = d.inReplyTo() == null ? null : PostService.localId(d.inReplyTo(), node);
            String target = d.targetId() == null ? null : PostService.localId(d.targetId(), node);
            return new Entry(new Post(node, id, remoteEntry.author(), remoteEntry.published(), remoteEntry.updated(),
                    d.title() == null ? "Post" : d.title(), d.content() == null ? "" : d.content(), type, parent, rating, target,
                    d.geoloc(), d.media(), d.extensions()));
        } catch (DomainException e) {
            throw ArchiveReader.refused("an entry of " + path + " is not a post: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw ArchiveReader.refused("an entry of " + path + " is not a post: " + e.getMessage());
        }
    }

    private void checkChannel(ChannelPart channel, String sourceAccount, String path) {
        if (channel == null || channel.jid() == null || channel.nodes().isEmpty()) {
            throw ArchiveReader.refused(path + " is no channel");
        }
        Jid jid = jid(channel.jid(), path);
        ChannelType type = ChannelType.fromWire(text(channel.type(), "type", path));
        if (type == ChannelType.PERSONAL != jid.toString().equals(sourceAccount)) {
            throw ArchiveReader.refused(path + ": only the account's own channel is personal");
        }
        if (jid.localpart().isEmpty()) {
            throw ArchiveReader.refused(path + ": a channel is named name@domain");
        }
        for (NodePart node : channel.nodes()) {
            NodeName name = node(node.node(), path);
            if (!name.channel().equals(jid)) {
                throw ArchiveReader.refused(path + " holds " + node.node() + ", a node of another channel");
            }
            AccessModel.fromWire(text(node.accessModel(), "accessModel", path));
            Affiliation.fromWire(text(node.defaultAffiliation(), "defaultAffiliation", path));
            for (MemberPart member : node.members()) {
                jid(member.jid(), path);
                Affiliation.fromWire(text(member.affiliation(), "affiliation", path));
                Subscription.fromWire(text(member.subscription(), "subscription", path));
            }
            if (node.posts() == null) {
                throw ArchiveReader.refused(path + " names no feed for " + node.node());
            }
        }
    }

    private static Jid mapped(Jid jid, Jid source, Jid target) {
        return jid.equals(source) ? target : jid;
    }

    private Post.MediaRef media(Post.MediaRef ref, Jid target, Map<Jid, Jid> channelMap) {
        Optional<String> mapped = mappings.target(target, ImportMappings.MEDIA, ref.channel() + "/" + ref.id());
        if (mapped.isEmpty()) {
            return ref;
        }
        String value = mapped.get();
        int slash = value.lastIndexOf('/');
        return new Post.MediaRef(Jid.parse(value.substring(0, slash)), value.substring(slash + 1));
    }

    private static String itemOf(String mappedPost) {
        return mappedPost.substring(mappedPost.lastIndexOf(',') + 1);
    }

    private static NodeName node(String text, String path) {
        try {
            return NodeName.parse(text(text, "node", path));
        } catch (DomainException | IllegalArgumentException e) {
            throw ArchiveReader.refused(path + " names a node that is not one: " + text);
        }
    }

    private static Jid jid(String text, String where) {
        try {
            Jid jid = Jid.parse(text == null ? "" : text);
            if (!jid.isEntityBare()) {
                throw ArchiveReader.refused(where + " holds " + text + ", which is no bare JID");
            }
            return jid;
        } catch (InvalidJidException e) {
            throw ArchiveReader.refused(where + " holds " + text + ", which is no JID");
        }
    }

    private static String text(String value, String field, String path) {
        if (value == null || value.isBlank()) {
            throw ArchiveReader.refused(path + " lacks " + field);
        }
        return value;
    }
}
