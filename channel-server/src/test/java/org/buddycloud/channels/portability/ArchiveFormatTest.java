package org.buddycloud.channels.portability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.buddycloud.contracts.problem.DomainException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The archive format: what is written is read back whole, and every kind of breakage or alteration is refused with its reason. */
class ArchiveFormatTest {

    private static final String DOMAIN = "verona.example";
    private static final ArchiveReader.Limits LIMITS = new ArchiveReader.Limits(10_000_000, 1000);

    @TempDir
    Path dir;

    /** This domain's seal over a real signature: our archives must bear our signature; others' are unverified. */
    private final ArchiveSignature signature = new ArchiveSignature("a-test-secret-of-at-least-32-bytes!!".getBytes(StandardCharsets.UTF_8));
    private final ArchiveSeal seal = new ArchiveSeal() {
        @Override
        public String sign(byte[] digest) {
            return signature.sign(digest);
        }

        @Override
        public boolean isOurs(byte[] digest, String sig) {
            return signature.verifies(digest, sig);
        }

        @Override
        public Authenticity authenticate(String domain, byte[] digest, String sig) {
            if (!domain.equals(DOMAIN)) {
                return Authenticity.UNVERIFIED;
            }
            if (!isOurs(digest, sig)) {
                throw ArchiveReader.refused("its signature is not this domain's");
            }
            return Authenticity.OURS;
        }
    };

    @Test
    void anArchiveIsReadBackWholeWithEveryFileListedAndSigned() throws IOException {
        byte[] media = new byte[300_000];
        new java.util.Random(7).nextBytes(media);
        Path file = write("romeo@" + DOMAIN, media);
        try (VerifiedArchive archive = ArchiveReader.verify(file, LIMITS, seal)) {
            assertEquals(ArchiveSeal.Authenticity.OURS, archive.authenticity());
            assertEquals(List.of("account.json", "media/romeo%40verona.example/photo", "notes.txt"),
                    archive.manifest().files().stream().map(ArchiveManifest.Entry::path).toList());
            assertEquals("romeo@" + DOMAIN, archive.json("account.json", ArchiveParts.AccountPart.class).jid());
            try (InputStream in = archive.open("media/romeo%40verona.example/photo")) {
                assertArrayEquals(media, in.readAllBytes());
            }
        }
    }

    @Test
    void aChangedByteInAnyFileRefusesTheArchive() throws IOException {
        Path file = write("romeo@" + DOMAIN, "a photo".getBytes(StandardCharsets.UTF_8));
        Path altered = rewrite(file, (name, bytes) -> name.equals("notes.txt") ? "notes that were changed".getBytes(StandardCharsets.UTF_8) : bytes);
        assertRefused(altered, "notes.txt is larger than its manifest says (14 bytes)");
        Path sameSize = rewrite(file, (name, bytes) -> name.equals("notes.txt") ? "nothing to see".getBytes(StandardCharsets.UTF_8) : bytes);
        assertRefused(sameSize, "notes.txt does not match its checksum");
    }

    @Test
    void aManifestRewrittenToMatchIsRefusedByItsSignature() throws IOException {
        Path file = write("romeo@" + DOMAIN, "a photo".getBytes(StandardCharsets.UTF_8));
        Path altered = rewrite(file, (name, bytes) -> name.equals("manifest.json")
                ? new String(bytes, StandardCharsets.UTF_8).replace("\"account\" : \"romeo@", "\"account\" : \"tybalt@").getBytes(StandardCharsets.UTF_8)
                : bytes);
        assertRefused(altered, "its signature is not this domain's");
    }

    @Test
    void anotherDomainsArchiveIsTakenAsUnverifiedWhenNobodyVouchesForIt() throws IOException {
        ArchiveSeal elsewhere = new ArchiveSeal() {
            @Override
            public String sign(byte[] digest) {
                return "hmac-sha256:someone-elses";
            }

            @Override
            public boolean isOurs(byte[] digest, String sig) {
                return false;
            }

            @Override
            public Authenticity authenticate(String domain, byte[] digest, String sig) {
                return seal.authenticate(domain, digest, sig);
            }
        };
        Path file = dir.resolve("elsewhere.zip");
        try (OutputStream out = Files.newOutputStream(file); ArchiveWriter writer = new ArchiveWriter(out)) {
            writer.json("account.json", new ArchiveParts.AccountPart("romeo@mantua.example", null, Instant.EPOCH));
            writer.finish(head("mantua.example", "romeo@mantua.example"), elsewhere);
        }
        try (VerifiedArchive archive = ArchiveReader.verify(file, LIMITS, seal)) {
            assertEquals(ArchiveSeal.Authenticity.UNVERIFIED, archive.authenticity());
        }
    }

