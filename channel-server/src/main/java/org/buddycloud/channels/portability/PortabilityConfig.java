package org.buddycloud.channels.portability;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Archives of accounts (README "Portable data"). */
@ConfigMapping(prefix = "buddycloud.portability")
public interface PortabilityConfig {

    /** How often a replica looks for an export to make (read by the scheduler, {@code ArchiveWork}). */
    @WithDefault("2s")
    Duration pollInterval();

    /** How long a finished export's download link works; then its bytes go. */
    @WithDefault("7d")
    Duration linkLifetime();

    /** Exports an account may ask for per day (each reads its whole history). */
    @WithDefault("5")
    int exportsPerDay();

    /** The largest archive an import takes, in bytes (the files it lists added up). */
    @WithDefault("4294967296")
    long maxArchiveBytes();

    /** The most files an archive may list. */
    @WithDefault("2000000")
    int maxArchiveFiles();

    /** A running export or import that has not reported for this long lost its replica; it is taken up again or failed. */
    @WithDefault("2m")
    Duration staleAfter();

    /** Where uploaded archives wait while they are checked and imported (default: the JVM's temporary folder). */
    Optional<String> spoolDir();

    /** The media server, whose files of the account's channels go into its archive (none: no media in archives). */
    Optional<URI> mediaUrl();

    /** The push server, whose notification settings go into the archive (none: left out). */
    Optional<URI> pushUrl();

    /** The friend finder, whose claims the account made go into the archive (none: left out). */
    Optional<URI> friendsUrl();

    /**
     * The operator's token for the whole domain's export and import ({@code /internal/domain/…}, header
     * {@code X-Buddycloud-Operator-Token}); without one those are off. A domain archive holds every account's password
     * keys: keep both secret.
     */
    Optional<String> operatorToken();

    /**
     * Where another domain's channel server answers {@code POST /archives/verify}, by domain; a domain not named is
     * asked at {@code https://<domain>}.
     */
    Map<String, URI> peers();
}
