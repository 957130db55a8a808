package org.buddycloud.channels.portability;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.buddycloud.channels.account.Account;
import org.buddycloud.channels.account.AccountService;
import org.buddycloud.channels.account.AccountStore;
import org.buddycloud.channels.account.ScramCredential;
import org.buddycloud.channels.account.ScramMechanism;
import org.buddycloud.contracts.jid.Jid;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The whole domain in one archive, for an operator moving to new hardware or keeping a backup: every account's files
 * as its own archive would hold them (under {@code accounts/<jid>/}), with its password keys, and the domain's archive
 * secret. Imported into a fresh server of the same domain it gives the same accounts, which log in with the same
 * passwords, and the same channels, posts, files and follows.
 */
@ApplicationScoped
public class DomainArchives {

    /** {@code domain.json}. */
    public record DomainPart(String domain, Instant createdAt, List<String> accounts, String archiveSecret) {
        public DomainPart {
            accounts = accounts == null ? List.of() : List.copyOf(accounts);
        }
    }

    /** {@code accounts/<jid>/credentials.json}: what the server keeps of a password, never the password. */
    public record CredentialsPart(String jid, List<Scram> scram) {
    }

    public record Scram(String mechanism, String salt, int iterations, String storedKey, String serverKey) {
    }

    /** Every account's plan, checked before anything is written. */
    record Plan(DomainPart domain, List<CredentialsPart> credentials, List<AccountImport.Plan> accounts, long items) {
    }

    private static final int PAGE = 500;

    private final AccountStore accounts;
    private final AccountService accountService;
    private final AccountExport export;
    private final AccountImport accountImport;
    private final ImportTransactions steps;
    private final ArchiveKeys keys;
    private final Clock clock;
    private final String domain;

    DomainArchives(AccountStore accounts, AccountService accountService, AccountExport export, AccountImport accountImport,
                   ImportTransactions steps, ArchiveKeys keys, Clock clock, @ConfigProperty(name = "buddycloud.domain") String domain) {
        this.accounts = accounts;
        this.accountService = accountService;
        this.export = export;
        this.accountImport = accountImport;
        this.steps = steps;
        this.keys = keys;
        this.clock = clock;
        this.domain = domain;
    }

    public void write(ArchiveWriter archive, ArchiveProgress progress) throws IOException {
        List<String> written = new ArrayList<>();
        ArchiveProgress summed = new ArchiveProgress() {
            private long total;

            @Override
            public void total(long items) {
                total += items;
                progress.total(total);
            }

            @Override
            public void advance(long items) {
                progress.advance(items);
            }
        };
        Jid after = null;
        List<Account> page;
        do {
            page = accounts.page(after, PAGE);
            for (Account account : page) {
                ArchivePaths paths = ArchivePaths.ofDomainAccount(account.jid().toString());
                archive.json(paths.credentials(), new CredentialsPart(account.jid().toString(),
                        accountService.credentials(account.jid()).stream().map(DomainArchives::scram).toList()));
                export.write(account, archive, summed, paths);
                written.add(account.jid().toString());
                after = account.jid();
            }
        } while (page.size() == PAGE);
        archive.json(ArchivePaths.DOMAIN, new DomainPart(domain, clock.instant(), written,
                Base64.getEncoder().encodeToString(keys.secret())));
    }

    /** Reads the whole domain archive as the import will, refusing it (with the reason) before anything is written. */
    Plan check(VerifiedArchive archive) {
        ArchiveManifest manifest = archive.manifest();
        if (!ArchiveManifest.DOMAIN.equals(manifest.kind())) {
            throw ArchiveReader.refused("this is an account archive; the account imports it at POST /account/imports");
        }
        if (!domain.equals(manifest.domain())) {
            throw ArchiveReader.refused("this is an archive of " + manifest.domain() + "; this server is " + domain
                    + " (a domain moves to new hardware under its own name)");
        }
        DomainPart part = archive.json(ArchivePaths.DOMAIN, DomainPart.class);
        if (part == null || !domain.equals(part.domain()) || part.archiveSecret() == null) {
            throw ArchiveReader.refused(ArchivePaths.DOMAIN + " is not this domain's");
        }
        List<CredentialsPart> credentials = new ArrayList<>();
        List<AccountImport.Plan> plans = new ArrayList<>();
        long items = 0;
        for (String jid : part.accounts()) {
            ArchivePaths paths = ArchivePaths.ofDomainAccount(jid);
            CredentialsPart credential = archive.json(paths.credentials(), CredentialsPart.class);
            if (credential == null || !jid.equals(credential.jid()) || credential.scram() == null || credential.scram().isEmpty()) {
                throw ArchiveReader.refused(paths.credentials() + " holds no password keys of " + jid);
            }
            credential.scram().forEach(DomainArchives::credential);
            credentials.add(credential);
            AccountImport.Plan plan = accountImport.check(archive, paths, jid);
            plans.add(plan);
            items += plan.items();
        }
        return new Plan(part, credentials, plans, items);
    }

    /** Restores every account, then every account's follows (the channels they follow are all there by then). */
    List<AccountImport.Report> apply(VerifiedArchive archive, Plan plan, UUID importId, ArchiveProgress progress) throws IOException {
        keys.adopt(Base64.getDecoder().decode(plan.domain().archiveSecret()));
        progress.total(plan.items());
        for (CredentialsPart credential : plan.credentials()) {
            Jid jid = Jid.parse(credential.jid());
            ArchivePaths paths = ArchivePaths.ofDomainAccount(credential.jid());
            ArchiveParts.AccountPart account = archive.json(paths.account(), ArchiveParts.AccountPart.class);
            steps.restoreAccount(jid, account.email(), account.createdAt(), credential.scram().stream().map(DomainArchives::credential).toList());
        }
        ArchiveProgress quiet = new ArchiveProgress() {
            @Override
            public void total(long items) {
                // the domain's total was given above
            }

            @Override
            public void advance(long items) {
                progress.advance(items);
            }
        };
        List<AccountImport.Report> reports = new ArrayList<>();
        for (AccountImport.Plan account : plan.accounts()) {
            reports.add(accountImport.restore(archive, account, Jid.parse(account.sourceAccount()), importId, quiet));
        }
        for (int i = 0; i < plan.accounts().size(); i++) {
            AccountImport.Plan account = plan.accounts().get(i);
            accountImport.follow(account, Jid.parse(account.sourceAccount()), reports.get(i), quiet);
        }
        return reports;
    }

    private static Scram scram(ScramCredential c) {
        Base64.Encoder base64 = Base64.getEncoder();
        return new Scram(c.mechanism().name(), base64.encodeToString(c.salt()), c.iterations(), base64.encodeToString(c.storedKey()),
                base64.encodeToString(c.serverKey()));
    }

    private static ScramCredential credential(Scram s) {
        try {
            Base64.Decoder base64 = Base64.getDecoder();
            if (s.iterations() < 1) {
                throw new IllegalArgumentException("iterations");
            }
            return new ScramCredential(ScramMechanism.valueOf(s.mechanism()), base64.decode(s.salt()), s.iterations(),
                    base64.decode(s.storedKey()), base64.decode(s.serverKey()));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw ArchiveReader.refused("a password key of the archive is not one: " + e.getMessage());
        }
    }
}