    @Test
    void missingExtraAndEscapingFilesAreRefused() throws IOException {
        Path file = write("romeo@" + DOMAIN, "a photo".getBytes(StandardCharsets.UTF_8));
        assertRefused(rewrite(file, (name, bytes) -> name.equals("notes.txt") ? null : bytes),
                "notes.txt is listed in the manifest but missing from the archive");
        assertRefused(withExtra(file, "smuggled.txt"), "smuggled.txt is in the archive but not in its manifest");
        assertRefused(withExtra(file, "../../etc/passwd"), "unacceptable name");
        assertRefused(rewrite(file, (name, bytes) -> name.equals("manifest.json") ? null : bytes), "the archive has no manifest.json");
    }

    @Test
    void otherFormatsAndDamagedFilesAreRefused() throws IOException {
        Path text = dir.resolve("not.zip");
        Files.writeString(text, "this is not an archive");
        assertRefused(text, "not a ZIP archive");
        Path file = write("romeo@" + DOMAIN, "a photo".getBytes(StandardCharsets.UTF_8));
        byte[] bytes = Files.readAllBytes(file);
        Path cut = dir.resolve("cut.zip");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
        assertRefused(cut, "archive refused");
        assertRefused(rewrite(file, (name, b) -> name.equals("manifest.json")
                ? new String(b, StandardCharsets.UTF_8).replace("buddycloud-archive", "some-other-format").getBytes(StandardCharsets.UTF_8) : b),
                "this is no buddycloud archive");
        assertRefused(rewrite(file, (name, b) -> name.equals("manifest.json")
                ? new String(b, StandardCharsets.UTF_8).replace("\"version\" : 1", "\"version\" : 9").getBytes(StandardCharsets.UTF_8) : b),
                "archives of version 9 are not understood here");
    }

    @Test
    void anArchiveLargerThanTheLimitIsRefusedBeforeItIsRead() throws IOException {
        Path file = write("romeo@" + DOMAIN, new byte[5000]);
        DomainException refused = assertThrows(DomainException.class,
                () -> ArchiveReader.verify(file, new ArchiveReader.Limits(4000, 1000), seal));
        assertTrue(refused.getMessage().contains("more than the 4000 bytes"), refused.getMessage());
    }

    private Path write(String account, byte[] media) throws IOException {
        Path file = dir.resolve(UUID.randomUUID() + ".zip");
        try (OutputStream out = Files.newOutputStream(file); ArchiveWriter writer = new ArchiveWriter(out)) {
            writer.json("account.json", new ArchiveParts.AccountPart(account, "romeo@example.com", Instant.parse("2026-01-01T00:00:00Z")));
            try (OutputStream photo = writer.file("media/romeo%40verona.example/photo")) {
                photo.write(media);
            }
            try (OutputStream notes = writer.file("notes.txt")) {
                notes.write("nothing to say".getBytes(StandardCharsets.UTF_8));
            }
            writer.finish(head(DOMAIN, account), seal);
        }
        return file;
    }

    private static ArchiveManifest head(String domain, String account) {
        return new ArchiveManifest(ArchiveManifest.FORMAT, ArchiveManifest.VERSION, UUID.randomUUID(), ArchiveManifest.ACCOUNT, domain,
                account, Instant.parse("2026-12-07T10:00:00Z"), null);
    }

    private void assertRefused(Path file, String reason) {
        DomainException refused = assertThrows(DomainException.class, () -> ArchiveReader.verify(file, LIMITS, seal).close());
        assertTrue(refused.getMessage().startsWith("archive refused: "), refused.getMessage());
        assertTrue(refused.getMessage().contains(reason), refused.getMessage());
    }

    private interface Change {
        /** The new bytes of the entry, or null to leave it out. */
        byte[] apply(String name, byte[] bytes);
    }

    private Path rewrite(Path file, Change change) throws IOException {
        Path altered = dir.resolve(UUID.randomUUID() + ".zip");
        try (ZipFile zip = new ZipFile(file.toFile()); ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(altered))) {
            List<? extends ZipEntry> entries = new ArrayList<>(zip.stream().toList());
            for (ZipEntry entry : entries) {
                byte[] bytes;
                try (InputStream in = zip.getInputStream(entry)) {
                    bytes = change.apply(entry.getName(), in.readAllBytes());
                }
                if (bytes != null) {
                    out.putNextEntry(new ZipEntry(entry.getName()));
                    out.write(bytes);
                    out.closeEntry();
                }
            }
        }
        return altered;
    }

    private Path withExtra(Path file, String name) throws IOException {
        Path altered = rewrite(file, (n, b) -> b);
        Path extended = dir.resolve(UUID.randomUUID() + ".zip");
        try (ZipFile zip = new ZipFile(altered.toFile()); ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(extended))) {
            for (ZipEntry entry : zip.stream().toList()) {
                out.putNextEntry(new ZipEntry(entry.getName()));
                try (InputStream in = zip.getInputStream(entry)) {
                    in.transferTo(out);
                }
                out.closeEntry();
            }
            out.putNextEntry(new ZipEntry(name));
            out.write("extra".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return extended;
    }
}
