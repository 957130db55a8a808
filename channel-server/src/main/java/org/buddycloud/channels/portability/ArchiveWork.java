package org.buddycloud.channels.portability;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.buddycloud.channels.account.Account;
import org.buddycloud.channels.account.AccountStore;
import org.buddycloud.channels.xmpp.cluster.Replicas;
import org.buddycloud.contracts.jid.Jid;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;
import org.jboss.logging.Logger;

/**
 * Runs the archive jobs: exports taken from the database by whichever replica is free (one at a time per replica, so
 * an export never starves the XMPP and REST work of its replica), and imports on the replica that holds the upload.
 */
@ApplicationScoped
public class ArchiveWork {

    private static final Logger LOG = Logger.getLogger(ArchiveWork.class);
    /** How often a running job tells the database it is alive (and how far it got). */
    private static final long REPORT_EVERY_NANOS = 1_000_000_000L;

    private final ExportJobs exports;
    private final ImportJobs imports;
    private final AccountExport export;
    private final AccountImport accountImport;
    private final DomainArchives domains;
    private final AccountStore accounts;
    private final ArchiveKeys keys;
    private final PortabilityConfig config;
    private final Replicas replicas;
    private final Clock clock;
    private final String domain;
    private final ExecutorService importers = Executors.newFixedThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "archive-import");
        thread.setDaemon(true);
        return thread;
    });

    ArchiveWork(ExportJobs exports, ImportJobs imports, AccountExport export, AccountImport accountImport, DomainArchives domains,
                AccountStore accounts,
                ArchiveKeys keys, PortabilityConfig config, Replicas replicas, Clock clock,
                @org.eclipse.microprofile.config.inject.ConfigProperty(name = "buddycloud.domain") String domain) {
        this.exports = exports;
        this.imports = imports;
        this.export = export;
        this.accountImport = accountImport;
        this.domains = domains;
        this.accounts = accounts;
        this.keys = keys;
        this.config = config;
        this.replicas = replicas;
        this.clock = clock;
        this.domain = domain;
    }

    @Scheduled(every = "${buddycloud.portability.poll-interval:2s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void runExports() {
        Optional<ExportJobs.Export> job;
        while ((job = exports.claim(replicas.id(), clock.instant(), config.staleAfter())).isPresent()) {
            write(job.get());
        }
    }

    @Scheduled(every = "1m", delayed = "30s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        Instant now = clock.instant();
        int expired = exports.expire(now);
        int abandoned = exports.failAbandoned(now.minus(config.staleAfter()), now);
        int stale = imports.failStale(now.minus(config.staleAfter()), now);
        if (expired > 0 || abandoned > 0 || stale > 0) {
            LOG.infof("archives: %d expired export(s) removed, %d export(s) and %d import(s) that stopped marked failed", expired,
                    abandoned, stale);
        }
    }

    private void write(ExportJobs.Export job) {
        UUID id = job.id();
        boolean wholeDomain = ArchiveManifest.DOMAIN.equals(job.kind());
        Optional<Account> account = wholeDomain ? Optional.empty() : accounts.find(job.account());
        if (!wholeDomain && account.isEmpty()) {
            exports.fail(id, "the account is gone", clock.instant());
            return;
        }
        long began = System.nanoTime();
        String manifestSha256;
        try (DigestingCounter out = new DigestingCounter(exports.chunks(id))) {
            ReportingProgress progress = new ReportingProgress(
                    (done, total) -> exports.progress(id, replicas.id(), done, total, clock.instant()));
            try (ArchiveWriter archive = new ArchiveWriter(out)) {
                if (wholeDomain) {
                    domains.write(archive, progress);
                } else {
                    export.write(account.get(), archive, progress);
                }
                manifestSha256 = archive.finish(new ArchiveManifest(ArchiveManifest.FORMAT, ArchiveManifest.VERSION, id, job.kind(), domain,
                        wholeDomain ? null : job.account().toString(), clock.instant(), null), keys);
            }
            out.close();
            Instant now = clock.instant();
            exports.finish(id, out.size, out.sha256(), manifestSha256, keys.linkKey(id), now, now.plus(config.linkLifetime()));
            LOG.infof("exported %s: %d bytes, %d items in %d ms", job.account(), out.size, progress.done(),
                    (System.nanoTime() - began) / 1_000_000);
        } catch (TakenOver e) {
            LOG.infof("export %s was taken over by another replica", id);
        } catch (IOException | RuntimeException e) {
            LOG.warnf(e, "export %s of %s failed", id, job.account());
            exports.fail(id, "the export failed: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()),
                    clock.instant());
        } catch (OutOfMemoryError e) {
            // what it held is garbage now; the job fails here rather than being taken up again to run out once more
            LOG.errorf("export %s of %s ran out of memory", id, job.account());
            exports.fail(id, "the export ran out of memory on this server", clock.instant());
        }
    }

    /**
     * Checks an uploaded archive (refused with the reason before anything is written) and starts importing it in the
     * background; answers the import to follow.
     */
    public ImportJobs.Import startImport(Jid account, Path upload) {
        VerifiedArchive archive = null;
        try {
            archive = ArchiveReader.verify(upload, new ArchiveReader.Limits(config.maxArchiveBytes(), config.maxArchiveFiles()), keys);
            AccountImport.Plan plan = accountImport.check(archive);
            if (imports.running(account)) {
                throw new DomainException(Condition.CONFLICT, "an import into this account is running; wait for it to finish");
            }
            ImportJobs.Import started = imports.start(ArchiveManifest.ACCOUNT, account, archive.manifest().id(), plan.sourceAccount(),
                    replicas.id(), clock.instant());
            VerifiedArchive checked = archive;
            archive = null;
            importers.execute(() -> runImport(started, checked, plan, upload));
            return started;
        } finally {
            if (archive != null) {
                archive.close();
                deleteQuietly(upload);
            }
        }
    }

    /**
     * The same for an operator's domain archive, vouched for by the operator (new hardware has a new secret, so the old
     * signature cannot be checked here): every account checked before any is written.
     */
    public ImportJobs.Import startDomainImport(Path upload) {
        VerifiedArchive archive = null;
        Jid domainJid = Jid.parse(domain);
        try {
            archive = ArchiveReader.verify(upload, new ArchiveReader.Limits(config.maxArchiveBytes(), config.maxArchiveFiles()),
                    operatorVouches());
            DomainArchives.Plan plan = domains.check(archive);
            if (imports.running(domainJid)) {
                throw new DomainException(Condition.CONFLICT, "a domain import is running; wait for it to finish");
            }
            ImportJobs.Import started = imports.start(ArchiveManifest.DOMAIN, domainJid, archive.manifest().id(), domain,
                    replicas.id(), clock.instant());
            VerifiedArchive checked = archive;
            archive = null;
            importers.execute(() -> runDomainImport(started, checked, plan, upload));
            return started;
        } finally {
            if (archive != null) {
                archive.close();
                deleteQuietly(upload);
            }
        }
    }

    private void runDomainImport(ImportJobs.Import job, VerifiedArchive archive, DomainArchives.Plan plan, Path upload) {
        long began = System.nanoTime();
        try (archive) {
            java.util.List<AccountImport.Report> reports = domains.apply(archive, plan, job.id(), importProgress(job.id()));
            imports.finish(job.id(), ArchiveJson.MAPPER.writeValueAsString(java.util.Map.of("accounts", reports.size(),
                    "posts", reports.stream().mapToInt(r -> r.posts).sum(), "media", reports.stream().mapToInt(r -> r.media).sum())),
                    clock.instant());
            LOG.infof("imported the domain archive %s: %d accounts in %d ms", job.archiveId(), reports.size(),
                    (System.nanoTime() - began) / 1_000_000);
        } catch (IOException | RuntimeException e) {
            LOG.warnf(e, "the domain import %s failed", job.id());
            imports.fail(job.id(), "the import stopped: " + e.getMessage()
                    + " (what was restored is kept; importing the archive again finishes it)", null, clock.instant());
        } finally {
            deleteQuietly(upload);
        }
    }

    /** An operator's archive: its checksums are checked like any other's, its signature is the operator's word. */
    private ArchiveSeal operatorVouches() {
        return new ArchiveSeal() {
            @Override
            public String sign(byte[] manifestDigest) {
                return keys.sign(manifestDigest);
            }

            @Override
            public boolean isOurs(byte[] manifestDigest, String signature) {
                return keys.isOurs(manifestDigest, signature);
            }

            @Override
            public Authenticity authenticate(String archiveDomain, byte[] manifestDigest, String signature) {
                return Authenticity.VOUCHED_BY_OPERATOR;
            }
        };
    }

    private void runImport(ImportJobs.Import job, VerifiedArchive archive, AccountImport.Plan plan, Path upload) {
        long began = System.nanoTime();
        ReportingProgress progress = importProgress(job.id());
        try (archive) {
            AccountImport.Report report = accountImport.apply(archive, plan, job.account(), job.id(), progress);
            imports.finish(job.id(), ArchiveJson.MAPPER.writeValueAsString(report), clock.instant());
            LOG.infof("imported %s into %s: %d posts, %d files in %d ms", plan.sourceAccount(), job.account(), report.posts, report.media,
                    (System.nanoTime() - began) / 1_000_000);
        } catch (IOException | RuntimeException e) {
            LOG.warnf(e, "import %s into %s failed", job.id(), job.account());
            imports.fail(job.id(), "the import stopped: " + e.getMessage()
                    + " (what was restored is kept; importing the archive again finishes it)", null, clock.instant());
        } finally {
            deleteQuietly(upload);
        }
    }

    private ReportingProgress importProgress(UUID id) {
        return new ReportingProgress((done, total) -> {
            imports.progress(id, done, total, clock.instant());
            return true;
        });
    }

    /** Where uploads wait. */
    public Path spool() {
        try {
            Path dir = Path.of(config.spoolDir().orElse(System.getProperty("java.io.tmpdir")), "buddycloud-imports");
            Files.createDirectories(dir);
            return Files.createTempFile(dir, "archive-", ".zip");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make room for an uploaded archive", e);
        }
    }

    public static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warnf("cannot delete %s: %s", file, e.getMessage());
        }
    }

    /** The export's job was given to another replica (this one was thought dead): stop writing. */
    private static final class TakenOver extends RuntimeException {
        TakenOver() {
            super(null, null, false, false);
        }
    }

    /** Where a job's progress goes; false when the job is no longer this replica's. */
    @FunctionalInterface
    private interface Reporter {
        boolean report(long done, long total);
    }

    /** Progress reported at most once a second (and at the start): it is also the job's heartbeat. */
    private static final class ReportingProgress implements ArchiveProgress {
        private final Reporter reporter;
        private long total;
        private long done;
        private long reportedAt = System.nanoTime();

        ReportingProgress(Reporter reporter) {
            this.reporter = reporter;
        }

        @Override
        public void total(long items) {
            total = items;
            report();
        }

        @Override
        public void advance(long items) {
            done += items;
            if (System.nanoTime() - reportedAt > REPORT_EVERY_NANOS) {
                report();
            }
        }

        long done() {
            return done;
        }

        private void report() {
            reportedAt = System.nanoTime();
            if (!reporter.report(done, Math.max(total, done))) {
                throw new TakenOver();
            }
        }
    }

    /** Counts and hashes the archive's bytes on their way to the database. */
    private static final class DigestingCounter extends FilterOutputStream {
        private final MessageDigest digest = ArchiveWriter.digest();
        private long size;
        private boolean closed;
        private String sha256;

        DigestingCounter(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            digest.update((byte) b);
            size++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            digest.update(b, off, len);
            size += len;
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                closed = true;
                out.close();
                sha256 = HexFormat.of().formatHex(digest.digest());
            }
        }

        String sha256() {
            return sha256;
        }
    }
}
