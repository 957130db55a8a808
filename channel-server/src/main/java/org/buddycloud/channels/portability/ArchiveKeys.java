package org.buddycloud.channels.portability;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import org.buddycloud.servicekit.jdbc.Sql;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The domain's archive signature: HMAC-SHA-256 of the manifest's SHA-256 under a secret made once and shared by the
 * replicas through the database. Another domain cannot check it alone; it asks us ({@code POST /archives/verify}),
 * and we it, so no key is ever handed out and none has to outlive its archives.
 */
@ApplicationScoped
public class ArchiveKeys implements ArchiveSeal {

    private static final Logger LOG = Logger.getLogger(ArchiveKeys.class);
    /** A domain name with a dot and a letter in its last label: no address literal, no port, no {@code localhost}. */
    private static final java.util.regex.Pattern DNS_NAME =
            java.util.regex.Pattern.compile("(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?");

    private final Sql sql;
    private final String domain;
    private final PortabilityConfig config;
    private final SecureRandom random;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private volatile ArchiveSignature signature;

    ArchiveKeys(Sql sql, @ConfigProperty(name = "buddycloud.domain") String domain, PortabilityConfig config, SecureRandom random,
                Clock clock) {
        this.sql = sql;
        this.domain = domain;
        this.config = config;
        this.random = random;
        this.clock = clock;
    }

    @Override
    public String sign(byte[] manifestDigest) {
        return signature().sign(manifestDigest);
    }

    @Override
    public boolean isOurs(byte[] manifestDigest, String signature) {
        return signature().verifies(manifestDigest, signature);
    }

    /** The key of an export's download link (see {@link ArchiveSignature#linkKey}). */
    public String linkKey(java.util.UUID exportId) {
        return signature().linkKey(exportId);
    }

    @Override
    public Authenticity authenticate(String archiveDomain, byte[] manifestDigest, String signature) {
        if (archiveDomain.equals(domain)) {
            if (!isOurs(manifestDigest, signature)) {
                throw ArchiveReader.refused("its signature is not this domain's: the archive was altered after it was made");
            }
            return Authenticity.OURS;
        }
        java.util.Optional<URI> peer = peer(archiveDomain);
        if (peer.isEmpty()) {
            return Authenticity.UNVERIFIED;
        }
        try {
            byte[] body = ArchiveJson.MAPPER.writeValueAsBytes(Map.of("manifestSha256", HexFormat.of().formatHex(manifestDigest),
                    "signature", signature));
            HttpResponse<byte[]> response = post(peer.get().resolve("/archives/verify"), body);
            if (response.statusCode() != 200) {
                LOG.infof("%s could not confirm an archive's signature (%d): taking it as unverified", archiveDomain, response.statusCode());
                return Authenticity.UNVERIFIED;
            }
            boolean valid = ArchiveJson.MAPPER.readTree(response.body()).path("valid").asBoolean(false);
            if (!valid) {
                throw ArchiveReader.refused(archiveDomain + " says it did not sign this archive: it was altered after it was made");
            }
            return Authenticity.CONFIRMED_BY_SOURCE;
        } catch (IOException | IllegalArgumentException e) {
            LOG.infof("cannot ask %s about an archive's signature (%s): taking it as unverified", archiveDomain, e.getMessage());
            return Authenticity.UNVERIFIED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Authenticity.UNVERIFIED;
        }
    }

    /**
     * Tells the archive's domain that the account it made the archive of lives on as {@code to} (our user, who imported
     * it): it shows the archive's id, manifest digest and signature, which only that domain's export of the account has.
     * True when the old server took note; otherwise the reason is logged and the move stays known here only.
     */
    public boolean tellMoved(String archiveDomain, java.util.UUID archiveId, String manifestSha256, String signature,
                             org.buddycloud.contracts.jid.Jid to) {
        java.util.Optional<URI> peer = peer(archiveDomain);
        if (peer.isEmpty()) {
            return false;
        }
        try {
            byte[] body = ArchiveJson.MAPPER.writeValueAsBytes(Map.of("archiveId", archiveId.toString(), "manifestSha256", manifestSha256,
                    "signature", signature, "to", to.toBare().toString()));
            HttpResponse<byte[]> response = post(peer.get().resolve("/archives/moved"), body);
            if (response.statusCode() != 200) {
                LOG.infof("%s did not take note that an account moved to %s (%d): %s", archiveDomain, to, response.statusCode(),
                        new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
                return false;
            }
            return true;
        } catch (IOException | IllegalArgumentException e) {
            LOG.infof("cannot tell %s that an account moved to %s: %s", archiveDomain, to, e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Where the server of {@code archiveDomain} answers: configured, or {@code https://<domain>} for a DNS name only. */
    private java.util.Optional<URI> peer(String archiveDomain) {
        URI peer = config.peers().get(archiveDomain);
        if (peer != null) {
            return java.util.Optional.of(peer);
        }
        if (!DNS_NAME.matcher(archiveDomain).matches()) {
            // not asked: an archive must not make this server call an address of the archive's choosing
            LOG.infof("an archive names %s as its domain, which is no DNS name: not asked", archiveDomain);
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(URI.create("https://" + archiveDomain));
    }

    private HttpResponse<byte[]> post(URI uri, byte[] json) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The secret, for a domain archive: after a move to new hardware, archives made before still verify. */
    byte[] secret() {
        signature();
        return sql.one("SELECT secret FROM archive_keys WHERE id = 1", rs -> rs.getBytes(1)).orElseThrow();
    }

    /** Takes the secret of the domain's archive (a move to new hardware): this server signs and checks as the old one did. */
    void adopt(byte[] secret) {
        ArchiveSignature adopted = new ArchiveSignature(secret);
        sql.update("INSERT INTO archive_keys (id, secret, created_at) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET secret = excluded.secret",
                secret, clock.instant());
        signature = adopted;
    }

    /** The domain's signature, its secret made by whichever replica needs it first (the others find it). */
    private ArchiveSignature signature() {
        ArchiveSignature known = signature;
        if (known != null) {
            return known;
        }
        byte[] fresh = new byte[32];
        random.nextBytes(fresh);
        sql.update("INSERT INTO archive_keys (id, secret, created_at) VALUES (1, ?, ?) ON CONFLICT (id) DO NOTHING", fresh, clock.instant());
        known = new ArchiveSignature(sql.one("SELECT secret FROM archive_keys WHERE id = 1", rs -> rs.getBytes(1)).orElseThrow());
        signature = known;
        return known;
    }
}
